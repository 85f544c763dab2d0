using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using NetDrop.Sinks.Telemetry;
using NetDrop.Tests.Faults;
using NetDrop.Tests.TestSupport;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace NetDrop.Tests.Telemetry;

/// <summary>
/// Every instrument of README's table — name, unit, the attribute keys of each point, and where the fixture makes the
/// number known, its value — as exported through an in-memory OpenTelemetry exporter after a real session's interval.
/// Dashboards, the alert rules and the Prometheus names are built on these, so a rename is a breaking change.
/// </summary>
[Collection(NetDropMeterCollectionDefinition.Name)]
public sealed class InstrumentCatalogTests : IDisposable
{
    /// <summary>README "OpenTelemetry": instrument → unit (an empty unit is exported as null or "").</summary>
    private static readonly Dictionary<string, string> s_units = new(StringComparer.Ordinal)
    {
        ["netdrop.packet.dropped"] = "{packet}",
        ["system.network.packet.dropped"] = "{packet}",
        ["netdrop.pressure"] = "{event}",
        ["netdrop.interval.severity"] = "",
        ["netdrop.crit.intervals"] = "{interval}",
        ["netdrop.sample.duration"] = "s",
        ["netdrop.source.errors"] = "{error}",
    };

    private static readonly string[] s_interfaceCategories = ["nic_rx", "nic_tx", "nic_missed", "qdisc", "nic_nohandler", "nic_rx_errors"];
    private static readonly string[] s_pressureCategories =
        ["tcp_collapsed", "softnet_squeeze", "tcp_prune_called", "syn_cookies", "conntrack_early_drop", "icmp_ratelimit"];

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly List<Metric> _exported = [];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Interval_EveryInstrument_NameUnitAttributeKeysAndKnownValues(bool perCpu)
    {
        using MeterProvider provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter("NetDrop")
            .AddInMemoryExporter(_exported)
            .Build();
        using var monitor = new FixtureMonitor(options => (options.Threshold, options.PerCpu) = (1_000, perCpu));
        using var metrics = new NetDropMetrics(
            _services.GetRequiredService<IMeterFactory>(), monitor.Session.Registry, perCpu, () => monitor.Session.LastSampleSeconds, monitor.Session.Health.FailureCountOf);
        monitor.Session.AddSink(metrics);

        // One interval of one fixture step, with /proc/net/snmp6 unreadable garbage: one snmp6 source error.
        monitor.Interval(1, k: 1, (file, good) => file == MutationFixtureRoot.Snmp6 ? "garbage\n"u8.ToArray() : null);
        provider.ForceFlush();

        Assert.Equal(s_units.Keys.Order(StringComparer.Ordinal), _exported.Select(metric => metric.Name).Distinct().Order(StringComparer.Ordinal));
        foreach (Metric metric in _exported)
        {
            Assert.True(s_units[metric.Name] == (metric.Unit ?? ""), $"{metric.Name}: unit '{metric.Unit}', README says '{s_units[metric.Name]}'");
        }

        foreach ((string? category, Dictionary<string, object?> tags, long value) in Points("netdrop.packet.dropped"))
        {
            string[] expected = s_interfaceCategories.Contains(category ?? "") ? ["netdrop.category", "network.interface.name"]
                : category == "softirq" && perCpu ? ["cpu.logical_number", "netdrop.category"]
                : ["netdrop.category"];
            Assert.True(expected.SequenceEqual(tags.Keys.Order(StringComparer.Ordinal)), $"netdrop.packet.dropped {category}: keys {string.Join(',', tags.Keys)}");
            Assert.DoesNotContain(category ?? "", s_pressureCategories);
            Assert.NotNull(category);
            Assert.True(value >= 0, category);
        }

        Assert.Equal((long)MutationFixtureRoot.Steps["eth0 rx_dropped"], Single("netdrop.packet.dropped", "nic_rx", "eth0"));
        Assert.Equal((long)MutationFixtureRoot.Steps["lo rx_dropped"], Single("netdrop.packet.dropped", "nic_rx", "lo"));
        Assert.Equal((long)MutationFixtureRoot.ExpectedPerStep["accept_queue"], Single("netdrop.packet.dropped", "accept_queue", null));
        Assert.Equal((long)MutationFixtureRoot.ExpectedPerStep["softirq"], Points("netdrop.packet.dropped").Where(point => point.Category == "softirq").Sum(point => point.Value));

        var system = Points("system.network.packet.dropped").ToList();
        Assert.All(system, point => Assert.Equal(["network.interface.name", "network.io.direction"], point.Tags.Keys.Order(StringComparer.Ordinal)));
        // Semantic conventions: /proc/net/dev's receive drops, rx_dropped + rx_missed_errors (dev_seq_printf_stats()).
        Assert.Equal((long)(MutationFixtureRoot.Steps["eth0 rx_dropped"] + MutationFixtureRoot.Steps["eth0 rx_missed_errors"]), system.Single(point => Is(point.Tags, "eth0", "receive")).Value);
        Assert.Equal((long)MutationFixtureRoot.Steps["eth0 tx_dropped"], system.Single(point => Is(point.Tags, "eth0", "transmit")).Value);

        var pressure = Points("netdrop.pressure").ToList();
        Assert.All(pressure, point => Assert.Equal(["netdrop.category"], point.Tags.Keys));
        // Unavailable categories export nothing: conntrack_early_drop (the fixture root has no /proc/net/stat tables) and
        // icmp_ratelimit (one of its counters is in the snmp6 this interval makes garbage).
        string[] unreadable = ["conntrack_early_drop", "icmp_ratelimit"];
        Assert.Equal(s_pressureCategories.Except(unreadable).Order(StringComparer.Ordinal), pressure.Select(point => point.Category).Order(StringComparer.Ordinal));
        Assert.Equal((long)MutationFixtureRoot.ExpectedPerStep["tcp_collapsed"], pressure.Single(point => point.Category == "tcp_collapsed").Value);

        // 89 drops under a threshold of 1000: WARN, which the gauge says as 1.
        var severity = Points("netdrop.interval.severity").Single();
        Assert.Equal(["network.interface.name"], severity.Tags.Keys);
        Assert.Equal(1, severity.Value);

        var crit = Points("netdrop.crit.intervals").Single();
        Assert.Equal(["network.interface.name"], crit.Tags.Keys);
        Assert.Equal(0, crit.Value);

        MetricPoint duration = Assert.Single(PointsOf("netdrop.sample.duration"));
        Assert.Equal(0, duration.Tags.Count);
        Assert.Equal(1, duration.GetHistogramCount());

        var errors = Points("netdrop.source.errors").ToList();
        Assert.All(errors, point => Assert.Equal(["netdrop.source"], point.Tags.Keys));
        Assert.Equal(1, errors.Single(point => (string?)point.Tags["netdrop.source"] == "snmp6").Value);
        Assert.All(errors.Where(point => (string?)point.Tags["netdrop.source"] != "snmp6"), point => Assert.Equal(0, point.Value));
    }

