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
        new("RX ring full on {IF}: the NIC had no free descriptor; raise the ring (`ethtool -G {IF} rx <max>`, see `ethtool -g {IF}`) or spread the load over more queues and CPUs (RSS/RPS); {net.core.netdev_budget}"));

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

    /// <summary>The product's table: every category, indexed by <see cref="DropCategory.Id"/>.</summary>
    public static readonly DropCategoryTable Table = new(
        NicRx, NicTx, NicMissed, Qdisc, Softirq, SynQueue, AcceptQueue, TcpPruned, TcpCollapsed, UdpRcvbuf, UdpSndbuf,
        TcpBacklog, TcpRcvQueue, TcpZeroWindow, TcpOutOfOrder, ListenOther, UdpMemory, UdpChecksum,
        SoftnetSqueeze, TcpPruneCalled, SynCookies);
}
