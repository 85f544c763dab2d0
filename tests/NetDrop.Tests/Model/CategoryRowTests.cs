using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NetDrop.Analysis;
using NetDrop.Model;
using NetDrop.Agent;
using NetDrop.Configuration;
using NetDrop.Sinks.Telemetry;
using NetDrop.Tests.TestSupport;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace NetDrop.Tests.Model;

/// <summary>
/// "Adding a category is adding a row": a row appended to the product's table over a counter no category reads
/// (TcpExt TCPTimeouts of the sentinel fixture, which the test raises by 777 between two samples) appears in the CSV
/// header and row, the console breakdown and the metrics, and <c>analyze</c> over that CSV with the same table
/// reports its total, with no other edit anywhere.
/// </summary>
public sealed class CategoryRowTests : IDisposable
{
    private const ulong TimeoutsAdded = 777;

    private readonly string _root = Directory.CreateTempSubdirectory("netdrop-row-").FullName;

    private static readonly DropCategory s_timeouts = new(
        DropCategories.Table.Count, "tcp_timeouts", "TCP Retransmission Timeouts (test row)", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.TcpExt("TCPTimeouts")),
        new("retransmission timeouts: check the path; {net.ipv4.tcp_retries2}"));

    [Fact]
    public void Monitor_TableWithOneMoreRow_TheRowReachesCsvConsoleMetricsAndAnalyze()
    {
        DirectoryTree.Copy(Path.Join(AppContext.BaseDirectory, "Fixtures", "sentinel", "t0"), _root);
        string netstat = Path.Join(_root, "proc", "net", "netstat");
        DropCategoryTable table = DropCategories.Table.Append(s_timeouts);
        string csvPath = Path.Join(_root, "drops.log");
        var options = new MonitorOptions
        {
            Interfaces = ["eth0"],
            ProcRoot = Path.Join(_root, "proc"),
            SysRoot = Path.Join(_root, "sys"),
            LinkSource = LinkSourceKind.Sysfs,
            EthtoolEnabled = false,
            CsvPath = csvPath,
            Categories = table,
        };
        var exported = new List<Metric>();
        using ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using MeterProvider provider = Sdk.CreateMeterProviderBuilder().AddMeter(NetDropSemanticConventions.MeterName).AddInMemoryExporter(exported).Build();
        using var console = new StringWriter(CultureInfo.InvariantCulture);

        using (var session = new MonitorSession(options, console, TextWriter.Null))
        using (var metrics = new NetDropMetrics(services.GetRequiredService<IMeterFactory>(), session.Registry, perCpu: false, () => 0, _ => 0))
        {
            session.AddSink(metrics);
            AddToTcpExtField(netstat, "TCPTimeouts", TimeoutsAdded);
            session.ReportInterval(1);
            session.CompleteSinks();
        }

        provider.ForceFlush();
        List<string[]> rows = CsvRecords.Parse(File.ReadAllText(csvPath));
        int column = Array.IndexOf(rows[0], "tcp_timeouts");
        Assert.Equal(rows[0].Length - 3, column); // appended after every existing category, before interval_s and unavailable
        Assert.Equal("777", rows[1][column]);
        Assert.Contains("├─ TCP Retransmission Timeouts (test row): 777", console.ToString(), StringComparison.Ordinal);
        long metric = exported
            .Where(m => m.Name == NetDropSemanticConventions.PacketDropped)
            .SelectMany(MetricPoints)
            .Where(point => Tag(point, NetDropSemanticConventions.AttributeCategory) == "tcp_timeouts")
            .Sum(point => point.GetSumLong());
        Assert.Equal(777, metric);

        // analyze reads the same CSV by the same table: the column is a category of the report, not a column read past.
        DropReport report = DropAnalyzer.Analyze(table, new AnalysisOptions([csvPath], ReportFilter.None));
        var json = new StringWriter(CultureInfo.InvariantCulture);
        ReportRenderer.Render(report, ReportFormat.Json, json);
        using JsonDocument document = JsonDocument.Parse(json.ToString());
        Assert.Equal(777, document.RootElement.GetProperty("totals").GetProperty("tcp_timeouts").GetInt64());
        var text = new StringWriter(CultureInfo.InvariantCulture);
        ReportRenderer.Render(report, ReportFormat.Text, text);
        Assert.Matches(@"tcp_timeouts\s.*\b777\b", text.ToString());
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    // The test's own reading of the format: the TcpExt header line names the fields, the next line holds their values.
    private static void AddToTcpExtField(string path, string field, ulong amount)
    {
        string[] lines = File.ReadAllLines(path);
        int header = Array.FindIndex(lines, line => line.StartsWith("TcpExt:", StringComparison.Ordinal));
        string[] names = lines[header].Split(' ');
        string[] values = lines[header + 1].Split(' ');
        int index = Array.IndexOf(names, field);
        Assert.True(index > 0, $"{path} has no TcpExt {field}");
        values[index] = (ulong.Parse(values[index], CultureInfo.InvariantCulture) + amount).ToString(CultureInfo.InvariantCulture);
        lines[header + 1] = string.Join(' ', values);
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
    }

    private static IEnumerable<MetricPoint> MetricPoints(Metric metric)
    {
        var points = new List<MetricPoint>();
        foreach (ref readonly MetricPoint point in metric.GetMetricPoints())
        {
            points.Add(point);
        }

        return points;
    }

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (KeyValuePair<string, object?> tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }
}
