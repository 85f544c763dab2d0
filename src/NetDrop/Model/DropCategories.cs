namespace NetDrop.Model;

/// <summary>
/// The drop model of DESIGN.md: every category NetDrop reports, in CSV order. The seed's eleven come first, in the
/// seed's order; ours follow. Each kernel drop is meant to land in exactly one drop column; the overlaps the kernel
/// itself has are listed in README.md ("Where the kernel counts one packet twice").
/// </summary>
internal static class DropCategories
{
    // The advice corrects the seed README's "Interpretation" table where it was wrong (see TuningAdviceTemplate for the
    // placeholders): the SYN queue is bounded by the listen() backlog and net.core.somaxconn (net/ipv4/tcp_input.c,
    // tcp_conn_request(): inet_csk_reqsk_queue_is_full()); tcp_max_syn_backlog only reserves its last quarter for
    // proven peers when cookies are off, and those drops land in listen_other (tcp_conn_request(): "if (!syncookies &&
    // (max_syn_backlog - inet_csk_reqsk_queue_len(sk) < (max_syn_backlog >> 2))" -> tcp_listendrop()); autotuned TCP
    // buffers grow up to tcp_rmem's third value, rmem_max caps only an explicit SO_RCVBUF; txqueuelen is the limit of
    // pfifo_fast and pfifo only.
    public static readonly DropCategory NicRx = new(
        0, "nic_rx", "NIC RX Dropped", CategoryKind.Drop, CategoryScope.Interface, "rtnl_link_stats64.rx_dropped",
        new("receive drops on {IF} counted by the driver or the core; a full per-CPU backlog, bounded by {net.core.netdev_max_backlog}, is counted here and in `softirq`; check the RX ring (`ethtool -g {IF}`, raise with `ethtool -G {IF} rx <max>`) and the driver's counters (`ethtool -S {IF}`)"));

    public static readonly DropCategory NicTx = new(
        1, "nic_tx", "NIC TX Dropped", CategoryKind.Drop, CategoryScope.Interface, "rtnl_link_stats64.tx_dropped",
        new("transmit drops on {IF}: the driver or a virtual device refused packets (a veth whose peer is down or whose peer's backlog is full, a vlan/macvlan/ipvlan whose lower device dropped them, a full TX ring: `ethtool -g {IF}`); check `ip -s link show {IF}` and `ethtool -S {IF}`"));

    public static readonly DropCategory NicMissed = new(
        2, "nic_missed", "NIC RX Missed (ring full)", CategoryKind.Drop, CategoryScope.Interface, "rtnl_link_stats64.rx_missed_errors + driver ring-full counters (ethtool)",
        new("RX ring full on {IF}: the NIC had no free descriptor; raise the ring (`ethtool -G {IF} rx <max>`, see `ethtool -g {IF}`) or spread the load over more queues and CPUs (RSS/RPS); {net.core.netdev_budget}"));

    public static readonly DropCategory Qdisc = new(
        3, "qdisc", "Qdisc Dropped", CategoryKind.Drop, CategoryScope.Interface, "RTM_GETQDISC root qdiscs, TCA_STATS2/TCA_STATS_QUEUE drops",
        new("qdisc drops on {IF}: check the qdisc's own limit (`tc -s qdisc show dev {IF}`); {txqueuelen=IF/tx_queue_len} is the limit of pfifo_fast and pfifo only (fq_codel, fq and tbf have their own `limit`); shapers (tbf, htb) drop by design"));

    public static readonly DropCategory Softirq = new(
        4, "softirq", "Softirq Dropped", CategoryKind.Drop, CategoryScope.Host, "/proc/net/softnet_stat column 2, all CPUs",
        new("per-CPU backlog full (the same packets are in the receiving device's `nic_rx`): raise {net.core.netdev_max_backlog}; if `softnet_squeeze` rises too, {net.core.netdev_budget} and {net.core.netdev_budget_usecs}; spread receive work over CPUs (RPS/RSS)"));

