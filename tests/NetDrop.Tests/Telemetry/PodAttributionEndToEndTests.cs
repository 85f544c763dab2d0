using System.Globalization;
using System.Net;
using System.Text.Json;
using NetDrop.Tests.TestSupport;
using Xunit.Abstractions;

namespace NetDrop.Tests.Telemetry;

/// <summary>
/// The real agent, reading every network namespace (<c>NETDROP_NAMESPACES=all</c>), exporting over OTLP while
/// "pods" of a <see cref="PodLab"/> (processes in namespaces of their own, in kubelet-style cgroups) drop packets: the
/// series and CRIT records of a pod's drops carry that pod's <c>k8s.pod.uid</c>, a plain Docker container's carry its
/// <c>container.id</c>, a quiet pod appears nowhere. CRIT records go to the Aspire Dashboard; metric values, which its
/// API does not give back, to <see cref="OtlpMetricsSink"/>, decoded from the OTLP/HTTP protobuf the agent sent.
/// </summary>
/// <remarks>
/// Ground truth per namespace, each witnessed three ways: the datagrams the flood's unread socket refused (its own
/// SO_MEMINFO drop count, <see cref="DropInducers.FloodUnreadUdpSocket"/>), the namespace's kernel counters, and the
/// exported series. Category → counters, as the README's CSV table has it: <c>udp_rcvbuf</c> = <c>Udp: RcvbufErrors</c>
/// (/proc/PID/net/snmp) + <c>Udp6RcvbufErrors</c> (/proc/PID/net/snmp6). The agent runs in the test's own namespace
/// (the dashboard and the sink listen on its loopback); its node share is not asserted, only the pods'.
/// </remarks>
[Collection(AspireDashboardCollectionDefinition.Name)]
[Trait("Category", "Telemetry")]
public sealed class PodAttributionEndToEndTests : IDisposable
{
    private const string PacketDropped = "netdrop.packet.dropped";
    private const string Category = "netdrop.category";
    private const string PodUid = "k8s.pod.uid";
    private const string ContainerId = "container.id";

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    private readonly AspireDashboard _dashboard;
    private readonly ITestOutputHelper _output;
    private readonly string _directory = Directory.CreateTempSubdirectory("netdrop-podotel-").FullName;

    public PodAttributionEndToEndTests(AspireDashboardFixture fixture, ITestOutputHelper output)
    {
        _dashboard = fixture.Dashboard;
        _output = output;
    }

