using NetDrop.Model;

namespace NetDrop.Analysis.Tests;

/// <summary>
/// <c>analyze drops.log drops.detail.log</c>: the detail file is told from the seed CSV by its header and summed per
/// scope. Expected totals are added up by hand from netdrop-incident.detail.csv (FIXTURE.md); the four formats are
/// golden files (<c>NETDROP_UPDATE_GOLDEN=1</c> to accept a deliberate change).
/// </summary>
public sealed class DetailReportTests
{
    private static DropReport Analyze(ReportFilter filter, int top = AnalysisOptions.DefaultTop) => DropAnalyzer.Analyze(
        DropCategories.Table,
        new AnalysisOptions([AnalyzeTestFiles.Fixture("netdrop-incident.csv"), AnalyzeTestFiles.Fixture("netdrop-incident.detail.csv")], filter, top));

    [Fact]
    public void Analyze_SeedAndDetailFile_TopListPerScopeByTotal()
    {
        DropReport report = Analyze(ReportFilter.None);

        Assert.Equal(4, report.Intervals); // the detail file's rows are not seed intervals
        Assert.Equal(575, report.TotalDrops);
        DetailSummary detail = Assert.IsType<DetailSummary>(report.Detail);
        Assert.Equal(10, detail.Rows);
        Assert.Equal(["interface", "cpu"], detail.Scopes.Select(scope => scope.Scope));
        Assert.Equal(
            [("eth1", "nic_rx", 310L), ("eth0", "nic_rx", 120L), ("eth1", "qdisc", 100L), ("eth1", "nic_tx", 7L)],
            detail.Scopes[0].Top.Select(total => (total.Key, total.Category, total.Total)));
        Assert.Equal(
            [("1", "softirq", 35L), ("1", "softnet_squeeze", 4L), ("0", "softirq", 3L)],
            detail.Scopes[1].Top.Select(total => (total.Key, total.Category, total.Total)));
    }

    [Fact]
    public void Analyze_DetailWithTopAndSince_KeepsTheLargestAndTheIntervalsAsked()
    {
        Assert.True(LocalTimestamp.TryParseUserInput("2026-02-03 11:23:55", out LocalTimestamp since));

        DropReport report = Analyze(new ReportFilter(since, null, []), top: 1);

        Assert.Equal([("eth1", "nic_rx", 300L)], report.Detail!.Scopes[0].Top.Select(total => (total.Key, total.Category, total.Total)));
        Assert.Equal(4, report.Detail.Scopes[0].Series);
    }

    [Fact]
    public void Analyze_NoDetailFile_HasNoDetail()
    {
        DropReport report = DropAnalyzer.Analyze(DropCategories.Table, new AnalysisOptions([AnalyzeTestFiles.Fixture("netdrop-incident.csv")], ReportFilter.None));

        Assert.Null(report.Detail);
    }

    [Theory]
    [InlineData("text", "incident.txt")]
    [InlineData("json", "incident.json")]
    [InlineData("markdown", "incident.md")]
    [InlineData("html", "incident.html")]
    public void Render_SeedAndDetailFixture_MatchesGolden(string format, string golden)
    {
        DropReport report = Analyze(ReportFilter.None);
        var writer = new StringWriter { NewLine = "\n" };
        ReportRenderer.Render(report, Enum.Parse<ReportFormat>(format, ignoreCase: true), writer);

        string actual = writer.ToString().Replace(AnalyzeTestFiles.RepositoryRoot + "/", "", StringComparison.Ordinal);
        ReportGoldenTests.AssertGolden(Path.Combine(AnalyzeTestFiles.FixtureDirectory, "golden", golden), actual);
    }
}
