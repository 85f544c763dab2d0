using System.Diagnostics;
using System.Globalization;
using NetDrop.Model;

namespace NetDrop.Analysis.Tests;

/// <summary>
/// The benchmark's input generator (bench/analyze/generate-30d.sh) must keep writing this version's CSV, or the
/// benchmark would measure a file netdrop half-ignores. One generated day is also checked against the one-pass awk.
/// </summary>
public class BenchGeneratorTests
{
    [Fact]
    public void Generate30d_OneDay_WritesOurHeaderAndRowsNetdropReadsWholly()
    {
        string path = Path.Combine(AnalyzeTestFiles.NewTempDirectory(), "day.csv");
        Run("bash", AnalyzeTestFiles.BenchScript("generate-30d.sh"), path, "1", "7");

        Assert.Equal(CsvSchema.Default.Header, File.ReadLines(path).First());
        DropReport report = DropAnalyzer.Analyze(DropCategories.Table, new AnalysisOptions([path], ReportFilter.None));
        Assert.Equal(17_280, report.Intervals);
        Assert.Equal(0, report.MalformedLines);
        Assert.True(report.IntervalsWithDrops > 100, "the generated day should have drop episodes");
        Assert.Equal(report.TotalDrops, report.DropCategorySum);

        string awk = Run("awk", "-F,", "-f", AnalyzeTestFiles.BenchScript("analyze-drops-1pass.awk"), path);
        Assert.Contains($"Total Monitoring Intervals: {report.Intervals}\n", awk, StringComparison.Ordinal);
        Assert.Contains($"Intervals with Drops: {report.IntervalsWithDrops}\n", awk, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"total_drops:   {report.TotalDrops,14}\n"), awk, StringComparison.Ordinal);
    }

    private static string Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), $"{file} did not finish");
        Assert.True(process.ExitCode == 0, $"{file} exited {process.ExitCode}: {error}");
        return output;
    }
}
