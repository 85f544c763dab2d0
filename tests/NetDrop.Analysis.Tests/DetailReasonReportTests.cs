using NetDrop.Model;

namespace NetDrop.Analysis.Tests;

/// <summary>
/// <c>analyze drops.log drops.detail.log</c> with <c>reason</c> rows (<c>--drop-reasons</c>): the reasons are summed
/// apart from the category rows and from the seed CSV's totals, loss apart from NOT_SPECIFIED and the not-loss frees,
/// over every namespace and per namespace. Every expected value is added up by hand from
/// netdrop-reasons.detail.csv (FIXTURE.md lists the sums); the four formats are golden files.
/// </summary>
public sealed class DetailReasonReportTests
{
    private const string Pod = "5f1c2a7e-0000-4000-8000-000000000001";

    private static DropReport Analyze(ReportFilter filter, int top = AnalysisOptions.DefaultTop) => DropAnalyzer.Analyze(
        DropCategories.Table,
        new AnalysisOptions(
            [AnalyzeTestFiles.Fixture("netdrop-incident.csv"), AnalyzeTestFiles.Fixture("netdrop-incident.detail.csv"), AnalyzeTestFiles.Fixture("netdrop-reasons.detail.csv")],
            filter, top));

    private static LocalTimestamp At(string text) =>
        LocalTimestamp.TryParseUserInput(text, out LocalTimestamp value) ? value : throw new ArgumentException(text);

    [Fact]
    public void Analyze_ReasonRows_LossByTotalWithFirstLastAndPeakNeverInTheDrops()
    {
        DropReport report = Analyze(ReportFilter.None);

        // The seed file's figures are what they are without the reasons: they count the same packets.
        Assert.Equal(575, report.TotalDrops);
        DetailSummary detail = Assert.IsType<DetailSummary>(report.Detail);
        Assert.Equal(["interface", "cpu"], detail.Scopes.Select(scope => scope.Scope)); // no "reason" top list beside them
        Assert.Equal(22, detail.Rows); // 10 interface/cpu rows + 12 reason rows
        ReasonSummary reasons = Assert.IsType<ReasonSummary>(detail.Reasons);
        Assert.Equal(12, reasons.Rows);
        Assert.Equal(194, reasons.LossTotal); // 100 + 62 + 32
        Assert.Equal(3, reasons.LossReasons);
        Assert.Equal(
            [
                (null, "QDISC_DROP", DetailReasonKind.Loss, 100L, 1L, At("2026-02-03 11:23:55"), At("2026-02-03 11:23:55"), 100L, At("2026-02-03 11:23:55")),
                // 12 + 8 at :50, 30 + 2 at :55, 5 + 5 at :00: the peak is the interval's sum over namespaces.
                (null, "NO_SOCKET", DetailReasonKind.Loss, 62L, 3L, At("2026-02-03 11:23:50"), At("2026-02-03 11:24:00"), 32L, At("2026-02-03 11:23:55")),
                ((string?)null, "TCP_LISTEN_OVERFLOW", DetailReasonKind.Loss, 32L, 1L, At("2026-02-03 11:23:55"), At("2026-02-03 11:23:55"), 32L, At("2026-02-03 11:23:55")),
            ],
            reasons.Loss.Select(Tuple));
    }

    [Fact]
    public void Analyze_ReasonRows_NotSpecifiedAndNotLossKeptApartFromTheLoss()
    {
        ReasonSummary reasons = Analyze(ReportFilter.None).Detail!.Reasons!;

        Assert.Equal(2, reasons.KeptApartReasons);
        Assert.Equal(
            [
                (null, "NOT_SPECIFIED", DetailReasonKind.Unspecified, 68L, 3L, At("2026-02-03 11:23:50"), At("2026-02-03 11:24:00"), 40L, At("2026-02-03 11:23:50")),
                ((string?)null, "SOCKET_CLOSE", DetailReasonKind.NotLoss, 6L, 1L, At("2026-02-03 11:23:55"), At("2026-02-03 11:23:55"), 6L, At("2026-02-03 11:23:55")),
            ],
            reasons.KeptApart.Select(Tuple));
        Assert.DoesNotContain(reasons.Loss, total => total.Reason is "NOT_SPECIFIED" or "SOCKET_CLOSE");
    }

    [Fact]
    public void Analyze_ReasonRows_PerNamespaceByOwnerLossFirst()
    {
        ReasonSummary reasons = Analyze(ReportFilter.None).Detail!.Reasons!;

        Assert.Equal(4, reasons.Owners); // the agent's own, the pod, the container, iperf3/4300
        Assert.Equal(9, reasons.OwnerSeries);
        Assert.Equal(
            [
                (null, "QDISC_DROP", 100L),
                (null, "NO_SOCKET", 47L), // 12 + 30 + 5
                (Pod, "TCP_LISTEN_OVERFLOW", 32L),
                (Pod, "NO_SOCKET", 8L),
                ("0123456789ab", "NO_SOCKET", 5L),
                ("iperf3/4300", "NO_SOCKET", 2L),
                (null, "NOT_SPECIFIED", 65L), // 40 + 25: kept apart, after every loss share
                (null, "SOCKET_CLOSE", 6L),
                ((string?)"iperf3/4300", "NOT_SPECIFIED", 3L),
            ],
            reasons.ByOwner.Select(total => (total.Owner, total.Reason, total.Total)));
        ReasonTotal own = reasons.ByOwner[1];
        Assert.Equal((3L, At("2026-02-03 11:23:50"), At("2026-02-03 11:24:00"), 30L, At("2026-02-03 11:23:55")), (own.Intervals, own.FirstSeen, own.LastSeen, own.Peak, own.PeakAt));
    }

