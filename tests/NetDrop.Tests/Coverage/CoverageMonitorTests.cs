using System.Globalization;
using NetDrop.Tests.GroundTruth;
using NetDrop.Tests.TestSupport;
using Xunit.Abstractions;

namespace NetDrop.Tests.Coverage;

/// <summary>
/// Ground truth for the issue-12 columns through the real agent: <c>netdrop monitor</c> runs inside the receiving
/// namespace of a <see cref="CoverageNetwork"/> while <see cref="CoverageInducers"/> drive one drop point after
/// another, and three witnesses must agree on every column: what each inducer saw for itself, the kernel counters that
/// <see cref="KernelCounterMap"/> (the ground truth's own category → counter table, not NetDrop's) says feed the
/// column, read by <see cref="KernelCounterOracle"/> (<c>cat</c> of the procfs and sysfs files, not NetDrop's
/// readers), and the sums of the monitor's CSV. Columns where nothing was induced must stay 0 in all three.
/// <para>
/// neigh_unresolved and neigh_table_full are the exception, by the kernel's design: /proc/net/stat/arp_cache and
/// ndisc_cache exist in the initial namespace only (neigh_table_init() creates them under init_net's proc_net_stat), so
/// an agent inside a namespace cannot read them. The test induces unresolved-neighbour discards anyway, sees the
/// host's table count them, and requires the agent to say "unavailable" for both columns in every row, with 0 in the
/// cells, never the host's count and never a silent 0.
/// </para>
/// Needs root and iproute2; fails, never skips, without them. Nothing waits for a clock: the oracle reads until the
/// kernel has counted what the inducer witnessed, and the monitor is then waited for until two more rows are written.
/// </summary>
[Trait("Category", "GroundTruth")]
[Collection(HostNeighbourTablesCollectionDefinition.Name)]
public sealed class CoverageMonitorTests(ITestOutputHelper output)
{
    private const double MonitorIntervalSeconds = 0.2;

    /// <summary>Never reached: the run ends with SIGTERM once every inducer's drops are in a reported interval.</summary>
    private const int MonitorIntervalLimit = 100_000;

    /// <summary>The default severity threshold (DESIGN.md "Severity"): CRIT from 100 drops in an interval.</summary>
    private const long CritThreshold = 100;

    private static readonly TimeSpan s_monitorTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Per CPU for the whole machine (net/core/net-procfs.c prints the per-CPU softnet_data): host traffic outside the
    /// test moves them, so the monitor, which samples inside the oracle's window, may see less than the oracle.
    /// </summary>
    private static readonly string[] s_softnet = ["softirq", "softnet_squeeze"];

    /// <summary>The initial namespace's neighbour tables: unavailable to an agent in any other namespace.</summary>
    private static readonly string[] s_initialNamespaceOnly = ["neigh_unresolved", "neigh_table_full"];

    /// <summary>Pressure columns: shown, never part of total_drops or severity (README "The CSV").</summary>
    private static readonly string[] s_pressure = ["tcp_collapsed", "softnet_squeeze", "tcp_prune_called", "syn_cookies", "conntrack_early_drop", "icmp_ratelimit"];

    /// <summary>The columns an inducer here moves, each of which must have been witnessed moving.</summary>
    private static readonly string[] s_induced = ["ip_rpfilter", "ip_no_route", "ip_addr_errors", "ip_hdr_errors", "ip_reasm", "tcp_min_ttl", "nic_rx"];

