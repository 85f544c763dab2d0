using System.Globalization;
using NetDrop.Model;
using NetDrop.Sinks.Csv;
using NetDrop.Configuration;
using NetDrop.Sources;
using NetDrop.Deltas;

namespace NetDrop.Tests.Sampling;

/// <summary>
/// NetDrop's own wiring — which kernel field each counter of the category table reads, and which counters each CSV column
/// adds up — checked over the sentinel samples (Fixtures/sentinel/FIXTURE.md), where every field holds a distinct
/// value and t1 adds a distinct power of two to each counter NetDrop reads. The kernel names and the column sums are
/// written out here, never taken from <c>DropCategory.Source</c> or the delta engine, so a counter wired to the wrong
/// field, or a column that adds the wrong counters, fails even when code and documentation agree on the mistake.
/// </summary>
public sealed class SentinelColumnTests
{
    private const int SentinelIfIndex = 2000000001; // the fixture's eth0: no host interface has it

    private static readonly string s_t0 = Path.Join(AppContext.BaseDirectory, "Fixtures", "sentinel", "t0");
    private static readonly string s_t1 = Path.Join(AppContext.BaseDirectory, "Fixtures", "sentinel", "t1");

    // t0's value of each field NetDrop reads, from the fixture's encoding: netstat 1GGGPPP, snmp 2GGGPPP, snmp6 3000LLL.
    private static readonly Dictionary<KernelCounter, ulong> s_t0Values = new()
    {
        [HostCounter.TcpReqQFullDrop] = 1001080, // TcpExt: TCPReqQFullDrop
        [HostCounter.TcpListenOverflows] = 1001023, // TcpExt: ListenOverflows
        [HostCounter.TcpListenDrops] = 1001024, // TcpExt: ListenDrops
        [HostCounter.TcpRcvPruned] = 1001006, // TcpExt: RcvPruned
        [HostCounter.TcpOfoPruned] = 1001007, // TcpExt: OfoPruned
        [HostCounter.TcpRcvCollapsed] = 1001049, // TcpExt: TCPRcvCollapsed
        [HostCounter.TcpBacklogDrop] = 1001073, // TcpExt: TCPBacklogDrop
        [HostCounter.TcpRcvQDrop] = 1001121, // TcpExt: TCPRcvQDrop
        [HostCounter.TcpZeroWindowDrop] = 1001120, // TcpExt: TCPZeroWindowDrop
        [HostCounter.TcpOfoDrop] = 1001084, // TcpExt: TCPOFODrop
        [HostCounter.TcpPruneCalled] = 1001005, // TcpExt: PruneCalled
        [HostCounter.TcpReqQFullDoCookies] = 1001079, // TcpExt: TCPReqQFullDoCookies
        [HostCounter.UdpRcvbufErrors] = 2005005, // Udp: RcvbufErrors (UdpLite's is 2006005)
        [HostCounter.UdpSndbufErrors] = 2005006, // Udp: SndbufErrors
        [HostCounter.UdpMemErrors] = 2005009, // Udp: MemErrors
        [HostCounter.UdpInCsumErrors] = 2005007, // Udp: InCsumErrors
        [HostCounter.Udp6RcvbufErrors] = 3000078, // snmp6 Udp6RcvbufErrors
        [HostCounter.Udp6SndbufErrors] = 3000079, // snmp6 Udp6SndbufErrors
        [HostCounter.Udp6MemErrors] = 3000082, // snmp6 Udp6MemErrors
        [HostCounter.Udp6InCsumErrors] = 3000080, // snmp6 Udp6InCsumErrors
    };

