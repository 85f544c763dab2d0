using System.Globalization;
using System.Text.Json;
using NetDrop.Model;

namespace NetDrop.Analysis.Tests;

/// <summary>
/// The JSON report's numbers against a second, deliberately naive computation over the same fixture
/// (File.ReadAllLines + string.Split, LINQ sums), so a bug in the streaming parser cannot hide behind itself.
/// </summary>
public class JsonReportTotalsTests
{
    [Theory]
    [InlineData("netdrop-afternoon.csv")]
    [InlineData("seed.csv")]
    public void RenderJson_Fixture_TotalsEqualIndependentComputation(string fixture)
    {
        string path = AnalyzeTestFiles.Fixture(fixture);
        Naive expected = Naive.Compute(path);

        using JsonDocument json = RenderJson(new AnalysisOptions([path], ReportFilter.None));
        JsonElement root = json.RootElement;

        Assert.Equal(expected.Intervals, root.GetProperty("intervals").GetInt64());
        Assert.Equal(expected.IntervalsWithDrops, root.GetProperty("intervals_with_drops").GetInt64());
        Assert.Equal(Math.Round(expected.IntervalsWithDrops * 100.0 / expected.Intervals, 2), root.GetProperty("intervals_with_drops_pct").GetDouble());
        JsonElement totals = root.GetProperty("totals");
        Assert.Equal(expected.Totals["total_drops"], totals.GetProperty("total_drops").GetInt64());
        foreach (DropCategory category in DropCategories.Table)
        {
            JsonElement value = totals.GetProperty(category.Column);
            if (expected.Totals.TryGetValue(category.Column, out long sum))
            {
                Assert.Equal(sum, value.GetInt64());
            }
            else
            {
                Assert.Equal(JsonValueKind.Null, value.ValueKind);
            }
        }

        Assert.Equal(expected.ByHour, root.GetProperty("by_hour").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(expected.Top(10), root.GetProperty("top").EnumerateArray().Select(e => e.GetProperty("total_drops").GetInt64()));
        Assert.Equal(expected.LastTimestamps(20), root.GetProperty("last").EnumerateArray().Select(e => e.GetProperty("timestamp").GetString()));
        Assert.Equal(0, root.GetProperty("malformed_lines").GetInt64());
        Assert.Equal(expected.Severity("CRIT"), root.GetProperty("severity").GetProperty("CRIT").GetInt64());
    }

    [Fact]
    public void RenderJson_SeedFile_TotalDropsIsTheColumnSumAndTheNoteSaysCollapsedIsIncluded()
    {
        string path = AnalyzeTestFiles.Fixture("seed.csv");
        Naive expected = Naive.Compute(path);
        using JsonDocument json = RenderJson(new AnalysisOptions([path], ReportFilter.None));
        JsonElement root = json.RootElement;

        long collapsed = expected.Totals["tcp_collapsed"];
        Assert.True(collapsed > 0, "the fixture must exercise the seed's tcp_collapsed-in-total bug");
        Assert.Equal(expected.Totals["total_drops"], root.GetProperty("totals").GetProperty("total_drops").GetInt64());
        Assert.Equal(expected.Totals["total_drops"] - collapsed, root.GetProperty("drop_category_sum").GetInt64());
        Assert.Contains(root.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("also counted tcp_collapsed", StringComparison.Ordinal));
        Assert.Contains(root.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("negative", StringComparison.Ordinal));
        Assert.Equal("pressure", root.GetProperty("categories").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "tcp_collapsed").GetProperty("kind").GetString());
    }

    [Fact]
    public void RenderJson_EveryDesignKey_Present()
    {
        using JsonDocument json = RenderJson(new AnalysisOptions([AnalyzeTestFiles.Fixture("netdrop-afternoon.csv")], ReportFilter.None));
        foreach (string key in (string[])["intervals", "intervals_with_drops", "totals", "by_hour", "top", "last", "malformed_lines"])
        {
            Assert.True(json.RootElement.TryGetProperty(key, out _), key);
        }

        Assert.Equal(24, json.RootElement.GetProperty("by_hour").GetArrayLength());
        Assert.Equal(DropCategories.Table.Count + 1, json.RootElement.GetProperty("totals").EnumerateObject().Count());
    }

