using System.Net.Sockets;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using NetDrop.Model;
using NetDrop.Tests.TestSupport;
using Xunit.Abstractions;

namespace NetDrop.Tests.Telemetry;

/// <summary>
/// The real agent exporting to a real OTLP backend (the Aspire Dashboard): drops are induced on loopback (a UDP
/// flood into an unread socket), and what the backend stored is read back from its API.
/// </summary>
[Collection(AspireDashboardCollectionDefinition.Name)]
[Trait("Category", "Telemetry")]
public sealed class TelemetryEndToEndTests : IDisposable
{
    private static readonly TimeSpan s_runTimeout = TimeSpan.FromSeconds(60);

    private readonly AspireDashboard _dashboard;
    private readonly ITestOutputHelper _output;
    private readonly string _directory = Directory.CreateTempSubdirectory("netdrop-otlp-").FullName;

    public TelemetryEndToEndTests(AspireDashboardFixture fixture, ITestOutputHelper output)
    {
        _dashboard = fixture.Dashboard;
        _output = output;
    }

    [Theory]
    [InlineData("grpc")]
    [InlineData("http/protobuf")]
    public async Task CritInterval_ExportedOverOtlp_ArrivesWithAttributesResourceAndOneRecovery(string protocol)
    {
        string instance = Guid.NewGuid().ToString("N");
        string csv = Path.Join(_directory, "drops.log");
        string endpoint = protocol == "grpc" ? _dashboard.GrpcEndpoint : _dashboard.HttpEndpoint;
        using MonitorProcess agent = MonitorProcess.StartHere(csv, new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol,
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={instance},k8s.node.name=node-under-test",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        }, "monitor", "-i", "lo", "--interval", "0.5", "--count", "6", "--csv", csv);
        agent.WaitForRows(1, s_runTimeout);

        UdpFamilyFlood flood = DropInducers.FloodUnreadUdpSocket(IPAddress.Loopback, 2000);
        Assert.Equal(0, agent.WaitForExit(s_runTimeout));

        List<string[]> rows = CsvRecords.Parse(UnlockedFile.ReadAllText(csv)).Skip(1).ToList();
        string[][] critRows = [.. rows.Where(row => row[CsvSchema.SeverityIndex] == "CRIT")];
        Assert.True(critRows.Length >= 1, $"the flood ({flood.Refused} refused) made no CRIT interval\n{agent.Describe()}");

        await _dashboard.WaitForLogsAsync(
            root => RecordsOf(root, instance).Any(record => record.EventName == "netdrop.recovered"),
            "the agent's CRIT and recovery records");
        IReadOnlyList<StoredLogRecord> records = RecordsOf((await _dashboard.GetLogsAsync()).RootElement, instance);

        StoredLogRecord[] crit = [.. records.Where(record => record.EventName == "netdrop.crit")];
        Assert.Equal(critRows.Length, crit.Length); // one record per CRIT interval, no storm
        StoredLogRecord first = crit[0];
        Assert.Equal(17, first.SeverityNumber); // LogLevel.Error → SEVERITY_NUMBER_ERROR
        Assert.Equal("lo", first.Attributes["network.interface.name"]);
        Assert.Equal(critRows[0][Array.IndexOf(CsvSchema.Default.Columns, CsvSchema.TotalDrops)], first.Attributes["netdrop.total_drops"]);
        Assert.Equal("udp_rcvbuf", first.Attributes["netdrop.dominant_category"]);
        Assert.Equal(critRows[0][Array.IndexOf(CsvSchema.Default.Columns, "udp_rcvbuf")], first.Attributes["netdrop.drops.udp_rcvbuf"]);
        string rmemMax = File.ReadAllText("/proc/sys/net/core/rmem_max").Trim();
        Assert.Contains($"net.core.rmem_max (now {rmemMax})", first.Attributes["netdrop.advice"], StringComparison.Ordinal);
        Assert.StartsWith("CRIT: ", first.Body, StringComparison.Ordinal);
        Assert.All(crit, record => Assert.Equal(first.Attributes["netdrop.episode.id"], record.Attributes["netdrop.episode.id"]));

        StoredLogRecord recovered = Assert.Single(records, record => record.EventName == "netdrop.recovered");
        Assert.Equal(first.Attributes["netdrop.episode.id"], recovered.Attributes["netdrop.episode.id"]);
        Assert.Equal(9, recovered.SeverityNumber);

        Assert.Equal("netdrop", first.ResourceAttributes["service.name"]);
        Assert.Equal(instance, first.ResourceAttributes["service.instance.id"]);
        Assert.Equal("node-under-test", first.ResourceAttributes["k8s.node.name"]);
        Assert.Equal(Environment.MachineName, first.ResourceAttributes["host.name"]);
        Assert.Matches(@"^\d+\.\d+\.\d+$", first.ResourceAttributes["service.version"]);

        await _dashboard.WaitForResourcesAsync(
            root => root.EnumerateArray().Any(r => r.GetProperty("instanceId").GetString() == instance && r.GetProperty("hasMetrics").GetBoolean()),
            "the agent's metrics");
    }

    [Fact]
    public void CollectorHangingForTheWholeRun_SamplesAndCsvRowsStayOnTimeAndMemoryBounded()
    {
        // A collector that accepts connections and never answers: each export waits for its full timeout (20 s). If an
        // export ever ran on the sampling thread, an interval would last about that long. The bound below (5 s) is 25
        // times the interval and a quarter of the timeout, so machine load cannot reach it and a blocked export
        // cannot hide under it. (A refused port would prove less: the exporter fails at once.)
        using var hanging = new TcpListener(IPAddress.Loopback, 0);
        hanging.Start();
        var accepted = new List<Socket>();
        hanging.BeginAcceptSocket(OnAccept, null);
        void OnAccept(IAsyncResult result)
        {
            try
            {
                lock (accepted)
                {
                    accepted.Add(hanging.EndAcceptSocket(result));
                }

                hanging.BeginAcceptSocket(OnAccept, null);
            }
            catch (ObjectDisposedException)
            {
                // The test is over.
            }
            catch (SocketException)
            {
                // The test is over: stopping the listener completes the pending accept with ECANCELED, and a throw from
                // this callback would end the whole test process.
            }
        }

        string csv = Path.Join(_directory, "down.log");
        using MonitorProcess agent = MonitorProcess.StartHere(csv, new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{((IPEndPoint)hanging.LocalEndpoint).Port}",
            ["OTEL_EXPORTER_OTLP_TIMEOUT"] = "20000",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        }, "monitor", "-i", "lo", "--interval", "0.2", "--count", "60", "--csv", csv);

        agent.WaitForRows(10, s_runTimeout);
        long earlyKib = agent.ResidentKib();
        agent.WaitForRows(60, s_runTimeout); // all 60, while every export still hangs (the exit may wait for one)
        long lateKib = agent.HasExited ? earlyKib : agent.ResidentKib();

        List<string[]> rows = CsvRecords.Parse(UnlockedFile.ReadAllText(csv)).Skip(1).ToList();
        Assert.Equal(60, rows.Count);
        lock (accepted)
        {
            Assert.True(accepted.Count > 0, "the agent never tried to export: the test proved nothing");
            accepted.ForEach(socket => socket.Dispose());
        }

        int intervalColumn = Array.IndexOf(CsvSchema.Default.Columns, CsvSchema.IntervalSeconds);
        double[] intervals = [.. rows.Skip(1).Select(row => double.Parse(row[intervalColumn], CultureInfo.InvariantCulture))];
        Assert.True(intervals.Max() < 5, $"an export to a hanging collector delayed a sample: longest interval {intervals.Max()} s");
        Assert.True(lateKib - earlyKib < 16 * 1024, $"memory grew from {earlyKib} KiB to {lateKib} KiB while the collector hung");
    }