    // t1 - t0 of every counter that changed (eng/make-sentinel-fixture.sh); every other field is unchanged.
    private static readonly Dictionary<string, ulong> s_delta = new(StringComparer.Ordinal)
    {
        ["TcpExt: ListenOverflows"] = 1,
        ["TcpExt: TCPReqQFullDrop"] = 2,
        ["TcpExt: ListenDrops"] = 7, // 1 + 2 (tcp_listendrop() counts those too) + 4 other listener drops
        ["TcpExt: RcvPruned"] = 8,
        ["TcpExt: OfoPruned"] = 16,
        ["TcpExt: TCPRcvCollapsed"] = 32,
        ["TcpExt: TCPBacklogDrop"] = 64,
        ["TcpExt: TCPRcvQDrop"] = 128,
        ["TcpExt: TCPZeroWindowDrop"] = 256,
        ["TcpExt: TCPOFODrop"] = 512,
        ["TcpExt: PruneCalled"] = 1024,
        ["TcpExt: TCPReqQFullDoCookies"] = 2048,
        ["Udp: RcvbufErrors"] = 4096,
        ["Udp: SndbufErrors"] = 8192,
        ["Udp: MemErrors"] = 16384,
        ["Udp: InCsumErrors"] = 32768,
        ["Udp6RcvbufErrors"] = 65536,
        ["Udp6SndbufErrors"] = 131072,
        ["Udp6MemErrors"] = 262144,
        ["Udp6InCsumErrors"] = 524288,
        ["softnet_stat cpu0 dropped"] = 1048576,
        ["softnet_stat cpu1 dropped"] = 2097152,
        ["softnet_stat cpu0 time_squeeze"] = 4194304,
        ["softnet_stat cpu1 time_squeeze"] = 8388608,
        ["eth0 rx_dropped"] = 16777216,
        ["eth0 tx_dropped"] = 33554432,
        ["eth0 rx_missed_errors"] = 67108864,
        ["eth0 root qdisc drops"] = 134217728, // added to the samples by this test: the fixture has no netlink dump
    };

    [Fact]
    public void Read_SentinelProcRoot_EachHostCounterReadsItsOwnKernelField()
    {
        var sample = new Sample(TestPlans.Default);
        string procRoot = Path.Join(s_t0, "proc");

        foreach (MibFileSource source in MibFileSource.For(TestPlans.Default, procRoot))
        {
            source.Read(sample);
        }

        new Snmp6Source(TestPlans.Default, procRoot).Read(sample);

        // The seed-era counters against values written by hand; every other MIB and snmp6 counter a row reads against
        // the test's own reading of the fixture (name on the header line, value below it): a row naming a field this
        // kernel's file lacks, or a reader taking the wrong position, fails here.
        foreach ((KernelCounter counter, ulong expected) in s_t0Values)
        {
            Assert.True(sample.TryGetCounter(TestPlans.Default.IndexOf(counter), out ulong value), $"{counter} absent");
            Assert.True(expected == value, $"{counter} read {value}, expected {expected}");
        }

        Dictionary<string, ulong> fixture = FixtureFields(procRoot);
        foreach (KernelCounter counter in TestPlans.Default.ScalarCounters.Where(counter => !s_t0Values.ContainsKey(counter)))
        {
            bool present = sample.TryGetCounter(TestPlans.Default.IndexOf(counter), out ulong value);
            if (counter.Source == CounterSource.ProcNetStat)
            {
                Assert.False(present, $"{counter}: the sentinel root has no /proc/net/stat, so it must read as absent");
                continue;
            }

            string key = counter.Source == CounterSource.Snmp6 ? counter.Name : counter.Group + ": " + counter.Name;
            Assert.True(fixture.TryGetValue(key, out ulong expected), $"{counter} is not a field of the 6.18 sentinel files");
            Assert.True(present && expected == value, $"{counter} read {value} (present: {present}), expected {expected}");
        }
    }

