using NetDrop.Model;
using NetDrop.Tests.TestSupport;
using Xunit.Abstractions;

namespace NetDrop.Tests.GroundTruth;

/// <summary>
/// Ground truth in real network namespaces, three witnesses that must agree exactly: what each inducer itself saw
/// (sends refused with ENOBUFS, SYNs beyond a queue's capacity, segments a receiver never took), the kernel counters
/// that <see cref="KernelCounterMap"/> — this test's own table, not NetDrop's — says feed each column, and the sums of
/// the real <c>netdrop monitor</c>'s CSV. Needs root and iproute2; fails (never skips) without them.
/// <para>
/// Nothing here waits for a clock: the oracle reads until the kernel has counted what the inducer witnessed, the raw
/// TCP inducers wait for the kernel's replies, and the monitor run waits for interval rows that started after each
/// inducer's drops were counted.
/// </para>
/// </summary>
[Trait("Category", "Namespace")]
public sealed class GroundTruthTests(GroundTruthNetwork network, ITestOutputHelper output) : IClassFixture<GroundTruthNetwork>
{
    private const double MonitorIntervalSeconds = 0.5;

    /// <summary>Never reached: the run ends with SIGTERM once every inducer's drops are in a reported interval.</summary>
    private const int MonitorIntervalLimit = 100_000;

    /// <summary>The default severity threshold (DESIGN.md "Severity"): CRIT from 100 drops in an interval.</summary>
    private const long CritThreshold = 100;

    /// <summary>Each per-category test repeats its inducer: a count that is right three times in a row is not luck.</summary>
    private const int Rounds = 3;

    /// <summary>
    /// softnet_stat is per CPU for the whole machine, not per namespace (net/core/net-procfs.c prints per-CPU
    /// softnet_data). Its columns can move from host traffic outside the test's control, so they are never required
    /// to be zero, and the monitor, which samples inside the oracle's window, may see less than the oracle.
    /// </summary>
    private static readonly string[] s_hostGlobal = ["softirq", "softnet_squeeze", "neigh_unresolved", "neigh_table_full"];

    /// <summary>
    /// Host-wide tables the monitor cannot see from inside a network namespace: /proc/net/stat/arp_cache and
    /// ndisc_cache exist in the initial namespace only (neigh_table_init()), so there the columns are unavailable.
    /// </summary>
    private static readonly string[] s_initialNamespaceOnly = ["neigh_unresolved", "neigh_table_full"];

    /// <summary>Pressure columns: shown, never part of total_drops or severity (README "The CSV").</summary>
    private static readonly string[] s_pressure = ["tcp_collapsed", "softnet_squeeze", "tcp_prune_called", "syn_cookies", "conntrack_early_drop", "icmp_ratelimit"];

    private readonly KernelCounterOracle _oracle = new(network.Monitored, GroundTruthNetwork.MonitoredInterface);

    [Fact]
    public void CounterMap_CoversEveryCsvCategory_AndEveryCounterExistsOnThisKernel()
    {
        // The product's list of columns is used for its names only: a column NetDrop adds must get a row in the map.
        Assert.Equal(
            DropCategories.Table.Select(category => category.Column).Order(StringComparer.Ordinal),
            KernelCounterMap.Columns.Keys.Order(StringComparer.Ordinal));

        KernelCounterSnapshot snapshot = _oracle.Read();
        foreach ((string column, (int Sign, string Key)[] terms) in KernelCounterMap.Columns)
        {
            foreach ((_, string key) in terms)
            {
                Assert.True(snapshot.Raw(key) >= 0, $"{column}: {key} reads {snapshot.Raw(key)}.");
            }
        }
    }

    [Fact]
    public void UdpRcvbuf_UnreadSocketsOnIPv4AndIPv6Loopback_RaisedByEveryDatagramTheSocketDropped() =>
        AssertWitnessedEveryRound(() => DropInducers.FloodUnreadUdpSockets(network.Monitored));