    [Fact]
    public void Analyze_RotatedFilesInAnyOrder_SameReportAsTheWholeLog()
    {
        string rotated = Path.Combine(AnalyzeTestFiles.FixtureDirectory, "rotated");
        string[] shuffled = [Path.Combine(rotated, "network_drops.log"), Path.Combine(rotated, "network_drops.log.2.gz"), Path.Combine(rotated, "network_drops.log.1")];

        using JsonDocument parts = RenderJson(new AnalysisOptions(shuffled, ReportFilter.None));
        using JsonDocument whole = RenderJson(new AnalysisOptions([AnalyzeTestFiles.Fixture("netdrop-afternoon.csv")], ReportFilter.None));

        foreach (string key in (string[])["intervals", "intervals_with_drops", "totals", "by_hour", "first_timestamp", "last_timestamp", "episodes", "interfaces"])
        {
            Assert.Equal(whole.RootElement.GetProperty(key).GetRawText(), parts.RootElement.GetProperty(key).GetRawText());
        }

        // The latest intervals come from the newest file, whatever order the shell globbed them in.
        Assert.Equal(
            whole.RootElement.GetProperty("last").EnumerateArray().Select(e => e.GetProperty("timestamp").GetString()),
            parts.RootElement.GetProperty("last").EnumerateArray().Select(e => e.GetProperty("timestamp").GetString()));
        Assert.True(parts.RootElement.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("path").GetString()!.EndsWith(".gz", StringComparison.Ordinal)).GetProperty("compressed").GetBoolean());
    }

    private static JsonDocument RenderJson(AnalysisOptions options)
    {
        DropReport report = DropAnalyzer.Analyze(DropCategories.Table, options);
        var writer = new StringWriter();
        ReportRenderer.Render(report, ReportFormat.Json, writer);
        return JsonDocument.Parse(writer.ToString());
    }

    /// <summary>The obvious computation: split every line, sum by header name.</summary>
    private sealed class Naive
    {
        private readonly List<string[]> _rows = [];
        private readonly Dictionary<string, int> _columns = [];

        public long Intervals => _rows.Count;

        public long IntervalsWithDrops => _rows.Count(r => long.Parse(r[_columns["total_drops"]], CultureInfo.InvariantCulture) > 0);

        public Dictionary<string, long> Totals { get; } = [];

        public long[] ByHour { get; } = new long[24];

        public static Naive Compute(string path)
        {
            var naive = new Naive();
            string[] lines = File.ReadAllLines(path);
            string[] header = lines[0].Split(',');
            for (int i = 0; i < header.Length; i++)
            {
                naive._columns[header[i]] = i;
            }

            foreach (string line in lines.Skip(1))
            {
                naive._rows.Add(line.Split(','));
            }

            foreach (string column in header.Where(h => h == "total_drops" || DropCategories.Table.Find(h) is not null))
            {
                naive.Totals[column] = naive._rows.Sum(r => long.Parse(r[naive._columns[column]], CultureInfo.InvariantCulture));
            }

            foreach (string[] row in naive._rows)
            {
                naive.ByHour[int.Parse(row[0].AsSpan(11, 2), CultureInfo.InvariantCulture)] += long.Parse(row[naive._columns["total_drops"]], CultureInfo.InvariantCulture);
            }

            return naive;
        }

        public IEnumerable<long> Top(int n) =>
            _rows.Select(r => long.Parse(r[_columns["total_drops"]], CultureInfo.InvariantCulture)).Where(d => d > 0).OrderByDescending(d => d).Take(n);

        public IEnumerable<string> LastTimestamps(int n) => _rows.TakeLast(n).Select(r => r[0]);

        public long Severity(string level) => _rows.Count(r => r[_columns["severity"]] == level);
    }
}
