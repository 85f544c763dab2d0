using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using NetDrop.Csv;
using NetDrop.Model;
using NetDrop.Sampling;
using NetDrop.Telemetry;
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
        using var metrics = new NetDropMetrics(_services.GetRequiredService<IMeterFactory>(), _registry, perCpu, () => 0.0001, () => 0);
        string csvPath = Path.Join(_directory, "drops.log");
        using (var csv = new CsvSink(csvPath))
        {
            csv.Open();
            var engine = new DeltaEngine(_registry, new SeverityPolicy());
            Sample[] samples = Samples();
            for (int i = 1; i < samples.Length; i++)
            {
                var report = new IntervalReport();
                engine.Compute(samples[i - 1], samples[i], report, TimeSpan.FromSeconds(5));
                report.Iteration = i;
                report.Timestamp = DateTimeOffset.UnixEpoch;
                report.InterfaceLabel = "eth0+eth1";
                csv.Write(report);
                metrics.Write(report);
            }
        }

        provider.ForceFlush();
        List<string[]> rows = CsvRecords.Parse(File.ReadAllText(csvPath)).Skip(1).ToList();
        // Which columns are pressure, not drops (DESIGN.md), written here: taking it from DropCategory.IsDrop would
        // send the test to whichever instrument the code under test picked.
        string[] pressure = ["tcp_collapsed", "softnet_squeeze", "tcp_prune_called", "syn_cookies"];
        foreach (DropCategory category in DropCategories.All)
        {
            long csvSum = rows.Sum(row => long.Parse(row[CsvSchema.ColumnOf(category)], System.Globalization.CultureInfo.InvariantCulture));
            string instrument = pressure.Contains(category.Column) ? NetDropSemanticConventions.Pressure : NetDropSemanticConventions.PacketDropped;
            Assert.True(csvSum == Sum(instrument, NetDropSemanticConventions.AttributeCategory, category.Column), $"{category.Column}: CSV {csvSum}, metric {Sum(instrument, NetDropSemanticConventions.AttributeCategory, category.Column)}");
        }

        long nicRx = rows.Sum(row => long.Parse(row[CsvSchema.ColumnOf(DropCategories.NicRx)], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(nicRx, Sum(NetDropSemanticConventions.SystemPacketDropped, NetDropSemanticConventions.AttributeDirection, NetDropSemanticConventions.DirectionReceive));
        Assert.Equal(rows.Count(row => row[CsvSchema.SeverityIndex] == "CRIT"), Sum(NetDropSemanticConventions.CritIntervals, null, null));
        Assert.True(nicRx > 0 && rows.Any(row => row[CsvSchema.SeverityIndex] == "CRIT"), "the samples must exercise drops and a CRIT interval");
    }

    [Fact]
    public void Write_PerCpuOff_SoftirqHasNoCpuAttribute()
    {
        using MeterProvider provider = Sdk.CreateMeterProviderBuilder().AddMeter(NetDropSemanticConventions.MeterName).AddInMemoryExporter(_exported).Build();
        using var metrics = new NetDropMetrics(_services.GetRequiredService<IMeterFactory>(), _registry, perCpu: false, () => 0, () => 0);
        var report = new IntervalReport { InterfaceLabel = "eth0" };
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

    public void Dispose()
    {
        _services.Dispose();
        Directory.Delete(_directory, recursive: true);
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
            new SampleBuilder().Interface(eth0, 2, rxDropped: 10).Interface(eth1, 3, txDropped: 5).Qdisc(2, 0x10000, RootParent, 7)
                .Softnet((0, 10, 1), (1, uint.MaxValue - 3, 0)).Host(HostCounter.TcpListenOverflows, 4).Build(),
            new SampleBuilder().Interface(eth0, 2, rxDropped: 40).Interface(eth1, 3, txDropped: 9).Qdisc(2, 0x10000, RootParent, 17)
                .Softnet((0, 15, 3), (1, 6, 0)).Host(HostCounter.TcpListenOverflows, 150).Host(HostCounter.TcpRcvCollapsed, 12).Build(),
            new SampleBuilder().Interface(eth0, 2, rxDropped: 3).Interface(eth1, 3, txDropped: 9).Qdisc(2, 0x20000, RootParent, 2)
                .Softnet((0, 15, 3), (1, 8, 0)).Host(HostCounter.TcpListenOverflows, 150).Host(HostCounter.UdpRcvbufErrors, 8).Build(),
        ];
    }
}
