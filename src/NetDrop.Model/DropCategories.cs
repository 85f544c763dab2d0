namespace NetDrop.Model;

/// <summary>
/// The drop model of DESIGN.md: every category NetDrop reports, in CSV order. The seed's eleven come first, in the
/// seed's order; ours follow. Each kernel drop is meant to land in exactly one drop column; the overlaps the kernel
/// itself has are listed in README.md ("Where the kernel counts one packet twice").
/// </summary>
internal static class DropCategories
{
    // A row: id (its CSV position among the categories), column, label, kind, the counters and how they combine (see
    // CounterFormula; a CounterTerm marked CountedInAnotherColumn stays out of total_drops), and the advice.
    // The advice corrects the seed README's "Interpretation" table where it was wrong (see TuningAdviceTemplate for the
    // placeholders): the SYN queue is bounded by the listen() backlog and net.core.somaxconn (net/ipv4/tcp_input.c,
    // tcp_conn_request(): inet_csk_reqsk_queue_is_full()); tcp_max_syn_backlog only reserves its last quarter for
    // proven peers when cookies are off, and those drops land in listen_other (tcp_conn_request(): "if (!syncookies &&
    // (max_syn_backlog - inet_csk_reqsk_queue_len(sk) < (max_syn_backlog >> 2))" -> tcp_listendrop()); autotuned TCP
    // buffers grow up to tcp_rmem's third value, rmem_max caps only an explicit SO_RCVBUF; txqueuelen is the limit of
    // pfifo_fast and pfifo only.
    public static readonly DropCategory NicRx = new(
        0, "nic_rx", "NIC RX Dropped", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.Link("rx_dropped")),
        new("receive drops on {IF} counted by the driver or the core; a full per-CPU backlog, bounded by {net.core.netdev_max_backlog}, is counted here and in `softirq`; check the RX ring (`ethtool -g {IF}`, raise with `ethtool -G {IF} rx <max>`) and the driver's counters (`ethtool -S {IF}`)"),
        NetworkIoDirection.Receive);

    public static readonly DropCategory NicTx = new(
        1, "nic_tx", "NIC TX Dropped", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.Link("tx_dropped")),
        new("transmit drops on {IF}: the driver or a virtual device refused packets (a veth whose peer is down or whose peer's backlog is full, a vlan/macvlan/ipvlan whose lower device dropped them, a full TX ring: `ethtool -g {IF}`); check `ip -s link show {IF}` and `ethtool -S {IF}`"),
        NetworkIoDirection.Transmit);

    public static readonly DropCategory NicMissed = new(
        2, "nic_missed", "NIC RX Missed (ring full)", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.Link("rx_missed_errors"), KernelCounter.DriverRingFull),
        new("RX ring full on {IF}: the NIC had no free descriptor; raise the ring (`ethtool -G {IF} rx <max>`, see `ethtool -g {IF}`) or spread the load over more queues and CPUs (RSS/RPS); {net.core.netdev_budget}"),
        NetworkIoDirection.Receive);

    public static readonly DropCategory Qdisc = new(
        3, "qdisc", "Qdisc Dropped", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.QdiscDrops),
        new("qdisc drops on {IF}: check the qdisc's own limit (`tc -s qdisc show dev {IF}`); {txqueuelen=IF/tx_queue_len} is the limit of pfifo_fast and pfifo only (fq_codel, fq and tbf have their own `limit`); shapers (tbf, htb) drop by design"));

    public static readonly DropCategory Softirq = new(
        4, "softirq", "Softirq Dropped", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.Softnet(SoftnetColumn.Dropped)),
        new("per-CPU backlog full (the same packets are in the receiving device's `nic_rx`): raise {net.core.netdev_max_backlog}; if `softnet_squeeze` rises too, {net.core.netdev_budget} and {net.core.netdev_budget_usecs}; spread receive work over CPUs (RPS/RSS)"));

    public static readonly DropCategory SynQueue = new(
        5, "syn_queue", "SYN Queue Drop", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.TcpExt("TCPReqQFullDrop")),
        new("SYN queue full and no SYN cookies: the queue is as long as the listener's listen() backlog, capped by {net.core.somaxconn}; raise both; SYN cookies answer a full queue instead of dropping when {net.ipv4.tcp_syncookies} is 1; a SYN flood looks like this too"));

    public static readonly DropCategory AcceptQueue = new(
        6, "accept_queue", "Accept Queue Overflow", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.TcpExt("ListenOverflows")),
        new("accept queue full: the application calls accept() too slowly or listens with a small backlog, capped by {net.core.somaxconn}; compare Recv-Q with Send-Q in `ss -ltn`"));

    // RcvPruned never stands for a segment that no other column holds. net/ipv4/tcp_input.c: tcp_prune_queue()
    // increments RcvPruned when collapsing and pruning the out-of-order queue still left the socket over its limit,
    // and returns -1; its only caller, tcp_try_rmem_schedule(), fails, and the caller that asked for room then either
    // drops the incoming segment and counts it itself — tcp_data_queue() "NET_INC_STATS(sock_net(sk),
    // LINUX_MIB_TCPRCVQDROP); goto drop;" (tcp_rcvq), tcp_data_queue_ofo() "NET_INC_STATS(sock_net(sk),
    // LINUX_MIB_TCPOFODROP)" (tcp_ofo) — or, with an empty receive queue, queues it anyway (sk_forced_mem_schedule():
    // nothing dropped). So one segment is RcvPruned + TCPRcvQDrop (or + TCPOFODrop), and RcvPruned is left out of the
    // total. OfoPruned stays in: tcp_prune_ofo_queue() frees segments already sitting in the out-of-order queue
    // ("tcp_drop_reason(sk, skb, SKB_DROP_REASON_TCP_OFO_QUEUE_PRUNE)"), other segments than the incoming one, which no
    // other counter holds (it counts once per pruning pass, so at least one segment each).
    public static readonly DropCategory TcpPruned = new(
        7, "tcp_pruned", "TCP RX Buffer Pruned", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.TcpExt("RcvPruned").CountedInAnotherColumn(), KernelCounter.TcpExt("OfoPruned")),
        new("TCP receive queues pruned: applications read too slowly or their buffers are small; autotuned buffers grow up to the third value of {net.ipv4.tcp_rmem}, while `net.core.rmem_max` caps only an explicit SO_RCVBUF; {net.ipv4.tcp_mem}, in pages, bounds all TCP sockets together"));

    public static readonly DropCategory TcpCollapsed = new(
        8, "tcp_collapsed", "TCP RX Buffer Collapsed (pressure)", CategoryKind.Pressure,
        CounterFormula.Sum(KernelCounter.TcpExt("TCPRcvCollapsed")),
        new("receive queues were collapsed to save memory, nothing was lost: applications read slowly or buffers are tight; autotuned buffers grow up to the third value of {net.ipv4.tcp_rmem}"));

    public static readonly DropCategory UdpRcvbuf = new(
        9, "udp_rcvbuf", "UDP RX Buffer Errors", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.Udp("RcvbufErrors"), KernelCounter.Snmp6("Udp6RcvbufErrors")),
        new("UDP receive buffers full: the application reads too slowly; SO_RCVBUF is capped by {net.core.rmem_max}, default {net.core.rmem_default}"));

    public static readonly DropCategory UdpSndbuf = new(
        10, "udp_sndbuf", "UDP TX Buffer Errors", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.Udp("SndbufErrors"), KernelCounter.Snmp6("Udp6SndbufErrors")),
        new("UDP sends failed: the send buffer was full, and SO_SNDBUF is capped by {net.core.wmem_max}; or a qdisc or device below dropped the datagram, and then `qdisc` or `nic_tx` rise too"));

    public static readonly DropCategory TcpBacklog = new(
        11, "tcp_backlog", "TCP Socket Backlog Drop", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.TcpExt("TCPBacklogDrop")),
        new("segments arrived while the application held the socket and its backlog (sized from the socket's buffers) was full: the application holds its sockets too long or reads too slowly; autotuned buffers grow up to the third value of {net.ipv4.tcp_rmem}"));

    public static readonly DropCategory TcpRcvQueue = new(
        12, "tcp_rcvq", "TCP Receive Queue Drop", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.TcpExt("TCPRcvQDrop")),
        new("TCP receive queue over its memory limit: the application reads too slowly or its buffer is small; autotuned buffers grow up to the third value of {net.ipv4.tcp_rmem}, and {net.ipv4.tcp_mem}, in pages, bounds all TCP sockets together"));

    public static readonly DropCategory TcpZeroWindow = new(
        13, "tcp_zero_window", "TCP Zero Window Drop", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.TcpExt("TCPZeroWindowDrop")),
        new("data arrived into a zero receive window: the receiving application stopped reading while the sender kept sending"));

    public static readonly DropCategory TcpOutOfOrder = new(
        14, "tcp_ofo", "TCP Out-of-Order Queue Drop", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.TcpExt("TCPOFODrop")),
        new("the out-of-order queue could not take a segment (socket over its memory limit): loss or reordering on the path while the application reads slowly; autotuned buffers grow up to the third value of {net.ipv4.tcp_rmem}"));

    // tcp_listendrop() counts every drop of a listener in ListenDrops, including the ones already counted as
    // ListenOverflows (accept queue full) and TCPReqQFullDrop (SYN queue full, no cookies). What is left is the
    // listener's other drops (no route, no memory, ...), per interval and never below zero.
    public static readonly DropCategory ListenOther = new(
        15, "listen_other", "TCP Listen Drop (other)", CategoryKind.Drop,
        CounterFormula.Difference(KernelCounter.TcpExt("ListenDrops"), KernelCounter.TcpExt("ListenOverflows"), KernelCounter.TcpExt("TCPReqQFullDrop")),
        new("listeners dropped SYNs for reasons other than full queues: when {net.ipv4.tcp_syncookies} is 0, the last quarter of {net.ipv4.tcp_max_syn_backlog} is kept for peers already proven alive; otherwise no memory for the request or no route back (see dmesg)"));

    public static readonly DropCategory UdpMemory = new(
        16, "udp_mem", "UDP Memory Errors", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.Udp("MemErrors"), KernelCounter.Snmp6("Udp6MemErrors")),
        new("UDP reached its protocol-wide memory limit, {net.ipv4.udp_mem} in pages: all UDP sockets together hold too much unread data"));

    public static readonly DropCategory UdpChecksum = new(
        17, "udp_csum", "UDP Checksum Errors", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.Udp("InCsumErrors"), KernelCounter.Snmp6("Udp6InCsumErrors")),
        new("UDP datagrams arrived with bad checksums: suspect the path, cabling, the NIC's checksum offload or the sender"));

    public static readonly DropCategory SoftnetSqueeze = new(
        18, "softnet_squeeze", "Softirq Time Squeeze (pressure)", CategoryKind.Pressure,
        CounterFormula.Sum(KernelCounter.Softnet(SoftnetColumn.TimeSqueeze)),
        new("receive processing ran out of its budget or time with packets left: raise {net.core.netdev_budget} and {net.core.netdev_budget_usecs}, or spread receive work over CPUs (RSS/RPS)"));

    public static readonly DropCategory TcpPruneCalled = new(
        19, "tcp_prune_called", "TCP Prune Called (pressure)", CategoryKind.Pressure,
        CounterFormula.Sum(KernelCounter.TcpExt("PruneCalled")),
        new("sockets went over their receive memory and the kernel had to collapse or prune their queues: applications read slowly or buffers are tight; autotuned buffers grow up to the third value of {net.ipv4.tcp_rmem}"));

    public static readonly DropCategory SynCookies = new(
        20, "syn_cookies", "SYN Cookies Sent on Full Queue (pressure)", CategoryKind.Pressure,
        CounterFormula.Sum(KernelCounter.TcpExt("TCPReqQFullDoCookies")),
        new("SYN queue full, answered with SYN cookies, nothing dropped yet: a SYN flood, or a listen() backlog too small for the load; the backlog is capped by {net.core.somaxconn}"));

    // Beyond the socket layer (issue 12, docs/coverage.md): each row is where the kernel counts a drop a person can act
    // on. The overlaps kept out of the total are in docs/coverage.md, "Overlaps found in the kernel source": IpExt
    // InCsumErrors is inside InHdrErrors (ip_rcv_core(): csum_error falls through to inhdr_error), so it is not read;
    // Ip OutDiscards also counts a datagram a qdisc refused (ip_send_skb(): net_xmit_errno()), so ip_discards reads the
    // input side only; conntrack insert_failed repeats a failed clash's drop (nf_ct_resolve_clash()), so conntrack
    // reads drop only.
    public static readonly DropCategory Conntrack = new(
        21, "conntrack", "Conntrack Dropped", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.Conntrack("drop")),
        new("conntrack dropped packets: the table is full or a clash could not be resolved; raise {net.netfilter.nf_conntrack_max} (in use: {net.netfilter.nf_conntrack_count}) or shorten the `nf_conntrack_*_timeout` settings; many `insert_failed` (`/proc/net/stat/nf_conntrack`) with a table far from full is the UDP clash race of DNS A/AAAA lookups over one socket (`single-request-reopen`, NodeLocal DNS)"));

    public static readonly DropCategory ConntrackEarlyDrop = new(
        22, "conntrack_early_drop", "Conntrack Early Drop (pressure)", CategoryKind.Pressure,
        CounterFormula.Sum(KernelCounter.Conntrack("early_drop")),
        new("the conntrack table was full and unassured entries were evicted to make room (no packet lost yet): {net.netfilter.nf_conntrack_max} (in use: {net.netfilter.nf_conntrack_count})"));

    public static readonly DropCategory NeighbourUnresolved = new(
        23, "neigh_unresolved", "Neighbour Unresolved Discards", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.Neighbour("arp_cache", "unresolved_discards"), KernelCounter.Neighbour("ndisc_cache", "unresolved_discards")),
        new("packets queued for a neighbour that never answered ARP/ND were discarded: a dead next hop or traffic to absent addresses; the queue is bounded by {net.ipv4.neigh.default.unres_qlen_bytes} (IPv6: {net.ipv6.neigh.default.unres_qlen_bytes})"));

    public static readonly DropCategory NeighbourTableFull = new(
        24, "neigh_table_full", "Neighbour Table Full", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.Neighbour("arp_cache", "table_fulls"), KernelCounter.Neighbour("ndisc_cache", "table_fulls")),
        new("the neighbour table reached its limit, {net.ipv4.neigh.default.gc_thresh3} (IPv6: {net.ipv6.neigh.default.gc_thresh3}): a large L2 segment; raise gc_thresh1/2/3 together"));

    public static readonly DropCategory IpNoRoute = new(
        25, "ip_no_route", "IP No Route", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.IpExt("InNoRoutes"), KernelCounter.Ip("OutNoRoutes"), KernelCounter.Snmp6("Ip6InNoRoutes"), KernelCounter.Snmp6("Ip6OutNoRoutes")),
        new("packets with no route to their destination (received for forwarding, or sent): check the routing table and the default route (`ip route`, `ip -6 route`)"));

    public static readonly DropCategory IpAddressErrors = new(
        26, "ip_addr_errors", "IP Address Errors", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.Ip("InAddrErrors"), KernelCounter.Snmp6("Ip6InAddrErrors")),
        new("packets for an address this host does not own while it does not forward ({net.ipv4.ip_forward}): a stale ARP entry or route upstream"));

    public static readonly DropCategory IpReversePathFilter = new(
        27, "ip_rpfilter", "IP Reverse Path Filter", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.TcpExt("IPReversePathFilter")),
        new("the reverse-path filter refused packets whose source would not be routed back the way they came: asymmetric routing on a multi-homed host, or spoofed sources; {net.ipv4.conf.all.rp_filter} and the interface's own value (the higher wins; 2 is loose mode)"));

    public static readonly DropCategory IpHeaderErrors = new(
        28, "ip_hdr_errors", "IP Header Errors", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.Ip("InHdrErrors"), KernelCounter.IpExt("InTruncatedPkts"), KernelCounter.Snmp6("Ip6InHdrErrors"), KernelCounter.Snmp6("Ip6InTruncatedPkts")),
        new("malformed, truncated or corrupted IP headers (bad checksum, TTL expired while forwarding): suspect a link, a NIC or a peer"));

    public static readonly DropCategory IpUnknownProtocol = new(
        29, "ip_unknown_proto", "IP Unknown Protocol", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.Ip("InUnknownProtos"), KernelCounter.Snmp6("Ip6InUnknownProtos")),
        new("packets of an IP protocol no module handles (SCTP, GRE or IPIP without their module): load the module or stop the sender"));

    public static readonly DropCategory IpReassembly = new(
        30, "ip_reasm", "IP Reassembly Failed", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.Ip("ReasmFails"), KernelCounter.Snmp6("Ip6ReasmFails")),
        new("fragmented datagrams that never completed (one per datagram, not per fragment): fragments lost on the path or a reassembly memory limit; {net.ipv4.ipfrag_time}, {net.ipv4.ipfrag_high_thresh}; better, fix the path MTU so nothing fragments"));

    public static readonly DropCategory IpFragmentation = new(
        31, "ip_frag", "IP Fragmentation Failed", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.Ip("FragFails"), KernelCounter.Snmp6("Ip6FragFails")),
        new("packets too big for the outgoing MTU that could not be fragmented (DF set, or IPv6): check MTUs along the path and that ICMP \"fragmentation needed\" / \"packet too big\" is not filtered"));

    public static readonly DropCategory IpDiscards = new(
        32, "ip_discards", "IP Input Discards", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.Ip("InDiscards"), KernelCounter.Snmp6("Ip6InDiscards")),
        new("IP input discarded packets without an error in them: no memory for them, or IPv6 disabled on the receiving interface (`net.ipv6.conf.IF.disable_ipv6`)"));

    public static readonly DropCategory TcpAuthentication = new(
        33, "tcp_auth", "TCP MD5/AO Signature Drop", CategoryKind.Drop,
        CounterFormula.Sum(
            KernelCounter.TcpExt("TCPMD5NotFound"), KernelCounter.TcpExt("TCPMD5Unexpected"), KernelCounter.TcpExt("TCPMD5Failure"),
            KernelCounter.TcpExt("TCPAORequired"), KernelCounter.TcpExt("TCPAOBad"), KernelCounter.TcpExt("TCPAOKeyNotFound"), KernelCounter.TcpExt("TCPAODroppedIcmps")),
        new("TCP-MD5 or TCP-AO signatures missing or wrong: a BGP (or other signed) peer's key does not match"));

    public static readonly DropCategory TcpMinTtl = new(
        34, "tcp_min_ttl", "TCP Min TTL Drop", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.TcpExt("TCPMinTTLDrop")),
        new("segments below a socket's IP_MINTTL / IPV6_MINHOPCOUNT (GTSM): a peer further away than configured, or spoofing"));

    public static readonly DropCategory TcpPfMemalloc = new(
        35, "tcp_pfmemalloc", "TCP PFMEMALLOC Drop", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.TcpExt("PFMemallocDrop")),
        new("segments allocated from the emergency memory reserves reached a socket that may not use them: the host is under memory pressure; {vm.min_free_kbytes}"));

    public static readonly DropCategory TcpChecksum = new(
        36, "tcp_csum", "TCP Checksum Errors", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.Tcp("InCsumErrors")),
        new("TCP segments arrived with bad checksums: suspect the path, cabling, the NIC's checksum offload or a middlebox"));

    public static readonly DropCategory TcpPaws = new(
        37, "tcp_paws", "TCP PAWS Reject", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.TcpExt("PAWSEstab"), KernelCounter.TcpExt("PAWSOldAck"), KernelCounter.TcpExt("PAWSTimewait"), KernelCounter.TcpExt("PAWSActive")),
        new("segments with TCP timestamps going backwards were rejected: typically several clients behind one NAT; {net.ipv4.tcp_timestamps}"));

    public static readonly DropCategory NicNoHandler = new(
        38, "nic_nohandler", "NIC RX No Handler", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.Link("rx_nohandler")),
        new("frames on {IF} that an rx_handler delivered exactly and no protocol took: an inactive bond or team port receiving traffic; check the bond's mode and the switch (frames of an unknown ethertype are `nic_rx`)"));

    public static readonly DropCategory NicRxErrors = new(
        39, "nic_rx_errors", "NIC RX Frame Errors", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.Link("rx_length_errors"), KernelCounter.Link("rx_crc_errors"), KernelCounter.Link("rx_frame_errors")),
        new("frames {IF} received broken (length, CRC, framing): a cable, optics, a port or a duplex mismatch; see `ethtool -S {IF}`"));

    public static readonly DropCategory IcmpRateLimit = new(
        40, "icmp_ratelimit", "ICMP Rate Limited (pressure)", CategoryKind.Pressure,
        CounterFormula.Sum(KernelCounter.Icmp("OutRateLimitGlobal"), KernelCounter.Icmp("OutRateLimitHost"), KernelCounter.Snmp6("Icmp6OutRateLimitHost")),
        new("ICMP errors were not sent because of rate limits (nothing dropped, but peers may not learn of unreachable ports or MTUs): {net.ipv4.icmp_msgs_per_sec}, {net.ipv4.icmp_ratelimit}"));

    /// <summary>The product's table: every category, indexed by <see cref="DropCategory.Id"/>.</summary>
    public static readonly DropCategoryTable Table = new(
        NicRx, NicTx, NicMissed, Qdisc, Softirq, SynQueue, AcceptQueue, TcpPruned, TcpCollapsed, UdpRcvbuf, UdpSndbuf,
        TcpBacklog, TcpRcvQueue, TcpZeroWindow, TcpOutOfOrder, ListenOther, UdpMemory, UdpChecksum,
        SoftnetSqueeze, TcpPruneCalled, SynCookies,
        Conntrack, ConntrackEarlyDrop, NeighbourUnresolved, NeighbourTableFull, IpNoRoute, IpAddressErrors,
        IpReversePathFilter, IpHeaderErrors, IpUnknownProtocol, IpReassembly, IpFragmentation, IpDiscards,
        TcpAuthentication, TcpMinTtl, TcpPfMemalloc, TcpChecksum, TcpPaws, NicNoHandler, NicRxErrors, IcmpRateLimit);
}