    [Fact]
    public async Task CollectorComingUpMidRun_ExportResumesWithoutLosingRows()
    {
        string csv = Path.Join(_directory, "late.log");
        int port = AspireDashboard.FreeLoopbackPort();
        string instance = Guid.NewGuid().ToString("N");
        using MonitorProcess agent = MonitorProcess.StartHere(csv, new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}",
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={instance}",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "300",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
        }, "monitor", "-i", "lo", "--interval", "0.25", "--count", "80", "--csv", csv);
        agent.WaitForRows(4, s_runTimeout);

        using AspireDashboard late = await AspireDashboard.StartAsync(grpcPort: port);
        agent.WaitForRows(20, s_runTimeout);
        DropInducers.FloodUnreadUdpSocket(IPAddress.Loopback, 2000);

        await late.WaitForLogsAsync(
            root => RecordsOf(root, instance).Any(record => record.EventName == "netdrop.crit"),
            "a CRIT record after the collector came up");
        await late.WaitForResourcesAsync(
            root => root.EnumerateArray().Any(r => r.GetProperty("instanceId").GetString() == instance && r.GetProperty("hasMetrics").GetBoolean()),
            "metrics after the collector came up");
        Assert.Equal(0, agent.WaitForExit(s_runTimeout));
        Assert.Equal(80, CsvRecords.Parse(UnlockedFile.ReadAllText(csv)).Count - 1);
    }

    [Fact]
    public void Sigterm_WithExportToADeadCollector_LastRowCompleteAndExitZeroWithinTheShutdownBound()
    {
        string csv = Path.Join(_directory, "term.log");
        using MonitorProcess agent = MonitorProcess.StartHere(csv, new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{AspireDashboard.FreeLoopbackPort()}",
        }, "monitor", "-i", "lo", "--interval", "0.2", "--csv", csv);
        agent.WaitForRows(5, s_runTimeout);

        var clock = Stopwatch.StartNew();
        Signals.Send(agent.ProcessId, Signals.SIGTERM);
        int exitCode = agent.WaitForExit(TimeSpan.FromSeconds(30));
        TimeSpan shutdown = clock.Elapsed;

        Assert.Equal(0, exitCode);
        Assert.True(shutdown < TimeSpan.FromSeconds(10), $"SIGTERM took {shutdown.TotalSeconds:0.00} s; the bound is 10 s");
        string text = UnlockedFile.ReadAllText(csv);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        Assert.All(CsvRecords.Parse(text), row => Assert.Equal(CsvSchema.Default.Columns.Length, row.Length));
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SIGTERM to exit: {shutdown.TotalMilliseconds:0} ms"));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // One dashboard serves every test in the collection: each agent run is told apart by its service.instance.id.
    private static List<StoredLogRecord> RecordsOf(System.Text.Json.JsonElement root, string instance) =>
        [.. StoredLogRecord.FromLogsResponse(root).Where(record => record.ResourceAttributes.TryGetValue("service.instance.id", out string? id) && id == instance)];
}
