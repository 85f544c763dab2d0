using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using NetDrop.Model;
using NetDrop.Sinks.Csv;
using NetDrop.Sources;
using NetDrop.Deltas;
using NetDrop.Sinks.Telemetry;
using NetDrop.Tests.Sampling;
using NetDrop.Tests.TestSupport;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace NetDrop.Tests.Telemetry;

public sealed class NetDropMetricsTests : IDisposable
{
    private const uint RootParent = 0xFFFFFFFF;

    private readonly string _directory = Directory.CreateTempSubdirectory("netdrop-metrics-").FullName;
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly List<Metric> _exported = [];
    private readonly InterfaceRegistry _registry = new();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Write_IntervalsWithResetsAndSeveralInterfaces_MetricSumsEqualCsvSumsExactly(bool perCpu)
    {
        using MeterProvider provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(NetDropSemanticConventions.MeterName)
            .AddInMemoryExporter(_exported)
            .Build();
        using var metrics = new NetDropMetrics(_services.GetRequiredService<IMeterFactory>(), _registry, perCpu, () => 0.0001, _ => 0);
        string csvPath = Path.Join(_directory, "drops.log");
        using (var csv = new CsvSink(csvPath))
        {
            csv.Open();
            var engine = new DeltaEngine(TestPlans.Default, _registry, new SeverityPolicy());
            Sample[] samples = Samples();
            for (int i = 1; i < samples.Length; i++)
            {
                var report = new IntervalReport(DropCategories.Table);
                engine.Compute(samples[i - 1], samples[i], report, TimeSpan.FromSeconds(5));
                report.Iteration = i;
                report.Timestamp = DateTimeOffset.UnixEpoch;
                report.InterfaceLabel = "eth0+eth1";
                csv.Write(report);
                metrics.Write(report);
            }
        }

        // Twice: netdrop.crit.intervals shows a new series at 0 in its first export (see the born-at-zero test).
        provider.ForceFlush();
        provider.ForceFlush();
        List<string[]> rows = CsvRecords.Parse(File.ReadAllText(csvPath)).Skip(1).ToList();
        // Which columns are pressure, not drops (DESIGN.md), written here: taking it from DropCategory.IsDrop would
        // send the test to whichever instrument the code under test picked.
        string[] pressure = ["tcp_collapsed", "softnet_squeeze", "tcp_prune_called", "syn_cookies", "conntrack_early_drop", "icmp_ratelimit"];
        foreach (DropCategory category in DropCategories.Table)
        {
            long csvSum = rows.Sum(row => long.Parse(row[CsvSchema.ColumnOf(category)], System.Globalization.CultureInfo.InvariantCulture));
            string instrument = pressure.Contains(category.Column) ? NetDropSemanticConventions.Pressure : NetDropSemanticConventions.PacketDropped;
            Assert.True(csvSum == Sum(instrument, NetDropSemanticConventions.AttributeCategory, category.Column), $"{category.Column}: CSV {csvSum}, metric {Sum(instrument, NetDropSemanticConventions.AttributeCategory, category.Column)}");
        }

        long nicRx = rows.Sum(row => long.Parse(row[CsvSchema.ColumnOf(DropCategories.NicRx)], System.Globalization.CultureInfo.InvariantCulture));

        // Semantic conventions: /proc/net/dev's receive drop column, rx_dropped + rx_missed_errors, without the driver
        // ring-full counters (ethtool) that nic_missed adds: from the samples' raw values, a rise of 30 then a reset
        // to 3 of rx_dropped, and rises of 5 and 2 of rx_missed_errors; transmit is tx_dropped, rises of 4 then 0.
        Assert.Equal(30 + 3 + 5 + 2, Sum(NetDropSemanticConventions.SystemPacketDropped, NetDropSemanticConventions.AttributeDirection, NetDropSemanticConventions.DirectionReceive));
        Assert.Equal(4, Sum(NetDropSemanticConventions.SystemPacketDropped, NetDropSemanticConventions.AttributeDirection, NetDropSemanticConventions.DirectionTransmit));
        Assert.Equal(rows.Count(row => row[CsvSchema.SeverityIndex] == "CRIT"), Sum(NetDropSemanticConventions.CritIntervals, null, null));
        Assert.True(nicRx > 0 && rows.Any(row => row[CsvSchema.SeverityIndex] == "CRIT"), "the samples must exercise drops and a CRIT interval");
    }