    [Fact]
    public void Read_SentinelSysRoot_EachLinkCounterReadsItsOwnFile()
    {
        // statistics/NAME holds 4000NNN, NNN the file's place in alphabetical order.
        var registry = new InterfaceRegistry();
        var sample = new Sample(TestPlans.Default);

        new SysfsLinkSource(Path.Join(s_t0, "sys"), new InterfaceSelector(["eth0"], []), registry).Read(sample);

        InterfaceReading eth0 = Assert.Single(sample.Interfaces);
        Assert.Equal(SentinelIfIndex, eth0.IfIndex);
        Assert.Equal(4000006UL, eth0.Counters.RxDropped);
        Assert.Equal(4000019UL, eth0.Counters.TxDropped);
        Assert.Equal(4000011UL, eth0.Counters.RxMissedErrors);
        Assert.Equal(4000014UL, eth0.Counters.RxPackets);
    }

    [Fact]
    [Trait("Category", "LinuxHost")] // the samplers open an rtnetlink socket for the qdisc dump
    public void Compute_TwoSentinelSamples_EachCsvColumnIsTheDeltaOfItsKernelCounters()
    {
        var registry = new InterfaceRegistry();
        Sample previous = TakeSentinel(s_t0, registry, qdiscDrops: 5000);
        Sample current = TakeSentinel(s_t1, registry, qdiscDrops: 5000 + (uint)D("eth0 root qdisc drops"));
        var report = new IntervalReport(DropCategories.Table) { InterfaceLabel = "eth0", Timestamp = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero) };

        new DeltaEngine(TestPlans.Default, registry, new SeverityPolicy()).Compute(previous, current, report, TimeSpan.FromSeconds(5));
        Dictionary<string, string> row = CsvRow(new CsvRowFormatter().Format(report));

        var expected = new Dictionary<string, ulong>(StringComparer.Ordinal)
        {
            ["nic_rx"] = D("eth0 rx_dropped"),
            ["nic_tx"] = D("eth0 tx_dropped"),
            ["nic_missed"] = D("eth0 rx_missed_errors"), // no ethtool ring-full counters in this run
            ["qdisc"] = D("eth0 root qdisc drops"),
            ["softirq"] = D("softnet_stat cpu0 dropped") + D("softnet_stat cpu1 dropped"),
            ["syn_queue"] = D("TcpExt: TCPReqQFullDrop"),
            ["accept_queue"] = D("TcpExt: ListenOverflows"),
            ["tcp_pruned"] = D("TcpExt: RcvPruned") + D("TcpExt: OfoPruned"),
            ["tcp_collapsed"] = D("TcpExt: TCPRcvCollapsed"),
            ["udp_rcvbuf"] = D("Udp: RcvbufErrors") + D("Udp6RcvbufErrors"),
            ["udp_sndbuf"] = D("Udp: SndbufErrors") + D("Udp6SndbufErrors"),
            ["tcp_backlog"] = D("TcpExt: TCPBacklogDrop"),
            ["tcp_rcvq"] = D("TcpExt: TCPRcvQDrop"),
            ["tcp_zero_window"] = D("TcpExt: TCPZeroWindowDrop"),
            ["tcp_ofo"] = D("TcpExt: TCPOFODrop"),
            ["listen_other"] = D("TcpExt: ListenDrops") - D("TcpExt: ListenOverflows") - D("TcpExt: TCPReqQFullDrop"),
            ["udp_mem"] = D("Udp: MemErrors") + D("Udp6MemErrors"),
            ["udp_csum"] = D("Udp: InCsumErrors") + D("Udp6InCsumErrors"),
            ["softnet_squeeze"] = D("softnet_stat cpu0 time_squeeze") + D("softnet_stat cpu1 time_squeeze"),
            ["tcp_prune_called"] = D("TcpExt: PruneCalled"),
            ["syn_cookies"] = D("TcpExt: TCPReqQFullDoCookies"),

            // The sentinel t0 -> t1 changes none of the counters of the columns added after syn_cookies (their fields
            // are checked one by one above and proven with induced drops by KernelDropPointTests): each must be 0.
            // The /proc/net/stat tables are absent in the sentinel root: those columns are 0 and listed unavailable.
        };
        foreach (DropCategory category in DropCategories.Table.Skip(DropCategories.SynCookies.Id + 1))
        {
            expected[category.Column] = 0;
        }