    public static readonly DropCategory SynQueue = new(
        5, "syn_queue", "SYN Queue Drop", CategoryKind.Drop, CategoryScope.Host, "TcpExt: TCPReqQFullDrop",
        new("SYN queue full and no SYN cookies: the queue is as long as the listener's listen() backlog, capped by {net.core.somaxconn}; raise both; SYN cookies answer a full queue instead of dropping when {net.ipv4.tcp_syncookies} is 1; a SYN flood looks like this too"));

    public static readonly DropCategory AcceptQueue = new(
        6, "accept_queue", "Accept Queue Overflow", CategoryKind.Drop, CategoryScope.Host, "TcpExt: ListenOverflows",
        new("accept queue full: the application calls accept() too slowly or listens with a small backlog, capped by {net.core.somaxconn}; compare Recv-Q with Send-Q in `ss -ltn`"));

    public static readonly DropCategory TcpPruned = new(
        7, "tcp_pruned", "TCP RX Buffer Pruned", CategoryKind.Drop, CategoryScope.Host, "TcpExt: RcvPruned + OfoPruned",
        new("TCP receive queues pruned: applications read too slowly or their buffers are small; autotuned buffers grow up to the third value of {net.ipv4.tcp_rmem}, while `net.core.rmem_max` caps only an explicit SO_RCVBUF; {net.ipv4.tcp_mem}, in pages, bounds all TCP sockets together"));

    public static readonly DropCategory TcpCollapsed = new(
        8, "tcp_collapsed", "TCP RX Buffer Collapsed (pressure)", CategoryKind.Pressure, CategoryScope.Host, "TcpExt: TCPRcvCollapsed",
        new("receive queues were collapsed to save memory, nothing was lost: applications read slowly or buffers are tight; autotuned buffers grow up to the third value of {net.ipv4.tcp_rmem}"));

    public static readonly DropCategory UdpRcvbuf = new(
        9, "udp_rcvbuf", "UDP RX Buffer Errors", CategoryKind.Drop, CategoryScope.Host, "Udp: RcvbufErrors + Udp6RcvbufErrors",
        new("UDP receive buffers full: the application reads too slowly; SO_RCVBUF is capped by {net.core.rmem_max}, default {net.core.rmem_default}"));

    public static readonly DropCategory UdpSndbuf = new(
        10, "udp_sndbuf", "UDP TX Buffer Errors", CategoryKind.Drop, CategoryScope.Host, "Udp: SndbufErrors + Udp6SndbufErrors",
        new("UDP sends failed: the send buffer was full, and SO_SNDBUF is capped by {net.core.wmem_max}; or a qdisc or device below dropped the datagram, and then `qdisc` or `nic_tx` rise too"));

    public static readonly DropCategory TcpBacklog = new(
        11, "tcp_backlog", "TCP Socket Backlog Drop", CategoryKind.Drop, CategoryScope.Host, "TcpExt: TCPBacklogDrop",
        new("segments arrived while the application held the socket and its backlog (sized from the socket's buffers) was full: the application holds its sockets too long or reads too slowly; autotuned buffers grow up to the third value of {net.ipv4.tcp_rmem}"));

    public static readonly DropCategory TcpRcvQueue = new(
        12, "tcp_rcvq", "TCP Receive Queue Drop", CategoryKind.Drop, CategoryScope.Host, "TcpExt: TCPRcvQDrop",
        new("TCP receive queue over its memory limit: the application reads too slowly or its buffer is small; autotuned buffers grow up to the third value of {net.ipv4.tcp_rmem}, and {net.ipv4.tcp_mem}, in pages, bounds all TCP sockets together"));

    public static readonly DropCategory TcpZeroWindow = new(
        13, "tcp_zero_window", "TCP Zero Window Drop", CategoryKind.Drop, CategoryScope.Host, "TcpExt: TCPZeroWindowDrop",
        new("data arrived into a zero receive window: the receiving application stopped reading while the sender kept sending"));

