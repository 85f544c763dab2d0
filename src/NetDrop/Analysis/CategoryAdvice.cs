using NetDrop.Model;

namespace NetDrop.Analysis;

/// <summary>
/// What to look at first when a category dominates: the seed README's "Interpretation" table, per column of our
/// drop model. Advice, not diagnosis: it names the usual cause and the knob.
/// </summary>
internal static class CategoryAdvice
{
    public static string For(DropCategory category) => category.Column switch
    {
        "nic_rx" => "the NIC/driver dropped on receive (the core also counts unknown protocols and inactive bond slaves here): check `ip -s link` and the driver's `ethtool -S` counters.",
        "nic_tx" => "the NIC/driver dropped on transmit: check `ip -s link`, the qdisc, and the driver's `ethtool -S` counters.",
        "nic_missed" => "the NIC's RX ring was full: enlarge it (`ethtool -G IF rx 4096`) and check that interrupts are spread over CPUs (RSS/irqbalance).",
        "qdisc" => "the traffic-control queue overflowed (TX queue too short or a rate limit): `tc -s qdisc show dev IF`, `ip link set IF txqueuelen 10000`.",
        "softirq" => "the per-CPU backlog was full: raise `net.core.netdev_max_backlog` (e.g. 5000) and spread receive work (RPS/RSS).",
        "syn_queue" => "the SYN queue was full (SYN flood or slow handshakes): raise `net.ipv4.tcp_max_syn_backlog` (e.g. 8192) and keep syncookies on.",
        "accept_queue" => "an application was slow to call accept(): raise `net.core.somaxconn` (e.g. 4096) and the listen() backlog, or fix the application.",
        "tcp_pruned" => "sockets' receive buffers overflowed (the application reads too slowly): raise `net.core.rmem_max` and `net.ipv4.tcp_rmem`, or fix the application.",
        "tcp_collapsed" => "the kernel collapsed socket receive queues under memory pressure: enlarge buffers or reduce memory use.",
        "udp_rcvbuf" => "a UDP receiver read too slowly: raise `net.core.rmem_max` and its SO_RCVBUF, or speed up the application.",
        "udp_sndbuf" => "a UDP sender sent faster than its buffer drained: raise `net.core.wmem_max` or rate-limit the application.",
        "tcp_backlog" => "segments arrived while the socket was busy in the application and its backlog was full: raise `net.ipv4.tcp_rmem` or speed up the application.",
        "tcp_rcvq" => "the receive queue hit its memory limit: raise `net.ipv4.tcp_rmem` and `net.core.rmem_max`.",
        "tcp_zero_window" => "data arrived for a zero receive window: the receiving application stopped reading.",
        "tcp_ofo" => "the out-of-order queue hit its memory limit: look for loss upstream and raise receive buffers.",
        "listen_other" => "SYNs were dropped by listeners for other reasons (memory, no route, policy): compare `nstat -az TcpExtListenDrops` with the queue counters.",
        "udp_mem" => "UDP hit the protocol-wide memory limit: raise `net.ipv4.udp_mem`.",
        "udp_csum" => "UDP packets arrived with bad checksums: suspect the path, cabling or NIC offloads.",
        "softnet_squeeze" => "packet processing ran out of its softirq budget: raise `net.core.netdev_budget` and `netdev_budget_usecs`.",
        "tcp_prune_called" => "the kernel had to prune socket receive queues: receive buffers are under pressure.",
        "syn_cookies" => "SYN cookies were sent because the SYN queue was full: likely a SYN flood or too small a backlog.",
        _ => "see the category's kernel counter in `nstat -az`.",
    };
}
