using System.Globalization;
using System.Text;
using NetDrop.Csv;
using NetDrop.Model;
using NetDrop.Tests.TestSupport;
using Xunit.Abstractions;

namespace NetDrop.Tests.GroundTruth;

/// <summary>
/// Ground truth in real network namespaces: each inducer moves exactly the kernel counter it aims at, and the real
/// <c>netdrop monitor</c>, run inside the namespace, reports per-interval deltas that sum to the kernel's own deltas,
/// exactly, category by category. Needs root and iproute2; fails (never skips) without them.
/// </summary>
[Trait("Category", "Namespace")]
public sealed class GroundTruthTests(GroundTruthNetwork network, ITestOutputHelper output) : IClassFixture<GroundTruthNetwork>
{
    private const double MonitorIntervalSeconds = 0.25;

    /// <summary>12 s of intervals: the inducers and the settle time take about 6 s; the test checks the margin held.</summary>
    private const int MonitorIntervalCount = 48;

    /// <summary>The default severity threshold (DESIGN.md "Severity"): CRIT from 100 drops in an interval.</summary>
    private const long CritThreshold = 100;

    private const int AcceptQueueConnections = 20;
    private const int SynCookieConnections = 5;
    private const int PeerDownFrames = 100;
    private const int IngressFrames = 200;

    private static readonly TimeSpan s_settle = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// softnet_stat is per CPU for the whole machine, not per namespace (net/core/net-procfs.c prints per-CPU
    /// softnet_data). Its columns can move from host traffic outside the test's control, so they are never required
    /// to be zero, and the monitor, which samples inside the oracle's window, may see less than the oracle.
    /// </summary>
    private static readonly DropCategory[] s_hostGlobal = [DropCategories.Softirq, DropCategories.SoftnetSqueeze];

    private readonly KernelCounterOracle _oracle = new(network.Monitored, GroundTruthNetwork.MonitoredInterface);

    [Fact]
    public void Oracle_EveryCatalogueSource_IsInterpretedAndReadable()
    {
        KernelCounterSnapshot snapshot = _oracle.Read();

        foreach (DropCategory category in DropCategories.All)
        {
            Assert.NotEmpty(KernelCounterSnapshot.Terms(category.Source));
            Assert.True(snapshot.Value(category) >= 0, $"{category.Column} reads {snapshot.Value(category)} from '{category.Source}'.");
        }
    }

    [Fact]
    public void UdpFlood_UnreadSocketsOnIPv4AndIPv6Loopback_RaisesUdpRcvbufByEveryRefusedDatagram()
    {
        UdpFloodResult flood = null!;
        KernelCounterDelta delta = _oracle.Measure(() => flood = DropInducers.FloodUnreadUdpSockets(network.Monitored), s_settle);

        Assert.True(flood.IPv4.Refused > 0, $"IPv4: {flood.IPv4}");
        Assert.True(flood.IPv6.Refused > 0, $"IPv6: {flood.IPv6}");
        Assert.Equal(flood.IPv4.Refused, delta.Raw("Udp:RcvbufErrors"));
        Assert.Equal(flood.IPv6.Refused, delta.Raw("Udp6RcvbufErrors"));
        Assert.Equal(flood.Refused, delta[DropCategories.UdpRcvbuf]);
        AssertOnlyMoved(delta, DropCategories.UdpRcvbuf);
    }

    [Fact]
    public void AcceptQueue_ConnectsBeyondBacklogOneListener_RaisesAcceptQueueOncePerRefusedSyn()
    {
        KernelCounterDelta delta = _oracle.Measure(
            () => DropInducers.OverflowAcceptQueue(network.Monitored, AcceptQueueConnections), s_settle);

        // A backlog-1 listener holds two children (sk_acceptq_is_full() compares with '>'); every further SYN overflows.
        Assert.Equal(AcceptQueueConnections - 2, delta[DropCategories.AcceptQueue]);
        AssertOnlyMoved(delta, DropCategories.AcceptQueue);
    }