        string[] notCounts = ["timestamp", "iteration", "interface", "total_drops", "severity", "interval_s", "unavailable"];
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), row.Keys.Except(notCounts).Order(StringComparer.Ordinal)); // a new column needs its counters here
        Assert.Equal("conntrack;conntrack_early_drop;neigh_unresolved;neigh_table_full", row["unavailable"]);
        foreach ((string column, ulong value) in expected)
        {
            Assert.True(value.ToString(CultureInfo.InvariantCulture) == row[column], $"{column} = {row[column]}, expected {value}");
        }

        // The total adds the drop columns, never the four pressure ones, and counts a refused TCP segment once: the
        // kernel counts it as RcvPruned (in tcp_pruned) and again as TCPRcvQDrop or TCPOFODrop (tcp_data_queue(),
        // tcp_data_queue_ofo() after tcp_try_rmem_schedule() fails), so RcvPruned is left out of the total.
        string[] drops =
        [
            "nic_rx", "nic_tx", "nic_missed", "qdisc", "softirq", "syn_queue", "accept_queue", "tcp_pruned", "udp_rcvbuf",
            "udp_sndbuf", "tcp_backlog", "tcp_rcvq", "tcp_zero_window", "tcp_ofo", "listen_other", "udp_mem", "udp_csum",
        ];
        ulong everyDropColumn = drops.Aggregate(0UL, (sum, column) => sum + expected[column]);
        Assert.Equal((everyDropColumn - D("TcpExt: RcvPruned")).ToString(CultureInfo.InvariantCulture), row["total_drops"]);
    }

    private static ulong D(string counter) => s_delta[counter];

    // "Group: Name" for the header/value files, the bare name for snmp6.
    private static Dictionary<string, ulong> FixtureFields(string procRoot)
    {
        var fields = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (string file in new[] { "net/netstat", "net/snmp" })
        {
            string[] lines = File.ReadAllLines(Path.Join(procRoot, file));
            for (int i = 0; i + 1 < lines.Length; i += 2)
            {
                string[] names = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                string[] values = lines[i + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                string group = names[0].TrimEnd(':');
                for (int j = 1; j < names.Length; j++)
                {
                    fields[group + ": " + names[j]] = ulong.Parse(values[j], CultureInfo.InvariantCulture);
                }
            }
        }

        foreach (string line in File.ReadAllLines(Path.Join(procRoot, "net/snmp6")))
        {
            string[] pair = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            fields[pair[0]] = ulong.Parse(pair[1], CultureInfo.InvariantCulture);
        }

        return fields;
    }

    private static Sample TakeSentinel(string root, InterfaceRegistry registry, uint qdiscDrops)
    {
        var messages = new List<string>();
        using Sampler sampler = SourceFactory.CreateSampler(
            new MonitorOptions { ProcRoot = Path.Join(root, "proc"), SysRoot = Path.Join(root, "sys"), LinkSource = LinkSourceKind.Sysfs, EthtoolEnabled = false }, TestPlans.Default,
            new InterfaceSelector(["eth0"], []), registry, new SourceHealth(messages.Add), TimeProvider.System);
        var sample = new Sample(TestPlans.Default);

        sampler.Take(sample);

        Assert.Empty(messages);
        Assert.Empty(sample.Qdiscs); // the host's own qdiscs never match the fixture's ifindex
        sample.Qdiscs.Add(new QdiscReading { IfIndex = SentinelIfIndex, Handle = 0x10000, Parent = 0xFFFFFFFF, Drops = qdiscDrops });
        return sample;
    }

    private static Dictionary<string, string> CsvRow(ReadOnlySpan<byte> line)
    {
        string[] header = CsvSchema.Default.Header.Split(',');
        string[] cells = System.Text.Encoding.UTF8.GetString(line).TrimEnd('\n').Split(',');
        Assert.Equal(header.Length, cells.Length);
        return header.Zip(cells).ToDictionary(pair => pair.First, pair => pair.Second, StringComparer.Ordinal);
    }
}
