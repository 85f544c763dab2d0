using System.Diagnostics;
using System.Globalization;

using NetDrop.Model;

namespace NetDrop.Analysis.Tests;

/// <summary>
/// Parity with the seed: bench/analyze/analyze-drops-awk.sh (the seed's analyze_drops.sh sections, in awk) and
/// netdrop analyze must print the same numbers over the same file. awk is part of every Debian base system; if it is
/// missing the test fails rather than proving nothing.
/// </summary>
public class AwkParityTests
{
    [Theory]
    [InlineData("netdrop-afternoon.csv")]
    [InlineData("seed.csv")]
    public void AwkEquivalentScript_Fixture_SameNumbersAsTheReport(string fixture)
    {
        string path = AnalyzeTestFiles.Fixture(fixture);
        string awk = RunAwkScript(path);
        DropReport report = DropAnalyzer.Analyze(DropCategories.Table, new AnalysisOptions([path], ReportFilter.None));

        Assert.Contains($"Total Monitoring Intervals: {report.Intervals}\n", awk, StringComparison.Ordinal);
        Assert.Contains($"Intervals with Drops: {report.IntervalsWithDrops}\n", awk, StringComparison.Ordinal);
        Assert.Contains($"Drop Rate: {report.PercentWithDrops.ToString("0.00", CultureInfo.InvariantCulture)}%\n", awk, StringComparison.Ordinal);
        Assert.Equal(report.TotalDrops, AwkValue(awk, "total_drops"));
        foreach (CategoryTotal total in report.Categories.Where(c => c.Category.Id < NetDrop.Model.DropCategoryTable.SeedCount))
        {
            Assert.Equal(total.Total, AwkValue(awk, total.Category.Column));
        }

        string[] topLines = Section(awk, "=== Top 10 Worst Intervals ===");
        Assert.Equal(report.Top.Select(t => t.TotalDrops), topLines.Select(l => long.Parse(l.Split(": ")[1].Split(' ')[0], CultureInfo.InvariantCulture)));

        string[] hourLines = Section(awk, "=== Drops by Hour of Day ===");
        foreach (string line in hourLines)
        {
            int hour = int.Parse(line.AsSpan(0, 2), CultureInfo.InvariantCulture);
            long drops = long.Parse(line.Split(" - ")[1].Split(' ')[0], CultureInfo.InvariantCulture);
            Assert.Equal(report.ByHour[hour], drops);
        }

        string[] lastLines = Section(awk, "=== Last 20 Monitoring Intervals ===").Skip(2).ToArray();
        Assert.Equal(report.Latest.Select(r => r.Timestamp.ToString()), lastLines.Select(l => l.Split(" | ")[0]));
    }

    private static long AwkValue(string awk, string column)
    {
        string line = awk.Split('\n').Single(l => l.StartsWith(column + ":", StringComparison.Ordinal));
        return long.Parse(line[(column.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
    }

    private static string[] Section(string awk, string heading)
    {
        string[] lines = awk.Split('\n');
        int start = Array.IndexOf(lines, heading) + 1;
        Assert.True(start > 0, heading);
        return [.. lines.Skip(start).TakeWhile(l => l.Length > 0 && !l.StartsWith("====", StringComparison.Ordinal))];
    }

    private static string RunAwkScript(string path)
    {
        var start = new ProcessStartInfo("bash", [AnalyzeTestFiles.BenchScript("analyze-drops-awk.sh"), path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["LC_ALL"] = "C";
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "the awk script did not finish in 60 s");
        Assert.True(process.ExitCode == 0, $"awk script exit {process.ExitCode}: {error}");
        return output;
    }
}