    [Fact]
    public void Qdisc_RawFramesIntoTinyTbf_RaisesQdiscByEveryRefusedFrame()
    {
        int refused = 0;
        KernelCounterDelta delta = _oracle.Measure(
            () => refused = DropInducers.FloodQdisc(network.Monitored, GroundTruthNetwork.MonitoredInterface), s_settle);

        Assert.True(refused > 0, "tbf refused no frame.");
        Assert.Equal(refused, delta[DropCategories.Qdisc]);

        // The pfifo child counted each drop too: summing roots and children would have reported twice as many.
        Assert.Equal(2 * refused, delta.Raw("qdisc:every-drops"));
        AssertOnlyMoved(delta, DropCategories.Qdisc);
    }

    [Fact]
    public void Qdisc_FramesShotByIngressFilter_RaiseQdiscThroughClsact()
    {
        int sent = 0;
        KernelCounterDelta delta = _oracle.Measure(() => sent = DropInducers.DropAtIngress(network, IngressFrames), s_settle);

        Assert.Equal(IngressFrames, sent);
        Assert.Equal(IngressFrames, delta[DropCategories.Qdisc]);
        AssertOnlyMoved(delta, DropCategories.Qdisc);
    }

    [Fact]
    public void NicTx_BypassSendsWhileVethPeerDown_RaisesTxDroppedByEveryFrame()
    {
        int refused = 0;
        KernelCounterDelta delta = _oracle.Measure(
            () => refused = DropInducers.TransmitWithPeerDown(network, PeerDownFrames), s_settle);

        Assert.Equal(PeerDownFrames, refused);
        Assert.Equal(PeerDownFrames, delta[DropCategories.NicTx]);
        AssertOnlyMoved(delta, DropCategories.NicTx);
    }

    [Fact]
    public void SynCookies_AlwaysModeInNamespace_RaisesSynCookiesPressureAndNoDrop()
    {
        KernelCounterDelta delta = _oracle.Measure(
            () => DropInducers.SendSynCookies(network.Monitored, SynCookieConnections), s_settle);

        Assert.Equal(SynCookieConnections, delta[DropCategories.SynCookies]);
        AssertOnlyMoved(delta, DropCategories.SynCookies);
    }

    /// <summary>
    /// Evidence for a kernel overlap rather than a NetDrop feature: a UDP datagram the qdisc drops is counted by the
    /// qdisc and, through ip_send_skb() → -ENOBUFS → udp_send_skb(), as Udp SndbufErrors. This is why the qdisc
    /// inducer sends AF_PACKET frames, which no UDP counter sees.
    /// </summary>
    [Fact]
    public void UdpIntoTbf_KernelCountsEachQdiscDropAlsoAsUdpSndbuf()
    {
        KernelCounterDelta delta = _oracle.Measure(
            () => DropInducers.FloodQdiscWithUdp(network.Monitored, GroundTruthNetwork.PeerAddress), s_settle);

        Assert.True(delta[DropCategories.Qdisc] > 0, $"tbf dropped no datagram; moved: {delta.Describe()}");
        Assert.Equal(delta[DropCategories.Qdisc], delta[DropCategories.UdpSndbuf]);
        AssertOnlyMoved(delta, DropCategories.Qdisc, DropCategories.UdpSndbuf);
    }

