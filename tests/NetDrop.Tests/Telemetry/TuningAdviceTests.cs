using NetDrop.Analysis;
using NetDrop.Analysis.Tests;
using NetDrop.Model;
using NetDrop.Sinks.Telemetry;

namespace NetDrop.Tests.Telemetry;

/// <summary>
/// The CRIT records' advice (live setting values read from the roots) is the same table row <c>analyze</c> words
/// offline (NetDrop.Analysis.Tests' AdviceTableTests), and neither repeats the seed's two wrong fixes.
/// </summary>
public sealed class TuningAdviceTests
{
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

    private static void WriteFile(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