    [Fact]
    public void Monitor_EveryCoverageInducerInOneRun_WitnessKernelAndCsvAgreeOnEveryColumn()
    {
        using var network = new CoverageNetwork();
        var oracle = new KernelCounterOracle(network.Receiver, CoverageNetwork.ReceiverInterface);
        DirectoryInfo csvDirectory = Directory.CreateTempSubdirectory("netdrop-coverage-");
        try
        {
            string csvPath = Path.Combine(csvDirectory.FullName, "drops.csv");
            KernelCounterSnapshot before = oracle.Read();
            var witnesses = new List<DropWitness>();
            List<string[]> records;
            using (MonitorProcess monitor = MonitorProcess.StartIn(
                network.Receiver, csvPath, "monitor",
                "--interface", CoverageNetwork.ReceiverInterface,
                "--interval", MonitorIntervalSeconds.ToString(CultureInfo.InvariantCulture),
                "--count", MonitorIntervalLimit.ToString(CultureInfo.InvariantCulture),
                "--csv", csvPath,
                "--no-color"))
            {
                monitor.WaitForHeader(s_monitorTimeout);

                // In this order: the forwarding-off inducer before the forwarding-on one (ip_forward stays 1 after it),
                // rp_filter late (it stays strict), and the neighbour last (its INCOMPLETE entry keeps an ARP request
                // pending on the sender for a minute).
                Func<DropWitness>[] inducers =
                [
                    () => CoverageInducers.SendShortHeaders(network),
                    () => CoverageInducers.SendBadHeaderChecksums(network),
                    () => CoverageInducers.SendIncompleteFragments(network),
                    () => CoverageInducers.SendSynsBelowMinTtl(network),
                    () => CoverageInducers.SendUnknownEtherType(network),
                    () => CoverageInducers.SendToUnroutedDestination(network, forwarding: false),
                    () => CoverageInducers.SendToUnroutedDestination(network, forwarding: true),
                    () => CoverageInducers.SendWithoutRoute(network, from: network.Receiver),
                    () => CoverageInducers.SendFromSpoofedSource(network),
                    () => CoverageInducers.SendToAbsentNeighbour(network),
                ];
                foreach (Func<DropWitness> induce in inducers)
                {
                    KernelCounterSnapshot beforeInducer = oracle.Read();
                    DropWitness witness = induce();
                    witnesses.Add(witness);
                    KernelCounterDelta inducerDelta = oracle.WaitForCounts(beforeInducer, witness.Counts);
                    foreach ((string key, long count) in witness.RawCounts)
                    {
                        // The host's neighbour tables also count other test runs on this machine: at least the witness.
                        long moved = inducerDelta.Raw(key);
                        bool hostWide = key.StartsWith("arp_cache:", StringComparison.Ordinal) || key.StartsWith("ndisc_cache:", StringComparison.Ordinal);
                        Assert.True(hostWide ? moved >= count : moved == count, $"{key}: witnessed {count}, kernel moved {moved}. {witness}");
                    }

                    // The row in progress may have started before the drops were counted; the one after it did not.
                    monitor.WaitForRows(monitor.CompletedRows() + 2, s_monitorTimeout);
                }

                Signals.Send(monitor.ProcessId, Signals.SIGTERM);
                int exitCode = monitor.WaitForExit(s_monitorTimeout);
                Assert.True(exitCode == 0, $"The monitor exited with {exitCode}.\n{monitor.Describe()}");
                records = CsvRecords.Parse(monitor.ReadCsvText());
            }

            var delta = new KernelCounterDelta(before, oracle.Read());
            string[] header = records[0];
            List<string[]> rows = records.Skip(1).ToList();
            Assert.True(rows.Count >= 2 * witnesses.Count, $"Only {rows.Count} rows for {witnesses.Count} inducers.");

            for (int i = 0; i < rows.Count; i++)
            {
                string[] row = rows[i];
                Assert.Equal(header.Length, row.Length);
                Assert.Equal(CoverageNetwork.ReceiverInterface, Text(header, row, "interface"));
                AssertUnavailableIsExactlyTheNeighbourTables(header, row, i + 1);
            }

            var agreement = new MonitorRunAgreement(witnesses, delta, header, rows)
            {
                MachineWide = s_softnet,
                InitialNamespaceOnly = s_initialNamespaceOnly,
                Pressure = s_pressure,
            };
            Dictionary<string, long> witnessed = agreement.Witnessed;
            Dictionary<string, long> csvSums = agreement.CsvSums;
            string table = agreement.Table();
            output.WriteLine(string.Join('\n', witnesses));
            output.WriteLine(table);
            List<string> mismatches = agreement.Mismatches();
            Assert.True(mismatches.Count == 0, $"Witness, kernel and CSV disagree:\n{string.Join('\n', mismatches)}\n\n{table}");
            foreach (string column in s_induced.Append("neigh_unresolved"))
            {
                Assert.True(witnessed.GetValueOrDefault(column) > 0, $"{column} was not witnessed moving, so its agreement proves nothing.\n{table}");
            }

            // Every row's unavailable cell was checked above; the cells of those columns must not carry a number either.
            Assert.True(csvSums["neigh_unresolved"] == 0 && csvSums["neigh_table_full"] == 0, $"An unavailable column holds a count.\n{table}");
            AssertRowTotalsAndSeverity(header, rows);
        }
        finally
        {
            csvDirectory.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The neighbour tables, and nothing else, are unavailable, in every row: a source that failed would read as 0 and
    /// hide behind an agreeing 0. (A veth answers the ethtool statistics ioctl, veth_get_ethtool_stats(), so nic_missed
    /// is whole here.)
    /// </summary>
    private static void AssertUnavailableIsExactlyTheNeighbourTables(string[] header, string[] row, int number)
    {
        string expected = string.Join(';', s_initialNamespaceOnly);
        string unavailable = Text(header, row, "unavailable");
        Assert.True(unavailable == expected, $"Row {number}: unavailable is '{unavailable}', expected '{expected}': {string.Join(',', row)}");
    }

    /// <summary>
    /// Per row: total_drops is the sum of the drop columns, the issue-12 ones included, never the pressure ones
    /// (icmp_ratelimit moves here); severity follows it. Nothing here makes TCP prune (tcp_pruned is 0 in every row,
    /// checked by the column agreement above), so the RcvPruned overlap rule plays no part.
    /// </summary>
    private static void AssertRowTotalsAndSeverity(string[] header, List<string[]> rows)
    {
        string[] dropColumns = [.. KernelCounterMap.Columns.Keys.Except(s_pressure)];
        bool newDropColumnInATotal = false;
        foreach (string[] row in rows)
        {
            long total = Cell(header, row, "total_drops");
            long drops = dropColumns.Sum(column => Cell(header, row, column));
            string line = string.Join(',', row);
            Assert.True(total == drops, $"total_drops {total} is not the sum of the drop columns ({drops}): {line}");

            string expectedSeverity = total == 0 ? "OK" : total < CritThreshold ? "WARN" : "CRIT";
            Assert.True(Text(header, row, "severity") == expectedSeverity, $"severity should be {expectedSeverity} for {total} drops: {line}");
            newDropColumnInATotal |= s_induced.Any(column => column != "nic_rx" && Cell(header, row, column) > 0);
        }

        Assert.True(newDropColumnInATotal, "No row had an issue-12 drop, so their place in total_drops went untested.");
    }

    private static string Text(string[] header, string[] row, string column) => MonitorRunAgreement.Text(header, row, column);

    private static long Cell(string[] header, string[] row, string column) => MonitorRunAgreement.Cell(header, row, column);
}