    [Fact]
    public void Analyze_ReasonRowsWithTopAndSince_KeepsTheIntervalsAskedAndTheLargest()
    {
        DropReport report = Analyze(new ReportFilter(At("2026-02-03 11:24:00"), null, []), top: 1);

        ReasonSummary reasons = report.Detail!.Reasons!;
        Assert.Equal(3, reasons.Rows); // the three rows of 11:24:00
        Assert.Equal(10, reasons.LossTotal); // NO_SOCKET 5 + 5
        Assert.Equal([("NO_SOCKET", 10L)], reasons.Loss.Select(total => (total.Reason, total.Total)));
        Assert.Equal(1, reasons.LossReasons);
        Assert.Equal([("NOT_SPECIFIED", 3L)], reasons.KeptApart.Select(total => (total.Reason, total.Total)));
        Assert.Single(reasons.ByOwner);
        Assert.Equal(3, reasons.OwnerSeries);
    }

    [Fact]
    public void Analyze_EqualPeaksInFilesGivenLateFirst_ThePeakIsTheEarliestInterval()
    {
        string early = AnalyzeTestFiles.WriteTemp(DetailCsvSchema.Header + "\n2026-02-03 10:00:05,1,reason,NO_SOCKET,loss,7\n", "early.detail.log");
        string late = AnalyzeTestFiles.WriteTemp(DetailCsvSchema.Header + "\n2026-02-03 11:00:05,1,reason,NO_SOCKET,loss,7\n2026-02-03 11:00:10,2,reason,NO_SOCKET,loss,3\n", "late.detail.log");

        ReasonTotal total = Assert.Single(DropAnalyzer.Analyze(DropCategories.Table, new AnalysisOptions([late, early], ReportFilter.None)).Detail!.Reasons!.Loss);

        Assert.Equal((17L, 3L, 7L), (total.Total, total.Intervals, total.Peak));
        Assert.Equal((At("2026-02-03 10:00:05"), At("2026-02-03 11:00:10"), At("2026-02-03 10:00:05")), (total.FirstSeen, total.LastSeen, total.PeakAt));
    }

    [Fact]
    public void Analyze_ReasonRowWithAnUnknownKindOrNoName_IsMalformedAndNamedByLine()
    {
        string path = AnalyzeTestFiles.WriteTemp(
            DetailCsvSchema.Header + "\n" +
            "2026-02-03 10:00:05,1,reason,NO_SOCKET,nic_rx,7\n" + // a category column is not a reason's kind
            "2026-02-03 10:00:05,1,reason,5f1c/,loss,7\n" + // an owner without a reason
            "2026-02-03 10:00:05,1,reason,NO_SOCKET,loss,4\n",
            "drops.detail.log");

        DropReport report = DropAnalyzer.Analyze(DropCategories.Table, new AnalysisOptions([path], ReportFilter.None));

        Assert.Equal(2, report.MalformedLines);
        Assert.Equal([2L, 3L], report.MalformedExamples.Select(line => line.Line));
        Assert.All(report.MalformedExamples, line => Assert.Contains("reason row", line.Reason, StringComparison.Ordinal));
        Assert.Equal([("NO_SOCKET", 4L)], report.Detail!.Reasons!.Loss.Select(total => (total.Reason, total.Total)));
    }

    [Fact]
    public void Analyze_DetailFileWithoutReasonRows_HasNoReasonSection()
    {
        DropReport report = DropAnalyzer.Analyze(DropCategories.Table, new AnalysisOptions(
            [AnalyzeTestFiles.Fixture("netdrop-incident.csv"), AnalyzeTestFiles.Fixture("netdrop-incident.detail.csv")], ReportFilter.None));

        Assert.Null(report.Detail!.Reasons);
    }

    [Theory]
    [InlineData("text", "reasons.txt")]
    [InlineData("json", "reasons.json")]
    [InlineData("markdown", "reasons.md")]
    [InlineData("html", "reasons.html")]
    public void Render_SeedDetailAndReasonFixtures_MatchesGolden(string format, string golden)
    {
        DropReport report = Analyze(ReportFilter.None);
        var writer = new StringWriter { NewLine = "\n" };
        ReportRenderer.Render(report, Enum.Parse<ReportFormat>(format, ignoreCase: true), writer);

        string actual = writer.ToString().Replace(AnalyzeTestFiles.RepositoryRoot + "/", "", StringComparison.Ordinal);
        ReportGoldenTests.AssertGolden(Path.Combine(AnalyzeTestFiles.FixtureDirectory, "golden", golden), actual);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    [InlineData("markdown")]
    [InlineData("html")]
    public void Render_ReasonRows_SaysTheyAreNeverAddedToTheDrops(string format)
    {
        var writer = new StringWriter { NewLine = "\n" };
        ReportRenderer.Render(Analyze(ReportFilter.None), Enum.Parse<ReportFormat>(format, ignoreCase: true), writer);

        string text = writer.ToString();
        Assert.Contains("never added into total drops", text, StringComparison.Ordinal);
        Assert.Contains("Not counted as loss", text, StringComparison.Ordinal);
    }

    private static (string? Owner, string Reason, DetailReasonKind Kind, long Total, long Intervals, LocalTimestamp First, LocalTimestamp Last, long Peak, LocalTimestamp PeakAt) Tuple(ReasonTotal total) =>
        (total.Owner, total.Reason, total.Kind, total.Total, total.Intervals, total.FirstSeen, total.LastSeen, total.Peak, total.PeakAt);
}
