using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NetDrop.Configuration;
using NetDrop.Deltas;
using NetDrop.Model;
using NetDrop.Sinks.Telemetry;
using NetDrop.Sinks.Terminal;
using NetDrop.Sources;
using NetDrop.Tests.Sampling;
using NetDrop.Tests.TestSupport;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace NetDrop.Tests.Namespaces;

/// <summary>
/// One real interval with UDP drops induced in a "pod" namespace, written by the console and the metrics sinks: the
/// breakdown line names the namespace's owner with its count, and <c>netdrop.packet.dropped{udp_rcvbuf}</c> has a
/// series of that owner equal to the witnessed count, none for a pod that dropped nothing, and the unattributed series
/// holds the node's own share only (the series sum to the category value). The sandboxes are plain processes (no
/// kubelet cgroup), so their owner is the task: <c>process.pid</c> + <c>process.executable.name</c>.
/// <c>udp_rcvbuf</c> = Udp RcvbufErrors + Udp6RcvbufErrors of the namespace, written here.
/// </summary>
[Collection(NetDropMeterCollectionDefinition.Name)]
public sealed class NamespaceOutputTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly List<Metric> _exported = [];

    [Fact]
    [Trait("Category", "RequiresRoot")]
    public void ConsoleAndMetrics_UdpFloodInOnePod_NameThatPodWithItsCountOnly()
    {
        using var dropping = new NamespaceSandbox();
        using var quiet = new NamespaceSandbox();
        var time = new FakeTimeProvider();
        var registry = new InterfaceRegistry();
        CounterPlan plan = TestPlans.Default;
        using Sampler sampler = SourceFactory.CreateSampler(
            new MonitorOptions { Interfaces = ["lo"], EthtoolEnabled = false, NamespaceInterval = TimeSpan.FromSeconds(5) }, plan, new InterfaceSelector(["lo"], []), registry, new SourceHealth(_ => { }), time);
        var engine = new DeltaEngine(plan, registry, new SeverityPolicy(100, new Dictionary<string, long>(), DropCategories.Table));
        var report = new IntervalReport(DropCategories.Table) { InterfaceLabel = "lo", Timestamp = DateTimeOffset.UnixEpoch, Iteration = 1 };
        Sample previous = new(plan), current = new(plan);
        sampler.Take(previous);
        long kernelBefore = dropping.UdpRcvbufErrors();
        DropWitness flood = DropInducers.FloodUnreadUdpSockets(dropping.Namespace, datagramsPerFamily: 400);
        Assert.Equal(dropping.UdpRcvbufErrors() - kernelBefore, flood["udp_rcvbuf"]);
        time.Advance(TimeSpan.FromSeconds(5));
        sampler.Take(current);
        engine.Compute(previous, current, report, TimeSpan.FromSeconds(5));

        var output = new StringWriter();
        using (var console = new ConsoleSink(output, color: false, registry))
        {
            console.Write(report);
            Assert.True(console.WaitUntilWritten(TimeSpan.FromSeconds(30)));
        }

        using MeterProvider provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(NetDropSemanticConventions.MeterName)
            .AddInMemoryExporter(_exported)
            .Build();
        using (var metrics = new NetDropMetrics(_services.GetRequiredService<IMeterFactory>(), registry, perCpu: false, () => 0, _ => 0))
        {
            metrics.Write(report);
            provider.ForceFlush();
        }

        string line = Assert.Single(output.ToString().Split('\n'), text => text.StartsWith("  ├─ UDP RX Buffer Errors:", StringComparison.Ordinal));
        Assert.Contains($"pid {dropping.Pid} sleep {flood["udp_rcvbuf"]}", line, StringComparison.Ordinal);
        Assert.DoesNotContain($"pid {quiet.Pid} ", line, StringComparison.Ordinal);

        List<(long Sum, Dictionary<string, object?> Tags)> series = UdpRcvbufSeries();
        Assert.Equal(flood["udp_rcvbuf"], Assert.Single(series, point => Equals(point.Tags.GetValueOrDefault("process.pid"), (long)dropping.Pid)).Sum);
        Assert.DoesNotContain(series, point => Equals(point.Tags.GetValueOrDefault("process.pid"), (long)quiet.Pid));
        Assert.Equal((long)report[DropCategories.UdpRcvbuf], series.Sum(point => point.Sum));
        Assert.Equal((long)report.NodeOwnValueOf(DropCategories.UdpRcvbuf), Assert.Single(series, point => point.Tags.Count == 1).Sum);
    }

    public void Dispose() => _services.Dispose();

    private List<(long Sum, Dictionary<string, object?> Tags)> UdpRcvbufSeries()
    {
        var series = new List<(long, Dictionary<string, object?>)>();
        foreach (Metric metric in _exported.Where(metric => metric.Name == NetDropSemanticConventions.PacketDropped))
        {
            foreach (ref readonly MetricPoint point in metric.GetMetricPoints())
            {
                var tags = new Dictionary<string, object?>();
                foreach (KeyValuePair<string, object?> tag in point.Tags)
                {
                    tags[tag.Key] = tag.Value is int pid ? (long)pid : tag.Value;
                }

                if (Equals(tags.GetValueOrDefault(NetDropSemanticConventions.AttributeCategory), "udp_rcvbuf"))
                {
                    series.Add((point.GetSumLong(), tags));
                }
            }
        }

        return series;
    }
}
