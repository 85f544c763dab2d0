using System.Globalization;
using System.Text;
using NetDrop.Model;
using static NetDrop.Analysis.Tests.CsvLines;

namespace NetDrop.Analysis.Tests;

public class DropAnalyzerTests
{
    private static readonly DateTime s_start = new(2026, 2, 3, 11, 0, 0);

    [Fact]
    public void Analyze_Episodes_RunsOfConsecutiveDropIntervals()
    {
        // t0..t9 at 5 s: drops at 1-3 (softirq, then accept_queue joins), none at 4, drops at 5, none after.
        string path = Log(
            (0, []), (1, [("softirq", 10)]), (2, [("softirq", 50), ("accept_queue", 5)]), (3, [("accept_queue", 7)]),
            (4, []), (5, [("nic_missed", 3)]), (6, []), (7, []), (8, []), (9, []));
        DropReport report = Analyze(path);

        Assert.Equal(2, report.Episodes.Count);
        DropEpisode worst = report.Episodes.Worst[0];
        Assert.Equal(At(1), worst.Start);
        Assert.Equal(At(3), worst.End);
        Assert.Equal(15, worst.DurationSeconds);   // three 5-second intervals
        Assert.Equal(3, worst.Intervals);
        Assert.Equal(72, worst.TotalDrops);
        Assert.Equal(55, worst.Peak);
        Assert.Equal(At(2), worst.PeakAt);
        Assert.Equal(DropCategories.Softirq, worst.Dominant);
        Assert.Equal([("softirq", 60L), ("accept_queue", 12L)], worst.Categories.Select(c => (c.Category.Column, c.Amount)));
        Assert.False(worst.Ongoing);
        Assert.Equal(At(5), report.Episodes.Worst[1].Start);
        Assert.Equal(worst, report.Episodes.Longest);
    }