    [Fact]
    public void Monitor_InducedDropsInNamespace_CsvSumsEqualKernelDeltasExactly()
    {
        DirectoryInfo csvDirectory = Directory.CreateTempSubdirectory("netdrop-groundtruth-");
        try
        {
            string csvPath = Path.Combine(csvDirectory.FullName, "drops.csv");
            KernelCounterSnapshot before = _oracle.Read();

            UdpFloodResult udp;
            int qdiscRefused;
            int ingressDropped;
            int nicTxRefused;
            List<string[]> records;
            using (MonitorProcess monitor = MonitorProcess.Start(
                network.Monitored, GroundTruthNetwork.MonitoredInterface, MonitorIntervalSeconds, MonitorIntervalCount, csvPath))
            {
                monitor.WaitForHeader(TimeSpan.FromSeconds(30));

                // Pauses of more than two intervals keep each inducer in intervals of its own, so the run shows a
                // pressure-only OK interval (cookies), a WARN interval (18 overflows) and CRIT intervals.
                DropInducers.SendSynCookies(network.Monitored, SynCookieConnections);
                PauseBetweenInducers();
                DropInducers.OverflowAcceptQueue(network.Monitored, AcceptQueueConnections);
                PauseBetweenInducers();
                udp = DropInducers.FloodUnreadUdpSockets(network.Monitored);
                PauseBetweenInducers();
                qdiscRefused = DropInducers.FloodQdisc(network.Monitored, GroundTruthNetwork.MonitoredInterface);
                PauseBetweenInducers();
                ingressDropped = DropInducers.DropAtIngress(network, IngressFrames);
                PauseBetweenInducers();
                nicTxRefused = DropInducers.TransmitWithPeerDown(network, PeerDownFrames);
                Thread.Sleep(TimeSpan.FromSeconds(1));

                int rowsWhenSettled = monitor.CompletedRows();
                Assert.True(
                    rowsWhenSettled < MonitorIntervalCount,
                    $"The monitor had already reported {rowsWhenSettled} of {MonitorIntervalCount} intervals when the drops " +
                    "settled, so its last sample may have missed some: raise MonitorIntervalCount.");

                int exitCode = monitor.WaitForExit(TimeSpan.FromSeconds((MonitorIntervalCount * MonitorIntervalSeconds) + 30));
                Assert.True(exitCode == 0, $"The monitor exited with {exitCode}.\n{monitor.Describe()}");
                records = CsvRecords.Parse(monitor.ReadCsvText());
                output.WriteLine(monitor.Describe());
            }

            var delta = new KernelCounterDelta(before, _oracle.Read());

            Assert.Equal(CsvSchema.Columns, records[0]);
            List<string[]> rows = records.Skip(1).ToList();
            Assert.Equal(MonitorIntervalCount, rows.Count);

            long[] csvSums = new long[DropCategories.Count];
            for (int i = 0; i < rows.Count; i++)
            {
                string[] row = rows[i];
                Assert.Equal(CsvSchema.Columns.Length, row.Length);
                Assert.Equal(i + 1, Cell(row, Array.IndexOf(CsvSchema.Columns, CsvSchema.Iteration)));
                Assert.Equal(GroundTruthNetwork.MonitoredInterface, row[Array.IndexOf(CsvSchema.Columns, CsvSchema.Interface)]);

                // A source that failed would read as zero and hide behind an agreeing zero. Only the ethtool part of
                // nic_missed may be missing on a veth (DESIGN.md: EOPNOTSUPP on veth is normal).
                string unavailable = row[Array.IndexOf(CsvSchema.Columns, CsvSchema.Unavailable)];
                Assert.True(
                    unavailable.Length == 0 || unavailable == DropCategories.NicMissed.Column,
                    $"Row {i + 1} reports unavailable sources '{unavailable}'.");
                foreach (DropCategory category in DropCategories.All)
                {
                    csvSums[category.Id] += Cell(row, CsvSchema.ColumnOf(category));
                }
            }

            string table = FormatTable(delta, csvSums);
            output.WriteLine(table);

            // 1. Every category: the monitor's summed deltas are the kernel's delta over the run, exactly.
            var mismatches = new List<string>();
            foreach (DropCategory category in DropCategories.All)
            {
                long kernel = delta[category];
                long csv = csvSums[category.Id];
                bool agrees = s_hostGlobal.Contains(category) ? csv >= 0 && csv <= kernel : csv == kernel;
                if (!agrees)
                {
                    mismatches.Add($"{category.Column}: kernel {kernel}, CSV {csv} (source: {category.Source})");
                }
            }

            Assert.True(mismatches.Count == 0, $"The CSV disagrees with the kernel:\n{string.Join('\n', mismatches)}\n\n{table}");

            // 2. The induced categories moved by what the inducers themselves witnessed.
            Assert.Equal(udp.Refused, delta[DropCategories.UdpRcvbuf]);
            Assert.True(udp.IPv6.Refused > 0 && delta.Raw("Udp6RcvbufErrors") == udp.IPv6.Refused, $"IPv6 must count: {udp.IPv6}");
            Assert.Equal(AcceptQueueConnections - 2, delta[DropCategories.AcceptQueue]);
            Assert.True(qdiscRefused > 0);
            Assert.Equal(qdiscRefused + ingressDropped, delta[DropCategories.Qdisc]);
            Assert.Equal(PeerDownFrames, nicTxRefused);
            Assert.Equal(PeerDownFrames, delta[DropCategories.NicTx]);
            Assert.Equal(SynCookieConnections, delta[DropCategories.SynCookies]);

            // 3. Nothing appears where nothing was induced.
            DropCategory[] induced =
            [
                DropCategories.UdpRcvbuf, DropCategories.AcceptQueue, DropCategories.Qdisc, DropCategories.NicTx, DropCategories.SynCookies,
            ];
            foreach (DropCategory category in DropCategories.All.Except(induced).Except(s_hostGlobal))
            {
                Assert.True(
                    delta[category] == 0 && csvSums[category.Id] == 0,
                    $"{category.Column} moved although nothing was induced there (kernel {delta[category]}, CSV {csvSums[category.Id]}).\n{table}");
            }

            // 4. Per row: total_drops is the sum of the drop columns only, and severity follows it.
            AssertRowTotalsAndSeverity(rows);
        }
        finally
        {
            csvDirectory.Delete(recursive: true);
        }
    }

