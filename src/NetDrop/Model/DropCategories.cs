namespace NetDrop.Model;

/// <summary>
/// The drop model of DESIGN.md: every category NetDrop reports, in CSV order. The seed's eleven come first, in the
/// seed's order; ours follow. Each kernel drop is meant to land in exactly one drop column; the overlaps the kernel
/// itself has are listed in README.md ("Where the kernel counts one packet twice").
/// </summary>
internal static class DropCategories
{
    public static readonly DropCategory NicRx = new(0, "nic_rx", "NIC RX Dropped", CategoryKind.Drop, CategoryScope.Interface, "rtnl_link_stats64.rx_dropped");
    public static readonly DropCategory NicTx = new(1, "nic_tx", "NIC TX Dropped", CategoryKind.Drop, CategoryScope.Interface, "rtnl_link_stats64.tx_dropped");
    public static readonly DropCategory NicMissed = new(2, "nic_missed", "NIC RX Missed (ring full)", CategoryKind.Drop, CategoryScope.Interface, "rtnl_link_stats64.rx_missed_errors + driver ring-full counters (ethtool)");
    public static readonly DropCategory Qdisc = new(3, "qdisc", "Qdisc Dropped", CategoryKind.Drop, CategoryScope.Interface, "RTM_GETQDISC root qdiscs, TCA_STATS2/TCA_STATS_QUEUE drops");
    public static readonly DropCategory Softirq = new(4, "softirq", "Softirq Dropped", CategoryKind.Drop, CategoryScope.Host, "/proc/net/softnet_stat column 2, all CPUs");
    public static readonly DropCategory SynQueue = new(5, "syn_queue", "SYN Queue Drop", CategoryKind.Drop, CategoryScope.Host, "TcpExt: TCPReqQFullDrop");
    public static readonly DropCategory AcceptQueue = new(6, "accept_queue", "Accept Queue Overflow", CategoryKind.Drop, CategoryScope.Host, "TcpExt: ListenOverflows");
    public static readonly DropCategory TcpPruned = new(7, "tcp_pruned", "TCP RX Buffer Pruned", CategoryKind.Drop, CategoryScope.Host, "TcpExt: RcvPruned + OfoPruned");
    public static readonly DropCategory TcpCollapsed = new(8, "tcp_collapsed", "TCP RX Buffer Collapsed (pressure)", CategoryKind.Pressure, CategoryScope.Host, "TcpExt: TCPRcvCollapsed");
    public static readonly DropCategory UdpRcvbuf = new(9, "udp_rcvbuf", "UDP RX Buffer Errors", CategoryKind.Drop, CategoryScope.Host, "Udp: RcvbufErrors + Udp6RcvbufErrors");
    public static readonly DropCategory UdpSndbuf = new(10, "udp_sndbuf", "UDP TX Buffer Errors", CategoryKind.Drop, CategoryScope.Host, "Udp: SndbufErrors + Udp6SndbufErrors");
    public static readonly DropCategory TcpBacklog = new(11, "tcp_backlog", "TCP Socket Backlog Drop", CategoryKind.Drop, CategoryScope.Host, "TcpExt: TCPBacklogDrop");
    public static readonly DropCategory TcpRcvQueue = new(12, "tcp_rcvq", "TCP Receive Queue Drop", CategoryKind.Drop, CategoryScope.Host, "TcpExt: TCPRcvQDrop");
    public static readonly DropCategory TcpZeroWindow = new(13, "tcp_zero_window", "TCP Zero Window Drop", CategoryKind.Drop, CategoryScope.Host, "TcpExt: TCPZeroWindowDrop");
    public static readonly DropCategory TcpOutOfOrder = new(14, "tcp_ofo", "TCP Out-of-Order Queue Drop", CategoryKind.Drop, CategoryScope.Host, "TcpExt: TCPOFODrop");
    public static readonly DropCategory ListenOther = new(15, "listen_other", "TCP Listen Drop (other)", CategoryKind.Drop, CategoryScope.Host, "TcpExt: ListenDrops - ListenOverflows - TCPReqQFullDrop");
    public static readonly DropCategory UdpMemory = new(16, "udp_mem", "UDP Memory Errors", CategoryKind.Drop, CategoryScope.Host, "Udp: MemErrors + Udp6MemErrors");
    public static readonly DropCategory UdpChecksum = new(17, "udp_csum", "UDP Checksum Errors", CategoryKind.Drop, CategoryScope.Host, "Udp: InCsumErrors + Udp6InCsumErrors");
    public static readonly DropCategory SoftnetSqueeze = new(18, "softnet_squeeze", "Softirq Time Squeeze (pressure)", CategoryKind.Pressure, CategoryScope.Host, "/proc/net/softnet_stat column 3, all CPUs");
    public static readonly DropCategory TcpPruneCalled = new(19, "tcp_prune_called", "TCP Prune Called (pressure)", CategoryKind.Pressure, CategoryScope.Host, "TcpExt: PruneCalled");
    public static readonly DropCategory SynCookies = new(20, "syn_cookies", "SYN Cookies Sent on Full Queue (pressure)", CategoryKind.Pressure, CategoryScope.Host, "TcpExt: TCPReqQFullDoCookies");

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