    [Fact]
    public void Analyze_GapInTheLog_EndsTheEpisode()
    {
        // The monitor was down between t2 and t40: rows on both sides have drops but are not consecutive.
        string path = Log((1, [("softirq", 10)]), (2, [("softirq", 10)]), (40, [("softirq", 10)]), (41, [("softirq", 10)]));
        DropReport report = Analyze(path);

        Assert.Equal(2, report.Episodes.Count);
        Assert.All(report.Episodes.Worst, e => Assert.Equal(2, e.Intervals));
        MonitoringGap gap = Assert.Single(report.Gaps.First);
        Assert.Equal((At(2), At(40)), (gap.After, gap.Before));
        Assert.Contains(report.Notes, n => n.Contains("1 gap with no rows", StringComparison.Ordinal) && n.Contains("3m 10s", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_RowsEveryInterval_NoGap()
    {
        DropReport report = Analyze(Log((0, []), (1, []), (2, [("softirq", 1)]), (4, [])));   // one missed row is jitter, not a gap
        Assert.Equal(0, report.Gaps.Count);
    }

    [Fact]
    public void Analyze_LogEndsWhileDropping_EpisodeIsOngoing()
    {
        DropReport report = Analyze(Log((0, []), (1, [("udp_rcvbuf", 4)]), (2, [("udp_rcvbuf", 4)])));
        Assert.True(report.Episodes.Worst.Single().Ongoing);
    }

    [Fact]
    public void Analyze_PressureOnly_NotAnIntervalWithDrops()
    {
        DropReport report = Analyze(Log((0, [("tcp_collapsed", 9), ("softnet_squeeze", 3)]), (1, [])));

        Assert.Equal(0, report.IntervalsWithDrops);
        Assert.Equal(0, report.TotalDrops);
        Assert.Equal(9, report.Categories.Single(c => c.Category == DropCategories.TcpCollapsed).Total);
        Assert.Empty(report.Top);
        Assert.Equal(0, report.Episodes.Count);
        Assert.Contains(ReportFindings.For(report), f => f.Label == "Pressure");
    }

    [Fact]
    public void Analyze_TopAndLast_HonourLimitsAndOrder()
    {
        var rows = new List<(int, (string, long)[])>();
        for (int i = 0; i < 40; i++)
        {
            rows.Add((i, [("qdisc", i % 10)]));
        }

        DropReport report = DropAnalyzer.Analyze(DropCategories.Table, new AnalysisOptions([Log([.. rows])], ReportFilter.None, Top: 3, Last: 5));

        Assert.Equal([9L, 9L, 9L], report.Top.Select(t => t.TotalDrops));
        Assert.Equal([At(9), At(19), At(29)], report.Top.Select(t => t.Timestamp));   // ties: earliest first
        Assert.Equal([At(35), At(36), At(37), At(38), At(39)], report.Latest.Select(t => t.Timestamp));
        Assert.Equal(3, report.Episodes.Worst.Count);
    }

    [Fact]
    public void Analyze_SinceUntil_KeepOnlyTheRangeInclusive()
    {
        string path = Log((0, [("softirq", 1)]), (1, [("softirq", 2)]), (2, [("softirq", 4)]), (3, [("softirq", 8)]));
        DropReport report = DropAnalyzer.Analyze(DropCategories.Table, new AnalysisOptions([path], new ReportFilter(At(1), At(2), [])));

        Assert.Equal(2, report.Intervals);
        Assert.Equal(6, report.TotalDrops);
        Assert.Equal(2, report.LeftOut);
        Assert.Contains(report.Notes, n => n.Contains("2 intervals outside", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_InterfaceFilter_KeepsExactAndSummedRows()
    {
        var content = new StringBuilder(NetDropHeader).Append('\n');
        content.Append(NetDropRow(Stamp(0), "eth0", ("nic_rx", 1))).Append('\n');
        content.Append(NetDropRow(Stamp(0), "eth1", ("nic_rx", 10))).Append('\n');
        content.Append(NetDropRow(Stamp(1), "eth0+eth1", ("nic_rx", 100))).Append('\n');
        content.Append(NetDropRow(Stamp(1), "eth10", ("nic_rx", 1000))).Append('\n');
        string path = AnalyzeTestFiles.WriteTemp(content.ToString());

        DropReport report = DropAnalyzer.Analyze(DropCategories.Table, new AnalysisOptions([path], new ReportFilter(null, null, ["eth1"])));

        Assert.Equal(110, report.TotalDrops);
        Assert.Equal(["eth1", "eth0+eth1"], report.Interfaces.Select(i => i.Name));
    }

    [Fact]
    public void Analyze_PerInterfaceLogs_MergedInTimeOrderWithEpisodesPerInterface()
    {
        // netdrop@eth0 and netdrop@eth1 write one log each; analysed together they interleave by time.
        string eth0 = Log((0, [("softirq", 5)]), (1, [("softirq", 5)]), (2, []));
        string eth1 = Log("eth1", (0, []), (1, [("nic_rx", 7)]), (2, [("nic_rx", 7)]), (3, []));
        DropReport report = DropAnalyzer.Analyze(DropCategories.Table, new AnalysisOptions([eth1, eth0], ReportFilter.None));

        Assert.Equal(7, report.Intervals);
        Assert.Equal(2, report.Episodes.Count);
        Assert.Equal(["eth1", "eth0"], report.Episodes.Worst.Select(e => e.Interface));
        Assert.Equal(At(3), report.Latest[^1].Timestamp);
        Assert.Equal(0, report.Notes.Count(n => n.Contains("backwards", StringComparison.Ordinal)));
        Assert.Equal(2, report.Interfaces.Count);
        Assert.Contains(ReportFindings.For(report), f => f.Label == "Where" && f.Text.StartsWith("eth1", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_SameFileTwice_ReadOnce()
    {
        string path = Log((0, [("softirq", 5)]));
        DropReport report = DropAnalyzer.Analyze(DropCategories.Table, new AnalysisOptions([path, path], ReportFilter.None));
        Assert.Equal(1, report.Intervals);
        Assert.Contains(report.Notes, n => n.Contains("more than once", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", "The log is empty")]
    [InlineData("HEADER\n", "only a header line")]
    public void Analyze_EmptyLog_SaysSo(string content, string note)
    {
        string path = AnalyzeTestFiles.WriteTemp(content.Replace("HEADER", NetDropHeader, StringComparison.Ordinal));
        DropReport report = DropAnalyzer.Analyze(DropCategories.Table, new AnalysisOptions([path], ReportFilter.None));

        Assert.Equal(0, report.Intervals);
        Assert.Contains(report.Notes, n => n.Contains(note, StringComparison.Ordinal));
        Assert.Equal("The input holds no intervals.", ReportFindings.For(report).Single().Text);
    }

    [Fact]
    public void Analyze_HeatmapAndTimeline_CoverTheDropsAcrossMidnight()
    {
        var rows = new List<(int, (string, long)[])>();
        for (int i = 0; i < 17_280 + 720; i++)   // one day and one hour
        {
            rows.Add((i, i % 100 == 0 ? [("softirq", 3)] : []));
        }

        DropReport report = Analyze(Log([.. rows]));

        Assert.Equal(2, report.Heatmap.Count);
        Assert.Equal(report.TotalDrops, report.Heatmap.Sum(d => d.Drops.Sum()));
        Assert.Equal(report.Intervals, report.Heatmap.Sum(d => d.Intervals.Sum()));
        Assert.Equal(report.TotalDrops, report.Timeline.Buckets.Sum(b => b.TotalDrops));
        Assert.Equal(report.TotalDrops, report.Timeline.Buckets.Sum(b => b.Categories[DropCategories.Softirq.Id]));
    }

    [Fact]
    public void TimelineAccumulator_TooManyBuckets_CoarsensWithoutLosingDrops()
    {
        var timeline = new TimelineAccumulator(DropCategories.Table.Count);
        var sample = new DropSample(DropCategories.Table.Count);
        int[] present = [DropCategories.Softirq.Id];
        long expected = 0;
        for (int i = 0; i < 100_000; i++)
        {
            sample.Timestamp = new LocalTimestamp(At(0).Seconds + (i * 5));
            sample.TotalDrops = (i % 7) + 1;
            sample.Categories[DropCategories.Softirq.Id] = sample.TotalDrops;
            expected += sample.TotalDrops;
            timeline.Add(sample, present);
        }

        TimelineSeries series = timeline.ToSeries();
        Assert.True(series.BucketSeconds > 5);
        Assert.True(series.Buckets.Count <= 20_000);
        Assert.Equal(expected, series.Buckets.Sum(b => b.TotalDrops));
        Assert.All(series.Buckets, b => Assert.Equal(0, b.Start.Seconds % series.BucketSeconds));
    }

    private static DropReport Analyze(string path) => DropAnalyzer.Analyze(DropCategories.Table, new AnalysisOptions([path], ReportFilter.None));

    private static LocalTimestamp At(int step) => LocalTimestamp.FromDateTime(s_start.AddSeconds(5 * step));

    private static string Stamp(int step) => s_start.AddSeconds(5 * step).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Log(params (int Step, (string Column, long Value)[] Cells)[] rows) => Log("eth0", rows);

    private static string Log(string iface, params (int Step, (string Column, long Value)[] Cells)[] rows)
    {
        var content = new StringBuilder(NetDropHeader).Append('\n');
        foreach ((int step, (string, long)[] cells) in rows)
        {
            content.Append(NetDropRow(Stamp(step), iface, cells)).Append('\n');
        }

        return AnalyzeTestFiles.WriteTemp(content.ToString());
    }
}
