namespace NetDrop.Tests.GroundTruth;

/// <summary>
/// The ground truth's own statement of which kernel counters feed each CSV column, written out here and never read
/// from NetDrop (not from <c>DropCategory.Source</c>, not from the README): if the product's wiring and its
/// documentation were wrong in the same way, the tests would still compare NetDrop with the right kernel counters.
/// Each entry is checked against the kernel by an inducer that moves it and witnesses the count itself
/// (see <see cref="GroundTruthTests"/>).
/// <para>
/// Raw counter keys, as <c>KernelCounterOracle</c> reads them:
/// <c>Group:Name</c> from /proc/net/netstat and /proc/net/snmp ("TcpExt: ... ListenOverflows ..." header/value pairs),
/// the bare name from /proc/net/snmp6 ("Udp6RcvbufErrors  12"), <c>link:FIELD</c> for
/// /sys/class/net/IF/statistics/FIELD (rtnl_link_stats64), <c>qdisc:drops</c> for the drops of the interface's root
/// and ingress/clsact qdiscs (<c>tc -s -j qdisc show</c>), <c>softnet:N</c> for column N of /proc/net/softnet_stat
/// summed over CPUs.
/// </para>
/// </summary>
internal static class KernelCounterMap
{
    /// <summary>CSV column → the signed raw counters whose sum it must equal. Every drop and pressure column is here.</summary>
    public static readonly IReadOnlyDictionary<string, (int Sign, string Key)[]> Columns =
        new Dictionary<string, (int Sign, string Key)[]>(StringComparer.Ordinal)
        {
            ["nic_rx"] = [(+1, "link:rx_dropped")],
            ["nic_tx"] = [(+1, "link:tx_dropped")],

            // The ethtool ring-full part of nic_missed is absent on veth (veth_get_ethtool_stats has no ring counters).
            ["nic_missed"] = [(+1, "link:rx_missed_errors")],
            ["qdisc"] = [(+1, "qdisc:drops")],
            ["softirq"] = [(+1, "softnet:2")],
            ["syn_queue"] = [(+1, "TcpExt:TCPReqQFullDrop")],
            ["accept_queue"] = [(+1, "TcpExt:ListenOverflows")],
            ["tcp_pruned"] = [(+1, "TcpExt:RcvPruned"), (+1, "TcpExt:OfoPruned")],
            ["tcp_collapsed"] = [(+1, "TcpExt:TCPRcvCollapsed")],
            ["udp_rcvbuf"] = [(+1, "Udp:RcvbufErrors"), (+1, "Udp6RcvbufErrors")],
            ["udp_sndbuf"] = [(+1, "Udp:SndbufErrors"), (+1, "Udp6SndbufErrors")],
            ["tcp_backlog"] = [(+1, "TcpExt:TCPBacklogDrop")],
            ["tcp_rcvq"] = [(+1, "TcpExt:TCPRcvQDrop")],
            ["tcp_zero_window"] = [(+1, "TcpExt:TCPZeroWindowDrop")],
            ["tcp_ofo"] = [(+1, "TcpExt:TCPOFODrop")],

            // tcp_listendrop() counts ListenDrops for every listener drop, the two above included.
            ["listen_other"] = [(+1, "TcpExt:ListenDrops"), (-1, "TcpExt:ListenOverflows"), (-1, "TcpExt:TCPReqQFullDrop")],
            ["udp_mem"] = [(+1, "Udp:MemErrors"), (+1, "Udp6MemErrors")],
            ["udp_csum"] = [(+1, "Udp:InCsumErrors"), (+1, "Udp6InCsumErrors")],
            ["softnet_squeeze"] = [(+1, "softnet:3")],
            ["tcp_prune_called"] = [(+1, "TcpExt:PruneCalled")],
            ["syn_cookies"] = [(+1, "TcpExt:TCPReqQFullDoCookies")],
        };

    /// <summary>The rtnl_link_stats64 fields the table names, read from sysfs by the oracle.</summary>
    public static IEnumerable<string> LinkStatistics =>
        Columns.Values.SelectMany(terms => terms)
            .Select(term => term.Key)
            .Where(key => key.StartsWith("link:", StringComparison.Ordinal))
            .Select(key => key["link:".Length..])
            .Distinct(StringComparer.Ordinal);
}
