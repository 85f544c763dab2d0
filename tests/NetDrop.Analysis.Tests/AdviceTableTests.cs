using System.Globalization;
using System.Text;
using NetDrop.Analysis;
using NetDrop.Model;
using NetDrop.Telemetry;
using static NetDrop.Tests.Analysis.CsvLines;

namespace NetDrop.Tests.Analysis;

/// <summary>
/// One advice table, two readers: the CRIT log records (live setting values) and <c>analyze</c> (names only). The
/// seed's advice was wrong in two places the CRIT records had already corrected; <c>analyze</c> must not repeat it:
/// a full SYN queue (TCPReqQFullDrop) is not fixed by <c>net.ipv4.tcp_max_syn_backlog</c> — tcp_conn_request() tests
/// inet_csk_reqsk_queue_is_full(), the listen() backlog capped by somaxconn — and <c>txqueuelen 10000</c> only
/// lengthens pfifo_fast/pfifo, not fq_codel, fq or tbf.
/// </summary>
public class AdviceTableTests
{
    private static readonly DateTime s_start = new(2026, 2, 3, 11, 0, 0);

    [Fact]
    public void Analyze_SynQueueDominates_AdviceNamesTheBacklogAndSomaxconnNotTcpMaxSynBacklog()
    {
        DropReport report = Analyze("eth0", ("syn_queue", 400), ("softirq", 3));

        string checkFirst = Finding(report, "Check first");
        Assert.StartsWith("syn_queue: ", checkFirst, StringComparison.Ordinal);
        Assert.Contains("listen() backlog", checkFirst, StringComparison.Ordinal);
        Assert.Contains("`net.core.somaxconn`", checkFirst, StringComparison.Ordinal);
        Assert.DoesNotContain("tcp_max_syn_backlog", checkFirst, StringComparison.Ordinal);
        // The HTML category table shows the same advice per category.
        Assert.DoesNotContain("tcp_max_syn_backlog", CategoryAdvice.For(DropCategories.SynQueue), StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_QdiscDominates_TxqueuelenOnlyForTheQdiscsItLimits()
    {
        DropReport report = Analyze("eth7", ("qdisc", 900));

        string checkFirst = Finding(report, "Check first");
        Assert.StartsWith("qdisc: ", checkFirst, StringComparison.Ordinal);
        Assert.Contains("`tc -s qdisc show dev eth7`", checkFirst, StringComparison.Ordinal); // the log's one interface
        Assert.DoesNotContain("txqueuelen 10000", checkFirst, StringComparison.Ordinal);
        Assert.Contains("`txqueuelen` is the limit of pfifo_fast and pfifo only", checkFirst, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_SeveralInterfaces_AdviceWritesIfForTheInterface()
    {
        string path = AnalyzeTestFiles.WriteTemp(string.Join('\n', NetDropHeader,
            NetDropRow(At(0), "eth0", ("qdisc", 50)), NetDropRow(At(0), "eth1", ("qdisc", 60))) + "\n");
        DropReport report = DropAnalyzer.Analyze(new AnalysisOptions([path], ReportFilter.None));

        Assert.Contains("`tc -s qdisc show dev IF`", Finding(report, "Check first"), StringComparison.Ordinal);
    }

    [Fact]
    public void AdviceTable_NoCategory_RepeatsTheSeedsWrongFixes()
    {
        foreach (DropCategory category in DropCategories.Table)
        {
            string offline = CategoryAdvice.For(category, "eth0");
            string live = new TuningAdvice("/nonexistent-proc", "/nonexistent-sys").For(category, "eth0");
            foreach (string advice in new[] { offline, live })
            {
                Assert.DoesNotContain("txqueuelen 10000", advice, StringComparison.Ordinal);
                Assert.DoesNotContain("e.g. 8192", advice, StringComparison.Ordinal);
                // tcp_max_syn_backlog only shapes the drops that land in listen_other (the proven-peer reserve).
                if (category != DropCategories.ListenOther)
                {
                    Assert.DoesNotContain("tcp_max_syn_backlog", advice, StringComparison.Ordinal);
                }
            }
        }
    }

    [Fact]
    public void CritAdvice_SameRowAsAnalyze_WithTheLiveValuesReadFromTheRoots()
    {
        string root = AnalyzeTestFiles.NewTempDirectory();
        string proc = Path.Combine(root, "proc");
        string sys = Path.Combine(root, "sys");
        WriteFile(Path.Combine(proc, "sys/net/core/somaxconn"), "4096\n");
        WriteFile(Path.Combine(proc, "sys/net/ipv4/tcp_syncookies"), "0\n");
        WriteFile(Path.Combine(sys, "class/net/eth3/tx_queue_len"), "1000\n");
        var advice = new TuningAdvice(proc, sys);

        string synQueue = advice.For(DropCategories.SynQueue, "eth3");
        Assert.Contains("capped by net.core.somaxconn (now 4096)", synQueue, StringComparison.Ordinal);
        Assert.Contains("net.ipv4.tcp_syncookies (now 0) is 1", synQueue, StringComparison.Ordinal);
        Assert.DoesNotContain('`', synQueue); // a log record is plain text

        string qdisc = advice.For(DropCategories.Qdisc, "eth3");
        Assert.Contains("tc -s qdisc show dev eth3", qdisc, StringComparison.Ordinal);
        Assert.Contains("txqueuelen (now 1000) is the limit of pfifo_fast and pfifo only", qdisc, StringComparison.Ordinal);

        // Several interfaces in one report have no single tx_queue_len; a missing file is said, not invented.
        Assert.Contains("txqueuelen (now per interface)", advice.For(DropCategories.Qdisc, "eth3+eth4"), StringComparison.Ordinal);
        Assert.Contains("net.core.rmem_max (now unreadable)", advice.For(DropCategories.UdpRcvbuf, "eth3"), StringComparison.Ordinal);
    }

    [Fact]
    public void AdviceTable_EveryCategory_LiveAndOfflineSayTheSameWords()
    {
        var settings = new FixedSettings();
        foreach (DropCategory category in DropCategories.Table)
        {
            string live = category.Advice.RenderLive("eth0", settings);
            string offline = category.Advice.RenderOffline("eth0");

            Assert.Equal(offline.Replace("`", "", StringComparison.Ordinal), live.Replace(" (now V)", "", StringComparison.Ordinal));
            Assert.False(live.EndsWith('.'), $"{category.Column}: the readers add their own punctuation");
        }
    }

    [Theory]
    [InlineData("raise {net.core.somaxconn")]
    [InlineData("raise {somaxconn}")]
    [InlineData("raise {=net.core.somaxconn}")]
    [InlineData("raise {txqueuelen=}")]
    public void Template_Malformed_IsRejectedWhenTheTableIsBuilt(string template)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => new TuningAdviceTemplate(template));
        Assert.Contains(template, error.Message, StringComparison.Ordinal);
    }

    private static DropReport Analyze(string iface, params (string Column, long Value)[] cells)
    {
        var csv = new StringBuilder(NetDropHeader).Append('\n');
        for (int i = 0; i < 3; i++)
        {
            csv.Append(NetDropRow(At(i), iface, cells)).Append('\n');
        }

        return DropAnalyzer.Analyze(new AnalysisOptions([AnalyzeTestFiles.WriteTemp(csv.ToString())], ReportFilter.None));
    }

    private static string Finding(DropReport report, string label) =>
        Assert.Single(ReportFindings.For(report), finding => finding.Label == label).Text;

    private static string At(int interval) => s_start.AddSeconds(5 * interval).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static void WriteFile(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private sealed class FixedSettings : ILiveSettings
    {
        public string Sysctl(string name) => "V";

        public string InterfaceAttribute(string interfaceName, string attribute) => "V";
    }
}