    [Fact]
    public void AcceptQueue_RawSynsToAFullAcceptQueue_RaisedOncePerSyn() =>
        AssertWitnessedEveryRound(() => DropInducers.OverflowAcceptQueue(network));

    /// <summary>
    /// The expected count comes from the kernel's rule, not from NetDrop. tcp_conn_request() (net/ipv4/tcp_input.c):
    /// <code>
    /// if ((syncookies == 2 || inet_csk_reqsk_queue_is_full(sk)) &amp;&amp; !isn) {
    ///     want_cookie = tcp_syn_flood_action(sk, ...);   // syncookies 0: counts TCPReqQFullDrop, returns false
    ///     if (!want_cookie) goto drop;                     // drop: tcp_listendrop() counts ListenDrops
    /// }
    /// </code>
    /// inet_csk_reqsk_queue_is_full() (include/net/inet_connection_sock.h) is, since Linux 6.14 (commit "tcp/dccp:
    /// allow a connection when sk_max_ack_backlog is zero"), <c>inet_csk_reqsk_queue_len(sk) &gt;
    /// sk_max_ack_backlog</c>, and sk_max_ack_backlog is min(backlog, net.core.somaxconn). So the SYN queue takes
    /// backlog + 1 requests and each further SYN is one syn_queue drop (before 6.14 the test was <c>&gt;=</c>:
    /// backlog requests; this suite runs on 6.18). The accept queue stays empty: nobody completes a handshake.
    /// </summary>
    [Fact]
    public void SynQueue_RawSynsBeyondBacklogPlusOneWithoutCookies_RaisedOncePerUnansweredSyn()
    {
        const int Backlog = 4;
        const int Syns = 20;
        const int Capacity = Backlog + 1;
        foreach ((DropWitness witness, _) in AssertWitnessedEveryRound(() => DropInducers.OverflowSynQueue(network, Backlog, Syns)))
        {
            Assert.True(witness["syn_queue"] == Syns - Capacity, $"The kernel rule says {Syns - Capacity} refused SYNs; {witness}");
        }
    }

    [Fact]
    public void ListenOther_SynsWhoseSynAckHasNoRoute_RaisedOncePerSyn() =>
        AssertWitnessedEveryRound(() => DropInducers.SendSynsWithoutReturnRoute(network));

    /// <summary>
    /// One refused segment moves two drop columns: the kernel's double count (tcp_prune_queue() counts RcvPruned, then
    /// tcp_data_queue() TCPRcvQDrop or tcp_data_queue_ofo() TCPOFODrop for the same segment). Each refusal first
    /// called tcp_prune_queue(), which counts PruneCalled on entry, so that pressure column moved at least as often.
    /// </summary>
    [Fact]
    public void TcpPrunedRcvqOfo_InWindowSegmentsIntoAFullReceiveQueue_EachRefusedSegmentRaisesPrunedAndItsQueuesColumn()
    {
        foreach ((DropWitness witness, KernelCounterDelta delta) in AssertWitnessedEveryRound(() => DropInducers.OverrunTcpReceiveQueue(network)))
        {
            Assert.True(witness["tcp_rcvq"] > 0 && witness["tcp_ofo"] > 0, $"Both queues must have refused a segment: {witness}");
            Assert.Equal(witness["tcp_pruned"], witness["tcp_rcvq"] + witness["tcp_ofo"]);
            Assert.True(delta["tcp_prune_called"] >= witness["tcp_pruned"], $"PruneCalled {delta["tcp_prune_called"]} < refusals; {witness}");
        }
    }

    [Fact]
    public void UdpCsum_DatagramsWithAWrongChecksumToAClosedPort_RaisedOncePerDatagram() =>
        AssertWitnessedEveryRound(() => DropInducers.SendUdpWithBadChecksums(network));

    [Fact]
    public void NicRx_FramesLongerThanTheReceiversMtuIntoAVeth_RaisedByEveryFrameTheSenderWasRefused() =>
        AssertWitnessedEveryRound(() => DropInducers.SendOversizedFramesIntoVeth(network));

