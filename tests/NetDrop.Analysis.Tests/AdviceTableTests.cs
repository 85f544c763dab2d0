using System.Globalization;
using System.Text;
using NetDrop.Model;
using static NetDrop.Analysis.Tests.CsvLines;

namespace NetDrop.Analysis.Tests;

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
        DropReport report = DropAnalyzer.Analyze(DropCategories.Table, new AnalysisOptions([path], ReportFilter.None));

        Assert.Contains("`tc -s qdisc show dev IF`", Finding(report, "Check first"), StringComparison.Ordinal);
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

        return DropAnalyzer.Analyze(DropCategories.Table, new AnalysisOptions([AnalyzeTestFiles.WriteTemp(csv.ToString())], ReportFilter.None));
    }

    private static string Finding(DropReport report, string label) =>
        Assert.Single(ReportFindings.For(report), finding => finding.Label == label).Text;

    private static string At(int interval) => s_start.AddSeconds(5 * interval).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private sealed class FixedSettings : ILiveSettings
    {
        public string Sysctl(string name) => "V";

        public string InterfaceAttribute(string interfaceName, string attribute) => "V";
    }
}
