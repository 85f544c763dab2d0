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

            // Issue 12 (docs/coverage.md). conntrack insert_failed repeats a clash's drop; IpExt InCsumErrors is inside
            // InHdrErrors; Ip OutDiscards repeats a qdisc's refusal: none of the three is a column's term.
            ["conntrack"] = [(+1, "nf_conntrack:drop")],
            ["conntrack_early_drop"] = [(+1, "nf_conntrack:early_drop")],
            ["neigh_unresolved"] = [(+1, "arp_cache:unresolved_discards"), (+1, "ndisc_cache:unresolved_discards")],
            ["neigh_table_full"] = [(+1, "arp_cache:table_fulls"), (+1, "ndisc_cache:table_fulls")],
            ["ip_no_route"] = [(+1, "IpExt:InNoRoutes"), (+1, "Ip:OutNoRoutes"), (+1, "Ip6InNoRoutes"), (+1, "Ip6OutNoRoutes")],
            ["ip_addr_errors"] = [(+1, "Ip:InAddrErrors"), (+1, "Ip6InAddrErrors")],
            ["ip_rpfilter"] = [(+1, "TcpExt:IPReversePathFilter")],
            ["ip_hdr_errors"] = [(+1, "Ip:InHdrErrors"), (+1, "IpExt:InTruncatedPkts"), (+1, "Ip6InHdrErrors"), (+1, "Ip6InTruncatedPkts")],
            ["ip_unknown_proto"] = [(+1, "Ip:InUnknownProtos"), (+1, "Ip6InUnknownProtos")],
            ["ip_reasm"] = [(+1, "Ip:ReasmFails"), (+1, "Ip6ReasmFails")],
            ["ip_frag"] = [(+1, "Ip:FragFails"), (+1, "Ip6FragFails")],
            ["ip_discards"] = [(+1, "Ip:InDiscards"), (+1, "Ip6InDiscards")],
            ["tcp_auth"] =
            [
                (+1, "TcpExt:TCPMD5NotFound"), (+1, "TcpExt:TCPMD5Unexpected"), (+1, "TcpExt:TCPMD5Failure"), (+1, "TcpExt:TCPAORequired"),
                (+1, "TcpExt:TCPAOBad"), (+1, "TcpExt:TCPAOKeyNotFound"), (+1, "TcpExt:TCPAODroppedIcmps"),
            ],
            ["tcp_min_ttl"] = [(+1, "TcpExt:TCPMinTTLDrop")],
            ["tcp_pfmemalloc"] = [(+1, "TcpExt:PFMemallocDrop")],
            ["tcp_csum"] = [(+1, "Tcp:InCsumErrors")],
            ["tcp_paws"] = [(+1, "TcpExt:PAWSEstab"), (+1, "TcpExt:PAWSOldAck"), (+1, "TcpExt:PAWSTimewait"), (+1, "TcpExt:PAWSActive")],
            ["nic_nohandler"] = [(+1, "link:rx_nohandler")],
            ["nic_rx_errors"] = [(+1, "link:rx_length_errors"), (+1, "link:rx_crc_errors"), (+1, "link:rx_frame_errors")],
            ["icmp_ratelimit"] = [(+1, "Icmp:OutRateLimitGlobal"), (+1, "Icmp:OutRateLimitHost"), (+1, "Icmp6OutRateLimitHost")],
        };

    /// <summary>The rtnl_link_stats64 fields the table names, read from sysfs by the oracle.</summary>
    public static IEnumerable<string> LinkStatistics =>
        Columns.Values.SelectMany(terms => terms)
            .Select(term => term.Key)
            .Where(key => key.StartsWith("link:", StringComparison.Ordinal))
            .Select(key => key["link:".Length..])
            .Distinct(StringComparer.Ordinal);
}
