using System.Text;
using NetDrop.Model;
using NetDrop.Sinks.Csv;
using NetDrop.Deltas;

namespace NetDrop.Tests.Csv;

public class CsvRowFormatterTests
{
    [Fact]
    public void Header_StartsWithTheSeedsSixteenColumnsInOrder()
    {
        const string seed = "timestamp,iteration,interface,total_drops,nic_rx,nic_tx,nic_missed,qdisc,softirq,syn_queue,accept_queue,tcp_pruned,tcp_collapsed,udp_rcvbuf,udp_sndbuf,severity";

        Assert.StartsWith(seed + ",", CsvSchema.Default.Header, StringComparison.Ordinal);
        Assert.Equal(15, CsvSchema.SeverityIndex);
        Assert.Equal(CsvSchema.Default.Columns.Length, CsvSchema.Default.Columns.Distinct().Count());
    }

    [Fact]
    public void Format_SeedExample_MatchesTheSeedRowInItsFirstSixteenColumns()
    {
        IntervalReport report = Report(124, "eth0", Severity.Crit, (DropCategories.Softirq, 500), (DropCategories.AcceptQueue, 23));

        string row = Encoding.UTF8.GetString(new CsvRowFormatter().Format(report));

        Assert.StartsWith("2026-02-03 11:23:50,124,eth0,523,0,0,0,0,500,0,23,0,0,0,0,CRIT,", row, StringComparison.Ordinal);
        Assert.EndsWith(",5.000,\n", row, StringComparison.Ordinal);
        Assert.Equal(CsvSchema.Default.Columns.Length, row.TrimEnd('\n').Split(',').Length);
    }

    [Fact]
    public void Format_InterfaceNameWithCommaAndQuote_IsQuotedPerRfc4180()
    {
        IntervalReport report = Report(1, "we\"ird,if", Severity.Ok);

        string row = Encoding.UTF8.GetString(new CsvRowFormatter().Format(report));

        Assert.Contains(",\"we\"\"ird,if\",", row, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_UnavailableCategories_AreListedInTheLastColumn()
    {
        IntervalReport report = Report(1, "eth0", Severity.Ok);
        report.UnavailableMask = (1UL << DropCategories.Qdisc.Id) | (1UL << DropCategories.TcpRcvQueue.Id);

        string row = Encoding.UTF8.GetString(new CsvRowFormatter().Format(report));

        Assert.EndsWith(",qdisc;tcp_rcvq\n", row, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_SteadyState_AllocatesNothing()
    {
        var formatter = new CsvRowFormatter();
        IntervalReport report = Report(1, "eth0", Severity.Warn, (DropCategories.NicRx, 42));
        for (int i = 0; i < 100; i++)
        {
            formatter.Format(report);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            report.Iteration = i;
            formatter.Format(report);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void SeedAwkOneLiners_ReadOurCsvCorrectly()
    {
        // The seed README's queries address columns by position; they must keep working on our files.
        string path = Path.Join(Directory.CreateTempSubdirectory("netdrop-csv-").FullName, "drops.log");
        var formatter = new CsvRowFormatter();
        var file = new StringBuilder(CsvSchema.Default.Header + "\n");
        file.Append(Encoding.UTF8.GetString(formatter.Format(Report(1, "eth0", Severity.Ok))));
        file.Append(Encoding.UTF8.GetString(formatter.Format(Report(2, "eth0", Severity.Crit, (DropCategories.Softirq, 500), (DropCategories.AcceptQueue, 23)))));
        file.Append(Encoding.UTF8.GetString(formatter.Format(Report(3, "eth0", Severity.Warn, (DropCategories.NicRx, 7), (DropCategories.SynQueue, 2)))));
        File.WriteAllText(path, file.ToString());

        ProcessRunner.Result crit = ProcessRunner.Run("awk", ["-F,", "$16==\"CRIT\"", path]);
        ProcessRunner.Result sums = ProcessRunner.Run("awk", ["-F,", "NR>1 {nic_rx+=$5; softirq+=$9; syn+=$10; accept+=$11} END {print nic_rx, softirq, syn, accept}", path]);
        ProcessRunner.Result peak = ProcessRunner.Run("sh", ["-c", $"awk -F',' 'NR>1 {{print $1, $4}}' '{path}' | sort -k3 -rn | head -1"]);

        Assert.Single(crit.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(",2,eth0,523,", crit.Output, StringComparison.Ordinal);
        Assert.Equal("7 500 2 23", sums.Output.Trim());
        Assert.EndsWith(" 523", peak.Output.Trim(), StringComparison.Ordinal);
    }

    private static IntervalReport Report(int iteration, string label, Severity severity, params (DropCategory Category, ulong Value)[] values)
    {
        var report = new IntervalReport(DropCategories.Table)
        {
            Iteration = iteration,
            Timestamp = new DateTimeOffset(2026, 2, 3, 11, 23, 50, TimeSpan.Zero),
            IntervalSeconds = 5,
            InterfaceLabel = label,
            Severity = severity,
        };
        ulong total = 0;
        foreach ((DropCategory category, ulong value) in values)
        {
            report[category] = value;
            total += value;
        }

        report.TotalDrops = total;
        return report;
    }
}