    public void Dispose() => _services.Dispose();

    private static bool Is(Dictionary<string, object?> tags, string interfaceName, string direction) =>
        (string?)tags["network.interface.name"] == interfaceName && (string?)tags["network.io.direction"] == direction;

    private long Single(string instrument, string category, string? interfaceName) =>
        Points(instrument).Single(point => point.Category == category
            && (interfaceName is null || (string?)point.Tags.GetValueOrDefault("network.interface.name") == interfaceName)).Value;

    private IEnumerable<MetricPoint> PointsOf(string instrument)
    {
        foreach (Metric metric in _exported.Where(metric => metric.Name == instrument))
        {
            foreach (MetricPoint point in metric.GetMetricPoints())
            {
                yield return point;
            }
        }
    }

    private IEnumerable<(string? Category, Dictionary<string, object?> Tags, long Value)> Points(string instrument)
    {
        foreach (Metric metric in _exported.Where(metric => metric.Name == instrument))
        {
            foreach (MetricPoint point in metric.GetMetricPoints())
            {
                var tags = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (KeyValuePair<string, object?> tag in point.Tags)
                {
                    tags[tag.Key] = tag.Value;
                }

                long value = metric.MetricType switch
                {
                    MetricType.LongGauge => point.GetGaugeLastValueLong(),
                    MetricType.LongSum or MetricType.LongSumNonMonotonic => point.GetSumLong(),
                    _ => throw new InvalidOperationException($"{instrument} is a {metric.MetricType}"),
                };
                yield return (tags.GetValueOrDefault("netdrop.category") as string, tags, value);
            }
        }
    }
}