    [Fact]
    public async Task PodAndContainerDropping_SeriesAndCritRecordsCarryTheirIds_QuietPodNowhere()
    {
        using var lab = new PodLab();
        string droppingUid = PodLab.NewPodUid();
        string quietUid = PodLab.NewPodUid();
        string dockerId = PodLab.NewContainerId();
        string droppingContainer = PodLab.NewContainerId();
        string quietContainer = PodLab.NewContainerId();
        PodLabPod dropping = lab.StartPod(PodLab.CgroupfsPath("burstable", droppingUid, droppingContainer), droppingUid, droppingContainer);
        PodLabPod quiet = lab.StartPod(PodLab.SystemdPath("besteffort", quietUid, "cri-containerd", quietContainer), quietUid, quietContainer);
        PodLabPod docker = lab.StartPod(PodLab.DockerSystemdPath(dockerId), null, dockerId);
        foreach (PodLabPod each in new[] { dropping, quiet, docker })
        {
            _ = each.Exec("ip", "link", "set", "lo", "up");
        }

        await using var sink = new OtlpMetricsSink();
        string instance = Guid.NewGuid().ToString("N");
        string csv = Path.Join(_directory, "drops.log");
        using MonitorProcess agent = MonitorProcess.StartHere(csv, Environment(instance, sink, temporality: null),
            "monitor", "-i", "lo", "--interval", "0.5", "--threshold", "100", "--csv", csv, "--no-color");
        agent.WaitForRows(2, s_timeout); // every pod's namespace has had its baseline reading

        (long podRefused, long podKernel) = FloodUdpIn(dropping);
        agent.WaitForRows(agent.CompletedRows() + 2, s_timeout); // the container's CRIT interval is not the pod's
        (long dockerRefused, long dockerKernel) = FloodUdpIn(docker);
        Assert.Equal(podRefused, podKernel);
        Assert.Equal(dockerRefused, dockerKernel);
        Assert.True(podRefused >= 100 && dockerRefused >= 100, $"each flood must make a CRIT interval: pod {podRefused}, container {dockerRefused}");

        // Cumulative (the default): the last export of each series holds its total. Stop once both totals are out, so
        // the exit's final push comes after them.
        Poll.Until(() => LastValue(sink, PodUid, droppingUid) >= podRefused && LastValue(sink, ContainerId, dockerId) >= dockerRefused,
            s_timeout, "the pod's and the container's udp_rcvbuf totals in the exported metrics", everyMilliseconds: 200);
        Signals.Send(agent.ProcessId, Signals.SIGTERM);
        Assert.Equal(0, agent.WaitForExit(s_timeout));

        IReadOnlyList<ExportedDataPoint> points = sink.Points();
        ExportedDataPoint pod = LastPoint(points, PodUid, droppingUid)!;
        Assert.Equal(podRefused, pod.Value);
        Assert.Equal(ExportedTemporality.Cumulative, pod.Temporality);
        Assert.Null(pod.AttributeOrNull(ContainerId)); // a pod's namespace is the pod's, whichever container holds it
        ExportedDataPoint container = LastPoint(points, ContainerId, dockerId)!;
        Assert.Equal(dockerRefused, container.Value);
        Assert.Null(container.AttributeOrNull(PodUid));

        // Nothing but udp_rcvbuf moved in those namespaces, and nothing at all in the quiet pod's.
        Assert.Equal(["udp_rcvbuf"], points.Where(point => point.AttributeOrNull(PodUid) == droppingUid).Select(point => point.AttributeOrNull(Category)).Distinct());
        Assert.DoesNotContain(points, point => point.AttributeOrNull(PodUid) == quietUid);
        Assert.DoesNotContain(points, point => point.AttributeOrNull(ContainerId) == quietContainer || point.AttributeOrNull(ContainerId) == droppingContainer);

        using JsonDocument logs = await _dashboard.WaitForLogsAsync(
            root => Crit(root, instance).Any(record => record.Attributes.GetValueOrDefault(PodUid) == droppingUid)
                && Crit(root, instance).Any(record => record.Attributes.GetValueOrDefault(ContainerId) == dockerId),
            "CRIT records naming the pod and the container", timeout: s_timeout);
        List<StoredLogRecord> crit = Crit(logs.RootElement, instance);
        StoredLogRecord podRecord = crit.First(record => record.Attributes.GetValueOrDefault(PodUid) == droppingUid);
        Assert.Equal("udp_rcvbuf", podRecord.Attributes["netdrop.dominant_category"]);
        Assert.Contains($"in pod {droppingUid}", podRecord.Body, StringComparison.Ordinal);
        Assert.False(podRecord.Attributes.ContainsKey(ContainerId));
        StoredLogRecord containerRecord = crit.First(record => record.Attributes.GetValueOrDefault(ContainerId) == dockerId);
        Assert.False(containerRecord.Attributes.ContainsKey(PodUid));
        Assert.DoesNotContain(crit, record => record.Attributes.GetValueOrDefault(PodUid) == quietUid);
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"pod {droppingUid}: {podRefused} refused = kernel {podKernel} = exported {pod.Value}; container {dockerId[..12]}: {dockerRefused} = {dockerKernel} = {container.Value}; {sink.Exports} exports"));
    }

    /// <summary>
    /// A pod's series ends with its pod, whatever the temporality: its drops are counted once (the deltas sum to them,
    /// or the cumulative total is them, never more after the kill), and once the namespace's last reading has been
    /// exported no export carries the series. With a synchronous counter the cumulative case fails: the SDK exports
    /// every series it ever had until the agent restarts.
    /// </summary>
    [Theory]
    [InlineData("delta")]
    [InlineData("cumulative")]
    public async Task PodKilledAfterDropping_SeriesCountsItsDropsOnceThenIsNoLongerExported(string temporality)
    {
        using var lab = new PodLab();
        string uid = PodLab.NewPodUid();
        PodLabPod pod = lab.StartPod(PodLab.CgroupfsPath(null, uid, PodLab.NewContainerId()), uid, null);
        _ = pod.Exec("ip", "link", "set", "lo", "up");

        await using var sink = new OtlpMetricsSink();
        string csv = Path.Join(_directory, "churn-" + temporality + ".log");
        using MonitorProcess agent = MonitorProcess.StartHere(csv, Environment(Guid.NewGuid().ToString("N"), sink, temporality),
            "monitor", "-i", "lo", "--interval", "0.5", "--threshold", "100", "--csv", csv, "--no-color");
        agent.WaitForRows(2, s_timeout);

        (long refused, long kernel) = FloodUdpIn(pod);
        Assert.Equal(refused, kernel);
        Poll.Until(() => PodTotal(sink.Points(), uid, temporality) >= refused, s_timeout, "the pod's udp_rcvbuf in the exported metrics", everyMilliseconds: 200);

        pod.Kill();
        int exportsAtKill = sink.Exports;
        // The namespace's last reading (the first sample after the kill) and one row more; an export collected before
        // that may still be on its way, so the series may be in one export after this count, never in a later one.
        agent.WaitForRows(agent.CompletedRows() + 3, s_timeout);
        int exportsAfterLastReading = sink.Exports;
        Poll.Until(() => sink.Exports >= exportsAfterLastReading + 4, s_timeout, "four more metric exports after the pod's last reading", everyMilliseconds: 200);
        Signals.Send(agent.ProcessId, Signals.SIGTERM);
        Assert.Equal(0, agent.WaitForExit(s_timeout));

        IReadOnlyList<ExportedDataPoint> points = sink.Points();
        ExportedDataPoint[] series = [.. points.Where(point => point.Metric == PacketDropped && point.AttributeOrNull(PodUid) == uid)];
        ExportedTemporality expected = temporality == "delta" ? ExportedTemporality.Delta : ExportedTemporality.Cumulative;
        Assert.All(series, point => Assert.Equal(expected, point.Temporality));
        Assert.Equal(refused, PodTotal(points, uid, temporality)); // counted once: nothing again at the namespace's last reading
        Assert.All(series.Where(point => point.Export >= exportsAtKill), point => Assert.True(
            temporality == "delta" ? point.Value == 0 : point.Value == refused, $"export {point.Export} after the kill shows {point.Value}: a false spike"));
        Assert.All(series, point => Assert.True(point.Export <= exportsAfterLastReading + 1,
            $"export {point.Export} (the pod's last reading was before export {exportsAfterLastReading}) still carries the dead pod's series"));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Logs (CRIT records) to the dashboard over gRPC, metrics to the sink over OTLP/HTTP protobuf.</summary>
    private Dictionary<string, string> Environment(string instance, OtlpMetricsSink sink, string? temporality)
    {
        var environment = new Dictionary<string, string>
        {
            ["NETDROP_NAMESPACES"] = "all",
            ["NETDROP_NAMESPACE_INTERVAL"] = "0.5", // every sample, as the interval
            ["OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"] = _dashboard.GrpcEndpoint,
            ["OTEL_EXPORTER_OTLP_LOGS_PROTOCOL"] = "grpc",
            ["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] = sink.Endpoint + "/v1/metrics",
            ["OTEL_EXPORTER_OTLP_METRICS_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={instance}",
        };
        if (temporality is not null)
        {
            environment["OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"] = temporality;
        }

        return environment;
    }

    /// <summary>
    /// Floods an unread UDP socket on the namespace's 127.0.0.1; returns what the socket refused and the namespace's
    /// own <c>udp_rcvbuf</c> counters' delta over the flood.
    /// </summary>
    private static (long Refused, long KernelDelta) FloodUdpIn(PodLabPod pod)
    {
        long before = UdpRcvbufErrors(pod);
        UdpFamilyFlood flood = pod.Run(() => DropInducers.FloodUnreadUdpSocket(IPAddress.Loopback, 2000));
        return (flood.Refused, UdpRcvbufErrors(pod) - before);
    }

    /// <summary><c>Udp: RcvbufErrors</c> of /proc/PID/net/snmp (a header line of names, then one of values) + <c>Udp6RcvbufErrors</c> of snmp6.</summary>
    private static long UdpRcvbufErrors(PodLabPod pod)
    {
        string[] udp = [.. File.ReadLines($"/proc/{pod.Pid}/net/snmp").Where(line => line.StartsWith("Udp: ", StringComparison.Ordinal))];
        string[] names = udp[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string[] values = udp[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long v4 = long.Parse(values[Array.IndexOf(names, "RcvbufErrors")], CultureInfo.InvariantCulture);
        string v6 = File.ReadLines($"/proc/{pod.Pid}/net/snmp6").Single(line => line.StartsWith("Udp6RcvbufErrors ", StringComparison.Ordinal));
        return v4 + long.Parse(v6.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    private static ExportedDataPoint? LastPoint(IReadOnlyList<ExportedDataPoint> points, string ownerKey, string owner) =>
        points.LastOrDefault(point => point.Metric == PacketDropped && point.AttributeOrNull(Category) == "udp_rcvbuf" && point.AttributeOrNull(ownerKey) == owner);

    private static long LastValue(OtlpMetricsSink sink, string ownerKey, string owner) => LastPoint(sink.Points(), ownerKey, owner)?.Value ?? -1;

    /// <summary>The pod's udp_rcvbuf as exported so far: the deltas' sum, or the last cumulative total (0 before any).</summary>
    private static long PodTotal(IReadOnlyList<ExportedDataPoint> points, string uid, string temporality)
    {
        IEnumerable<ExportedDataPoint> series = points.Where(point => point.Metric == PacketDropped && point.AttributeOrNull(Category) == "udp_rcvbuf" && point.AttributeOrNull(PodUid) == uid);
        return temporality == "delta" ? series.Sum(point => point.Value) : series.LastOrDefault()?.Value ?? 0;
    }

    private static List<StoredLogRecord> Crit(JsonElement root, string instance) =>
        [.. StoredLogRecord.FromLogsResponse(root).Where(record => record.EventName == "netdrop.crit"
            && record.ResourceAttributes.TryGetValue("service.instance.id", out string? id) && id == instance)];
}