    [Fact]
    public void NicTx_BypassSendsWhileVethPeerDown_RaisedByEveryRefusedFrame() =>
        AssertWitnessedEveryRound(() => DropInducers.TransmitWithPeerDown(network));

    [Fact]
    public void Qdisc_RawFramesIntoTinyTbf_RaisedByEveryRefusedFrame_RootOnly()
    {
        foreach ((DropWitness witness, KernelCounterDelta delta) in AssertWitnessedEveryRound(
            () => DropInducers.FloodQdisc(network.Monitored, GroundTruthNetwork.MonitoredInterface)))
        {
            // The pfifo child counted each drop too: summing roots and children would have reported twice as many.
            Assert.Equal(2 * witness["qdisc"], delta.Raw("qdisc:every-drops"));
        }
    }

    [Fact]
    public void Qdisc_FramesShotByIngressFilter_RaisedThroughClsact() =>
        AssertWitnessedEveryRound(() => DropInducers.DropAtIngress(network));

    /// <summary>
    /// Evidence for a kernel overlap rather than a NetDrop feature: a UDP datagram the qdisc drops is counted by the
    /// qdisc and as Udp SndbufErrors (README "Where the kernel counts one packet twice"), here with the sender told
    /// of each one.
    /// </summary>
    [Fact]
    public void UdpSndbuf_UdpWithRecvErrIntoTbf_EachEnobufsRaisesUdpSndbufAndQdisc() =>
        AssertWitnessedEveryRound(() => DropInducers.FloodQdiscWithUdp(network));

    [Fact]
    public void SynCookies_AlwaysModeInNamespace_RaisesSynCookiesPressureAndNoDrop() =>
        AssertWitnessedEveryRound(() => DropInducers.SendSynCookies(network.Monitored));