    private static void AssertRowTotalsAndSeverity(List<string[]> rows)
    {
        int totalColumn = Array.IndexOf(CsvSchema.Columns, CsvSchema.TotalDrops);
        var severities = new HashSet<string>(StringComparer.Ordinal);
        bool pressureOnlyRowSeen = false;
        foreach (string[] row in rows)
        {
            long drops = DropCategories.All.Where(c => c.IsDrop).Sum(c => Cell(row, CsvSchema.ColumnOf(c)));
            long pressure = DropCategories.All.Where(c => !c.IsDrop).Sum(c => Cell(row, CsvSchema.ColumnOf(c)));
            long total = Cell(row, totalColumn);
            string line = string.Join(',', row);
            Assert.True(total == drops, $"total_drops {total} is not the sum of the drop columns ({drops}; pressure {pressure}): {line}");

            string expectedSeverity = total == 0 ? "OK" : total < CritThreshold ? "WARN" : "CRIT";
            Assert.True(row[CsvSchema.SeverityIndex] == expectedSeverity, $"severity should be {expectedSeverity} for {total} drops: {line}");

            severities.Add(expectedSeverity);
            pressureOnlyRowSeen |= pressure > 0 && drops == 0;
        }

        // Without these the checks above could pass vacuously.
        Assert.True(pressureOnlyRowSeen, "No interval had pressure without drops, so total_drops' exclusion of pressure went untested.");
        Assert.Equal(["CRIT", "OK", "WARN"], severities.Order(StringComparer.Ordinal));
    }

    /// <summary>Fails when a category outside <paramref name="induced"/> moved (host-global softnet columns excepted).</summary>
    private static void AssertOnlyMoved(KernelCounterDelta delta, params DropCategory[] induced)
    {
        foreach (DropCategory category in DropCategories.All.Except(induced).Except(s_hostGlobal))
        {
            Assert.True(delta[category] == 0, $"{category.Column} moved by {delta[category]}; all moves: {delta.Describe()}");
        }
    }

    private static long Cell(string[] row, int column) =>
        long.Parse(row[column], NumberStyles.None, CultureInfo.InvariantCulture);

    private static string FormatTable(KernelCounterDelta delta, long[] csvSums)
    {
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"{"category",-18} {"kernel delta",14} {"NetDrop sum",12}");
        foreach (DropCategory category in DropCategories.All)
        {
            table.AppendLine(CultureInfo.InvariantCulture, $"{category.Column,-18} {delta[category],14} {csvSums[category.Id],12}");
        }

        return table.ToString();
    }

    private static void PauseBetweenInducers() => Thread.Sleep(TimeSpan.FromMilliseconds(600));
}
