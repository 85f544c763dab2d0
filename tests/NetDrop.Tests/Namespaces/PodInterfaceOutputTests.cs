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
/// One real interval with transmit drops on a "pod"'s <c>eth0</c> (its veth peer, in a node namespace the test made,
/// set down; frames sent with PACKET_QDISC_BYPASS, each refused by <c>__dev_direct_xmit()</c> on the pod side's
/// <c>tx_dropped</c>: <c>nic_tx</c> ← <c>tx_dropped</c>), written by the console and the metrics sinks: the breakdown
/// names the pod's interface with the witnessed count, and <c>netdrop.packet.dropped{nic_tx}</c> and
/// <c>system.network.packet.dropped{transmit}</c> each have one series with the pod's owner and
/// <c>network.interface.name=eth0</c> equal to it. The sandbox is a plain process, so its owner is its task
/// (<c>process.pid</c>, console <c>pid N sleep</c>).
/// </summary>
[Collection(NetDropMeterCollectionDefinition.Name)]
public sealed class PodInterfaceOutputTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly List<Metric> _exported = [];

    [Fact]
    [Trait("Category", "RequiresRoot")]
    public void ConsoleAndMetrics_TransmitDropsOnAPodsEth0_NameThePodAndItsInterface()
    {
        using var pod = new NamespaceSandbox();
        using var node = NetworkNamespace.Create("ndpodout");
        pod.Namespace.Ip("link", "add", "eth0", "type", "veth", "peer", "name", "vpodout0", "netns", node.Name);
        pod.Namespace.WriteSysctl("net/ipv6/conf/all/disable_ipv6", "1");
        pod.Namespace.WriteSysctl("net/ipv6/conf/default/disable_ipv6", "1");
        pod.Namespace.Ip("link", "set", "eth0", "up"); // the peer stays down: eth0 has no carrier
        var time = new FakeTimeProvider();
        var registry = new InterfaceRegistry();
        CounterPlan plan = TestPlans.Default;
        using Sampler sampler = SourceFactory.CreateSampler(
            new MonitorOptions { Interfaces = ["lo"], EthtoolEnabled = false, NamespaceInterval = TimeSpan.FromSeconds(5) }, plan, new InterfaceSelector(["lo"], []), registry, new SourceHealth(_ => { }), time);
        var engine = new DeltaEngine(plan, registry, new SeverityPolicy(100, new Dictionary<string, long>(), DropCategories.Table));
        var report = new IntervalReport(DropCategories.Table, registry) { InterfaceLabel = "lo", Timestamp = DateTimeOffset.UnixEpoch, Iteration = 1 };
        Sample previous = new(plan), current = new(plan);

        sampler.Take(previous);
        int refused = DropInducers.SendFramesBypassingQdisc(pod.Namespace, "eth0", frames: 31);
        time.Advance(TimeSpan.FromSeconds(5));
        sampler.Take(current);
        engine.Compute(previous, current, report, TimeSpan.FromSeconds(5));
        Assert.Equal(31, refused);

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

        string line = Assert.Single(output.ToString().Split('\n'), text => text.StartsWith("  ├─ NIC TX Dropped:", StringComparison.Ordinal));
        Assert.Contains($"pid {pod.Pid} sleep/eth0: {refused}", line, StringComparison.Ordinal);

        (long Sum, Dictionary<string, object?> Tags) dropped = Assert.Single(
            SeriesOf(NetDropSemanticConventions.PacketDropped),
            point => Equals(point.Tags.GetValueOrDefault(NetDropSemanticConventions.AttributeCategory), "nic_tx") && Equals(point.Tags.GetValueOrDefault("process.pid"), (long)pod.Pid));
        Assert.Equal(refused, dropped.Sum);
        Assert.Equal("eth0", dropped.Tags[NetDropSemanticConventions.AttributeInterface]);
        (long Sum, Dictionary<string, object?> Tags) system = Assert.Single(
            SeriesOf(NetDropSemanticConventions.SystemPacketDropped),
            point => Equals(point.Tags.GetValueOrDefault("process.pid"), (long)pod.Pid));
        Assert.Equal(refused, system.Sum);
        Assert.Equal("eth0", system.Tags[NetDropSemanticConventions.AttributeInterface]);
        Assert.Equal(NetDropSemanticConventions.DirectionTransmit, system.Tags[NetDropSemanticConventions.AttributeDirection]);
    }

    public void Dispose() => _services.Dispose();

    private List<(long Sum, Dictionary<string, object?> Tags)> SeriesOf(string instrument)
    {
        var series = new List<(long, Dictionary<string, object?>)>();
        foreach (Metric metric in _exported.Where(metric => metric.Name == instrument))
        {
            foreach (ref readonly MetricPoint point in metric.GetMetricPoints())
            {
                var tags = new Dictionary<string, object?>();
                foreach (KeyValuePair<string, object?> tag in point.Tags)
                {
                    tags[tag.Key] = tag.Value is int pid ? (long)pid : tag.Value;
                }

                series.Add((point.GetSumLong(), tags));
            }
        }

        return series;
    }
}