    [Fact]
    public void Write_PerCpuOff_SoftirqHasNoCpuAttribute()
    {
        using MeterProvider provider = Sdk.CreateMeterProviderBuilder().AddMeter(NetDropSemanticConventions.MeterName).AddInMemoryExporter(_exported).Build();
        using var metrics = new NetDropMetrics(_services.GetRequiredService<IMeterFactory>(), _registry, perCpu: false, () => 0, _ => 0);
        var report = new IntervalReport(DropCategories.Table) { InterfaceLabel = "eth0" };
        report[DropCategories.Softirq] = 5;
        report.Cpus.Add(new SoftnetDelta(0, 5, 0));

        metrics.Write(report);
        provider.ForceFlush();

        Metric dropped = _exported.Single(metric => metric.Name == NetDropSemanticConventions.PacketDropped);
        foreach (MetricPoint point in dropped.GetMetricPoints())
        {
            foreach (KeyValuePair<string, object?> tag in point.Tags)
            {
                Assert.NotEqual(NetDropSemanticConventions.AttributeCpu, tag.Key);
            }
        }

        Assert.Equal("{packet}", dropped.Unit);
    }

    [Fact]
    public void Write_FirstCritAfterStart_CritSeriesExportedAtZeroThenOne()
    {
        using MeterProvider provider = Sdk.CreateMeterProviderBuilder().AddMeter(NetDropSemanticConventions.MeterName).AddInMemoryExporter(_exported).Build();
        using var metrics = new NetDropMetrics(_services.GetRequiredService<IMeterFactory>(), _registry, perCpu: false, () => 0, _ => 0);

        // The very first interval is CRIT: the series must still be seen at 0 first, or increase() sees nothing.
        metrics.Write(new IntervalReport(DropCategories.Table) { InterfaceLabel = "eth0", Severity = Severity.Crit });
        provider.ForceFlush();
        long first = CritPoint("eth0");
        provider.ForceFlush();
        long second = CritPoint("eth0");

        Assert.Equal((0, 1), (first, second));
    }

    [Fact]
    public void Write_InterfaceAppearsInACritInterval_NewSeriesBornAtZero()
    {
        using MeterProvider provider = Sdk.CreateMeterProviderBuilder().AddMeter(NetDropSemanticConventions.MeterName).AddInMemoryExporter(_exported).Build();
        using var metrics = new NetDropMetrics(_services.GetRequiredService<IMeterFactory>(), _registry, perCpu: false, () => 0, _ => 0);
        metrics.Write(new IntervalReport(DropCategories.Table) { InterfaceLabel = "eth0", Severity = Severity.Ok });
        provider.ForceFlush();

        metrics.Write(new IntervalReport(DropCategories.Table) { InterfaceLabel = "eth0+eth1", Severity = Severity.Crit });
        metrics.Write(new IntervalReport(DropCategories.Table) { InterfaceLabel = "eth0+eth1", Severity = Severity.Crit });
        provider.ForceFlush();
        (long oldSeries, long newSeriesFirst) = (CritPoint("eth0"), CritPoint("eth0+eth1"));
        provider.ForceFlush();

        Assert.Equal((0, 0, 2), (oldSeries, newSeriesFirst, CritPoint("eth0+eth1")));
    }

    [Fact]
    public void Write_SourceReadsFailed_SourceErrorsCountedPerSourceName()
    {
        using MeterProvider provider = Sdk.CreateMeterProviderBuilder().AddMeter(NetDropSemanticConventions.MeterName).AddInMemoryExporter(_exported).Build();
        var failures = new Dictionary<SourceId, long> { [SourceId.Snmp6] = 2, [SourceId.Ethtool] = 5 };
        using var metrics = new NetDropMetrics(_services.GetRequiredService<IMeterFactory>(), _registry, perCpu: false, () => 0,
            source => failures.GetValueOrDefault(source));

        metrics.Write(new IntervalReport(DropCategories.Table) { InterfaceLabel = "eth0" });
        failures[SourceId.Snmp6] = 3;
        metrics.Write(new IntervalReport(DropCategories.Table) { InterfaceLabel = "eth0" });
        provider.ForceFlush();

        Assert.Equal(3, Sum(NetDropSemanticConventions.SourceErrors, "netdrop.source", "snmp6"));
        Assert.Equal(5, Sum(NetDropSemanticConventions.SourceErrors, "netdrop.source", "ethtool"));
        Assert.Equal(8, Sum(NetDropSemanticConventions.SourceErrors, null, null));
    }

