using System.Runtime.CompilerServices;
using NetDrop.Model;

namespace NetDrop.Analysis.Tests;

/// <summary>
/// Every format over the fixtures, compared with committed golden files. To accept a deliberate change:
/// <c>NETDROP_UPDATE_GOLDEN=1 dotnet test --filter ReportGoldenTests</c>, then review the diff.
/// </summary>
public class ReportGoldenTests
{
    [Theory]
    [InlineData("netdrop-afternoon.csv", "text", "afternoon.txt")]
    [InlineData("netdrop-afternoon.csv", "json", "afternoon.json")]
    [InlineData("netdrop-afternoon.csv", "markdown", "afternoon.md")]
    [InlineData("netdrop-afternoon.csv", "html", "afternoon.html")]
    [InlineData("seed.csv", "text", "seed.txt")]
    [InlineData("seed.csv", "markdown", "seed.md")]
    public void Render_Fixture_MatchesGolden(string fixture, string format, string golden)
    {
        DropReport report = DropAnalyzer.Analyze(DropCategories.Table, new AnalysisOptions([AnalyzeTestFiles.Fixture(fixture)], ReportFilter.None));
        var writer = new StringWriter { NewLine = "\n" };
        ReportRenderer.Render(report, Enum.Parse<ReportFormat>(format, ignoreCase: true), writer);

        // Paths in the report are as given; make them repository-relative so the golden does not depend on the checkout.
        string actual = writer.ToString().Replace(AnalyzeTestFiles.RepositoryRoot + "/", "", StringComparison.Ordinal);
        AssertGolden(Path.Combine(AnalyzeTestFiles.FixtureDirectory, "golden", golden), actual);
    }

    [Fact]
    public void RenderText_WithColour_UsesAnsiAndWithoutColourNone()
    {
        DropReport report = DropAnalyzer.Analyze(DropCategories.Table, new AnalysisOptions([AnalyzeTestFiles.Fixture("seed.csv")], ReportFilter.None));
        var colored = new StringWriter();
        var plain = new StringWriter();
        TextReportRenderer.Render(report, colored, color: true);
        TextReportRenderer.Render(report, plain, color: false);

        Assert.Contains("\u001b[", colored.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', plain.ToString());
    }

    internal static void AssertGolden(string goldenPath, string actual, [CallerMemberName] string test = "")
    {
        if (Environment.GetEnvironmentVariable("NETDROP_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(goldenPath)!);
            File.WriteAllText(goldenPath, actual);
            return;
        }

        Assert.True(File.Exists(goldenPath), $"{test}: golden {goldenPath} is missing; run with NETDROP_UPDATE_GOLDEN=1 to create it.");
        string expected = File.ReadAllText(goldenPath);
        if (expected != actual)
        {
            File.WriteAllText(goldenPath + ".actual", actual);
            string[] e = expected.Split('\n');
            string[] a = actual.Split('\n');
            int line = 0;
            while (line < Math.Min(e.Length, a.Length) && e[line] == a[line])
            {
                line++;
            }

            Assert.Fail($"{goldenPath} differs at line {line + 1}:\n  golden: {(line < e.Length ? e[line] : "<end>")}\n  actual: {(line < a.Length ? a[line] : "<end>")}\n(full output in {goldenPath}.actual)");
        }
    }
}