    public static readonly DropCategory TcpOutOfOrder = new(
        14, "tcp_ofo", "TCP Out-of-Order Queue Drop", CategoryKind.Drop, CategoryScope.Host, "TcpExt: TCPOFODrop",
        new("the out-of-order queue could not take a segment (socket over its memory limit): loss or reordering on the path while the application reads slowly; autotuned buffers grow up to the third value of {net.ipv4.tcp_rmem}"));

    public static readonly DropCategory ListenOther = new(
        15, "listen_other", "TCP Listen Drop (other)", CategoryKind.Drop, CategoryScope.Host, "TcpExt: ListenDrops - ListenOverflows - TCPReqQFullDrop",
        new("listeners dropped SYNs for reasons other than full queues: when {net.ipv4.tcp_syncookies} is 0, the last quarter of {net.ipv4.tcp_max_syn_backlog} is kept for peers already proven alive; otherwise no memory for the request or no route back (see dmesg)"));

    public static readonly DropCategory UdpMemory = new(
        16, "udp_mem", "UDP Memory Errors", CategoryKind.Drop, CategoryScope.Host, "Udp: MemErrors + Udp6MemErrors",
        new("UDP reached its protocol-wide memory limit, {net.ipv4.udp_mem} in pages: all UDP sockets together hold too much unread data"));

    public static readonly DropCategory UdpChecksum = new(
        17, "udp_csum", "UDP Checksum Errors", CategoryKind.Drop, CategoryScope.Host, "Udp: InCsumErrors + Udp6InCsumErrors",
        new("UDP datagrams arrived with bad checksums: suspect the path, cabling, the NIC's checksum offload or the sender"));

    public static readonly DropCategory SoftnetSqueeze = new(
        18, "softnet_squeeze", "Softirq Time Squeeze (pressure)", CategoryKind.Pressure, CategoryScope.Host, "/proc/net/softnet_stat column 3, all CPUs",
        new("receive processing ran out of its budget or time with packets left: raise {net.core.netdev_budget} and {net.core.netdev_budget_usecs}, or spread receive work over CPUs (RSS/RPS)"));

    public static readonly DropCategory TcpPruneCalled = new(
        19, "tcp_prune_called", "TCP Prune Called (pressure)", CategoryKind.Pressure, CategoryScope.Host, "TcpExt: PruneCalled",
        new("sockets went over their receive memory and the kernel had to collapse or prune their queues: applications read slowly or buffers are tight; autotuned buffers grow up to the third value of {net.ipv4.tcp_rmem}"));

    public static readonly DropCategory SynCookies = new(
        20, "syn_cookies", "SYN Cookies Sent on Full Queue (pressure)", CategoryKind.Pressure, CategoryScope.Host, "TcpExt: TCPReqQFullDoCookies",
        new("SYN queue full, answered with SYN cookies, nothing dropped yet: a SYN flood, or a listen() backlog too small for the load; the backlog is capped by {net.core.somaxconn}"));

    /// <summary>Every category, indexed by <see cref="DropCategory.Id"/>.</summary>
    public static readonly DropCategory[] All =
    [
        NicRx, NicTx, NicMissed, Qdisc, Softirq, SynQueue, AcceptQueue, TcpPruned, TcpCollapsed, UdpRcvbuf, UdpSndbuf,
        TcpBacklog, TcpRcvQueue, TcpZeroWindow, TcpOutOfOrder, ListenOther, UdpMemory, UdpChecksum,
        SoftnetSqueeze, TcpPruneCalled, SynCookies,
    ];

    public static int Count => All.Length;

    /// <summary>The seed's eleven, which stand between <c>total_drops</c> and <c>severity</c> in the CSV.</summary>
    public const int SeedCount = 11;

    public static DropCategory? Find(string column)
    {
        foreach (DropCategory category in All)
        {
            if (category.Column == column)
            {
                return category;
            }
        }

        return null;
    }
}