    [Fact]
    public void Write_SampleDurations_HistogramBucketsResolveMicroseconds()
    {
        using MeterProvider provider = Sdk.CreateMeterProviderBuilder().AddMeter(NetDropSemanticConventions.MeterName).AddInMemoryExporter(_exported).Build();
        double seconds = 0;
        using var metrics = new NetDropMetrics(_services.GetRequiredService<IMeterFactory>(), _registry, perCpu: false, () => seconds, _ => 0);

        // A warm sample (~60 µs), a typical one (~120 µs), a cold one (3 ms) and a stalled one (80 ms).
        foreach (double duration in new[] { 0.00006, 0.00012, 0.003, 0.08 })
        {
            seconds = duration;
            metrics.Write(new IntervalReport(DropCategories.Table) { InterfaceLabel = "eth0" });
        }

        provider.ForceFlush();
        Metric histogram = _exported.Last(metric => metric.Name == NetDropSemanticConventions.SampleDuration);
        Assert.Equal("s", histogram.Unit);
        foreach (MetricPoint point in histogram.GetMetricPoints())
        {
            var buckets = new List<(double Bound, long Count)>();
            foreach (HistogramBucket bucket in point.GetHistogramBuckets())
            {
                buckets.Add((bucket.ExplicitBound, bucket.BucketCount));
            }

            // Each of the four samples in a bucket of its own, between 50 µs and 100 ms.
            Assert.Equal(4, buckets.Count(bucket => bucket.Count == 1));
            Assert.Equal(0.00005, buckets[0].Bound);
            Assert.Equal(0.1, buckets[^2].Bound);
            Assert.Equal(0, buckets[^1].Count); // nothing above 100 ms
        }
    }

    public void Dispose()
    {
        _services.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    // The last exported value of netdrop.crit.intervals for one interface label.
    private long CritPoint(string label)
    {
        Metric metric = _exported.Last(metric => metric.Name == NetDropSemanticConventions.CritIntervals);
        foreach (MetricPoint point in metric.GetMetricPoints())
        {
            foreach (KeyValuePair<string, object?> tag in point.Tags)
            {
                if (tag.Key == NetDropSemanticConventions.AttributeInterface && (string?)tag.Value == label)
                {
                    return point.GetSumLong();
                }
            }
        }

        throw new InvalidOperationException($"no netdrop.crit.intervals point for {label} in the last export");
    }

    // The last exported cumulative value of every point of an instrument whose attribute has the value (or all points).
    private long Sum(string instrument, string? key, string? value)
    {
        long sum = 0;
        foreach (Metric metric in _exported.Where(metric => metric.Name == instrument).TakeLast(1))
        {
            foreach (MetricPoint point in metric.GetMetricPoints())
            {
                bool matches = key is null;
                foreach (KeyValuePair<string, object?> tag in point.Tags)
                {
                    matches |= tag.Key == key && (string?)tag.Value == value;
                }

                if (matches)
                {
                    sum += point.GetSumLong();
                }
            }
        }

        return sum;
    }

    // Two interfaces, a counter reset, a qdisc replaced, a 32-bit softnet wrap and a CRIT interval.
    private Sample[] Samples()
    {
        int eth0 = _registry.GetOrAdd("eth0");
        int eth1 = _registry.GetOrAdd("eth1");
        return
        [
            new SampleBuilder().Interface(eth0, 2, rxDropped: 10, missed: 1, ringFull: 100).Interface(eth1, 3, txDropped: 5).Qdisc(2, 0x10000, RootParent, 7)
                .Softnet((0, 10, 1), (1, uint.MaxValue - 3, 0)).Host(HostCounter.TcpListenOverflows, 4).Build(),
            new SampleBuilder().Interface(eth0, 2, rxDropped: 40, missed: 6, ringFull: 150).Interface(eth1, 3, txDropped: 9).Qdisc(2, 0x10000, RootParent, 17)
                .Softnet((0, 15, 3), (1, 6, 0)).Host(HostCounter.TcpListenOverflows, 150).Host(HostCounter.TcpRcvCollapsed, 12).Build(),
            new SampleBuilder().Interface(eth0, 2, rxDropped: 3, missed: 8, ringFull: 150).Interface(eth1, 3, txDropped: 9).Qdisc(2, 0x20000, RootParent, 2)
                .Softnet((0, 15, 3), (1, 8, 0)).Host(HostCounter.TcpListenOverflows, 150).Host(HostCounter.UdpRcvbufErrors, 8).Build(),
        ];
    }
}