    [Fact]
    public void Monitor_EveryInducerInOneRun_WitnessKernelAndCsvAgreeOnEveryColumn()
    {
        DirectoryInfo csvDirectory = Directory.CreateTempSubdirectory("netdrop-groundtruth-");
        try
        {
            string csvPath = Path.Combine(csvDirectory.FullName, "drops.csv");
            KernelCounterSnapshot before = _oracle.Read();
            var witnesses = new List<DropWitness>();
            List<string[]> records;
            using (MonitorProcess monitor = MonitorProcess.Start(
                network.Monitored, GroundTruthNetwork.MonitoredInterface, MonitorIntervalSeconds, MonitorIntervalLimit, csvPath))
            {
                monitor.WaitForHeader(TimeSpan.FromSeconds(60));

                // Pressure only (an OK row), a WARN-sized count, CRIT-sized floods, and every other witnessed column.
                Func<DropWitness>[] inducers =
                [
                    () => DropInducers.SendSynCookies(network.Monitored),
                    () => DropInducers.OverflowAcceptQueue(network),
                    () => DropInducers.OverflowSynQueue(network),
                    () => DropInducers.SendSynsWithoutReturnRoute(network),
                    () => DropInducers.SendUdpWithBadChecksums(network),
                    () => DropInducers.FloodUnreadUdpSockets(network.Monitored),
                    () => DropInducers.FloodQdisc(network.Monitored, GroundTruthNetwork.MonitoredInterface),
                    () => DropInducers.DropAtIngress(network),
                    () => DropInducers.SendOversizedFramesIntoVeth(network),
                    () => DropInducers.TransmitWithPeerDown(network),
                    () => DropInducers.FloodQdiscWithUdp(network),
                    () => DropInducers.OverrunTcpReceiveQueue(network),
                ];
                foreach (Func<DropWitness> induce in inducers)
                {
                    KernelCounterSnapshot beforeInducer = _oracle.Read();
                    DropWitness witness = induce();
                    witnesses.Add(witness);
                    _oracle.WaitForCounts(beforeInducer, witness.Counts);

                    // The row in progress may have started before the drops were counted; the one after it did not.
                    // Waiting for both keeps each inducer's drops in rows of their own and inside the run.
                    monitor.WaitForRows(monitor.CompletedRows() + 2, TimeSpan.FromSeconds(60));
                }

                Signals.Send(monitor.ProcessId, Signals.SIGTERM);
                int exitCode = monitor.WaitForExit(TimeSpan.FromSeconds(60));
                Assert.True(exitCode == 0, $"The monitor exited with {exitCode}.\n{monitor.Describe()}");
                records = CsvRecords.Parse(monitor.ReadCsvText());
            }

            var delta = new KernelCounterDelta(before, _oracle.Read());
            string[] header = records[0];
            List<string[]> rows = records.Skip(1).ToList();
            Assert.True(rows.Count >= 2 * witnesses.Count, $"Only {rows.Count} rows for {witnesses.Count} inducers.");

            for (int i = 0; i < rows.Count; i++)
            {
                string[] row = rows[i];
                Assert.Equal(header.Length, row.Length);
                Assert.Equal(i + 1, Cell(header, row, "iteration"));
                Assert.Equal(GroundTruthNetwork.MonitoredInterface, Text(header, row, "interface"));

                // A source that failed would read as zero and hide behind an agreeing zero. Only the ethtool part of
                // nic_missed may be missing on a veth (DESIGN.md: EOPNOTSUPP on veth is normal).
                string[] unavailable = Text(header, row, "unavailable").Split(';', StringSplitOptions.RemoveEmptyEntries);
                Assert.True(unavailable.All(column => column == "nic_missed" || s_initialNamespaceOnly.Contains(column)), $"Row {i + 1} reports unavailable sources '{string.Join(';', unavailable)}'.");
            }

            var agreement = new MonitorRunAgreement(witnesses, delta, header, rows) { MachineWide = s_hostGlobal, Pressure = s_pressure };
            Dictionary<string, long> witnessed = agreement.Witnessed;
            string table = agreement.Table();
            output.WriteLine(string.Join('\n', witnesses));
            output.WriteLine(table);
            List<string> mismatches = agreement.Mismatches();
            Assert.True(mismatches.Count == 0, $"Witness, kernel and CSV disagree:\n{string.Join('\n', mismatches)}\n\n{table}");
            foreach (string column in new[] { "nic_rx", "nic_tx", "qdisc", "syn_queue", "accept_queue", "tcp_pruned", "tcp_rcvq", "tcp_ofo", "listen_other", "udp_csum", "udp_rcvbuf", "udp_sndbuf", "syn_cookies" })
            {
                Assert.True(witnessed.GetValueOrDefault(column) > 0, $"{column} was not witnessed moving, so its agreement proves nothing.\n{table}");
            }

            // The inducers refuse segments one at a time, so nothing already sat in an out-of-order queue to be pruned:
            // tcp_pruned is RcvPruned alone, and that makes the row rule below exact.
            Assert.True(delta.Raw("TcpExt:OfoPruned") == 0, $"OfoPruned moved by {delta.Raw("TcpExt:OfoPruned")}; the exact total rule assumes it does not.");
            AssertRowTotalsAndSeverity(header, rows);
        }
        finally
        {
            csvDirectory.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Runs the inducer <see cref="Rounds"/> times; each round, every witnessed column (and raw counter) moved by
    /// exactly the witnessed count, and no other column moved (host-global softnet and the inducer's uncounted pressure
    /// columns excepted).
    /// </summary>
    private List<(DropWitness Witness, KernelCounterDelta Delta)> AssertWitnessedEveryRound(Func<DropWitness> induce)
    {
        var results = new List<(DropWitness, KernelCounterDelta)>();
        for (int round = 1; round <= Rounds; round++)
        {
            (DropWitness witness, KernelCounterDelta delta) = _oracle.Measure(induce);
            output.WriteLine($"round {round}: {witness}; kernel moved: {delta.Describe()}");
            foreach ((string column, long count) in witness.Counts)
            {
                Assert.True(count == delta[column], $"Round {round}: {column} witnessed {count}, kernel moved {delta[column]}. {witness}; moved: {delta.Describe()}");
            }

            foreach ((string key, long count) in witness.RawCounts)
            {
                Assert.True(count == delta.Raw(key), $"Round {round}: {key} witnessed {count}, kernel moved {delta.Raw(key)}. {witness}");
            }

            foreach (string column in KernelCounterMap.Columns.Keys.Except(witness.Counts.Keys).Except(witness.Unwitnessed).Except(s_hostGlobal))
            {
                Assert.True(delta[column] == 0, $"Round {round}: {column} moved by {delta[column]} although nothing was induced there; moved: {delta.Describe()}");
            }

            results.Add((witness, delta));
        }

        return results;
    }

    /// <summary>
    /// Per row: severity follows total_drops, and total_drops is the sum of the drop columns, never the pressure ones.
    /// <para>
    /// NOTE (issue 9, item 5): one TCP segment refused by a full receive queue is in tcp_pruned and in tcp_rcvq (or
    /// tcp_ofo) — the kernel counts it twice. Whether total_drops counts it once is being fixed separately; until the
    /// README's "Where the kernel counts one packet twice" states the rule, a row with those drops is only held between
    /// "counted once" (sum − min(tcp_pruned, tcp_rcvq + tcp_ofo)) and "counted twice" (the plain sum). Tighten to the
    /// documented rule when it lands.
    /// </para>
    /// </summary>
    private static void AssertRowTotalsAndSeverity(string[] header, List<string[]> rows)
    {
        string[] dropColumns = [.. KernelCounterMap.Columns.Keys.Except(s_pressure)];
        var severities = new HashSet<string>(StringComparer.Ordinal);
        bool pressureOnlyRowSeen = false;
        bool pruneRowSeen = false;
        foreach (string[] row in rows)
        {
            long drops = dropColumns.Sum(column => Cell(header, row, column));
            long pressure = s_pressure.Sum(column => Cell(header, row, column));
            long total = Cell(header, row, "total_drops");
            // One refused segment is RcvPruned (tcp_pruned) plus TCPRcvQDrop (tcp_rcvq) or TCPOFODrop (tcp_ofo), from
            // tcp_prune_queue() failing in tcp_try_rmem_schedule() and the caller dropping the segment it could not
            // queue. Counted once, the total is the drop columns less tcp_pruned (which is RcvPruned alone here).
            long overlap = Cell(header, row, "tcp_pruned");
            string line = string.Join(',', row);
            Assert.True(
                total == drops - overlap,
                $"total_drops {total} is not the drop columns ({drops}) less the segments tcp_pruned holds twice ({overlap}); pressure {pressure}: {line}");

            string expectedSeverity = total == 0 ? "OK" : total < CritThreshold ? "WARN" : "CRIT";
            Assert.True(Text(header, row, "severity") == expectedSeverity, $"severity should be {expectedSeverity} for {total} drops: {line}");

            severities.Add(expectedSeverity);
            pressureOnlyRowSeen |= pressure > 0 && drops == 0;
            pruneRowSeen |= overlap > 0;
        }

        // Without these the checks above could pass vacuously.
        Assert.True(pressureOnlyRowSeen, "No interval had pressure without drops, so total_drops' exclusion of pressure went untested.");
        Assert.True(pruneRowSeen, "No interval had tcp_pruned with tcp_rcvq, so the double-count rule went untested.");
        Assert.Equal(["CRIT", "OK", "WARN"], severities.Order(StringComparer.Ordinal));
    }

    private static string Text(string[] header, string[] row, string column) => MonitorRunAgreement.Text(header, row, column);

    private static long Cell(string[] header, string[] row, string column) => MonitorRunAgreement.Cell(header, row, column);
}
