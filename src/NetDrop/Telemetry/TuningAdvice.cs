using NetDrop.Kernel;
using NetDrop.Model;

namespace NetDrop.Telemetry;

/// <summary>
/// What to look at for a category's drops, with the live values of the settings that bound it (read from the proc
/// root's <c>sys/</c> and the sys root at the moment of the CRIT, so the advice says "now 1000", not a guess).
/// Drawn from the seed README's "Interpretation" table, corrected where it was wrong:
/// <list type="bullet">
/// <item>SYN queue: since Linux 4.4 the SYN queue is bounded by the listener's backlog (capped by
/// <c>net.core.somaxconn</c>); <c>tcp_max_syn_backlog</c> only matters with SYN cookies off.</item>
/// <item>TCP pruning: autotuned receive buffers grow up to <c>tcp_rmem</c>'s third value; <c>rmem_max</c> caps only
/// an explicit <c>SO_RCVBUF</c>.</item>
/// <item>qdisc: <c>txqueuelen</c> is the limit of pfifo_fast/pfifo only; fq_codel, fq and tbf have their own
/// <c>limit</c> (<c>tc qdisc show dev IF</c>).</item>
/// </list>
/// </summary>
internal sealed class TuningAdvice
{
    private readonly string _procRoot;
    private readonly string _sysRoot;

    public TuningAdvice(string procRoot, string sysRoot)
    {
        _procRoot = procRoot;
        _sysRoot = sysRoot;
    }

    public string For(DropCategory category, string interfaceName) => category.Column switch
    {
        "nic_rx" => $"NIC or core receive drops on {interfaceName}: check the RX ring (ethtool -g {interfaceName}; raise with ethtool -G {interfaceName} rx <max>); rx_dropped also counts softirq backlog drops (net.core.netdev_max_backlog now {Sysctl("net.core.netdev_max_backlog")})",
        "nic_missed" => $"RX ring full on {interfaceName}: the NIC had no free descriptor; raise the ring (ethtool -G {interfaceName} rx <max>, see ethtool -g {interfaceName}) or spread load (RSS/RPS); net.core.netdev_budget now {Sysctl("net.core.netdev_budget")}",
        "nic_tx" => $"transmit drops on {interfaceName}: the driver or virtual device refused packets (a veth whose peer is down, a tun/tap with no reader, a full TX ring: ethtool -g {interfaceName})",
        "qdisc" => $"qdisc drops on {interfaceName}: check the qdisc's own limit (tc -s qdisc show dev {interfaceName}); txqueuelen (now {InterfaceAttribute(interfaceName, "tx_queue_len")}) is the limit of pfifo_fast/pfifo only; shaping (tbf/htb) drops by design",
        "softirq" => $"per-CPU backlog full: raise net.core.netdev_max_backlog (now {Sysctl("net.core.netdev_max_backlog")}); if time_squeeze also rises, net.core.netdev_budget (now {Sysctl("net.core.netdev_budget")}) and netdev_budget_usecs (now {Sysctl("net.core.netdev_budget_usecs")})",
        "syn_queue" => $"SYN queue full without cookies: the queue is bounded by the listener's backlog, capped by net.core.somaxconn (now {Sysctl("net.core.somaxconn")}); net.ipv4.tcp_syncookies is {Sysctl("net.ipv4.tcp_syncookies")}; net.ipv4.tcp_max_syn_backlog (now {Sysctl("net.ipv4.tcp_max_syn_backlog")}) matters only with cookies off; a SYN flood looks like this too",
        "accept_queue" => $"accept queue full: the application calls accept() too slowly or listens with a small backlog, capped by net.core.somaxconn (now {Sysctl("net.core.somaxconn")}); see ss -ltn (Recv-Q vs Send-Q)",
        "tcp_pruned" => $"TCP receive queues pruned: applications read too slowly or buffers are too small; autotuning grows up to net.ipv4.tcp_rmem's max (now {Sysctl("net.ipv4.tcp_rmem")}); net.ipv4.tcp_mem is {Sysctl("net.ipv4.tcp_mem")} (pages)",
        "tcp_backlog" or "tcp_rcvq" or "tcp_ofo" or "tcp_zero_window" => $"TCP receive-side drops: the application holds or drains its sockets too slowly; buffers grow up to net.ipv4.tcp_rmem's max (now {Sysctl("net.ipv4.tcp_rmem")})",
        "listen_other" => "listener drops other than full queues (no memory for the request, routing failures): check dmesg and memory pressure",
        "udp_rcvbuf" => $"UDP receive buffers full: the application reads too slowly; SO_RCVBUF is capped by net.core.rmem_max (now {Sysctl("net.core.rmem_max")}), default net.core.rmem_default (now {Sysctl("net.core.rmem_default")})",
        "udp_sndbuf" => $"UDP sends failed: send buffer full (SO_SNDBUF capped by net.core.wmem_max, now {Sysctl("net.core.wmem_max")}), or a qdisc/device below dropped the datagram (then qdisc or nic_tx rise too)",
        "udp_mem" => $"UDP memory limit reached: net.ipv4.udp_mem is {Sysctl("net.ipv4.udp_mem")} (pages)",
        "udp_csum" => "UDP datagrams with bad checksums: check NIC checksum offload, cabling and the sender",
        _ => "see the NetDrop README for this category",
    };

    private string Sysctl(string name) => ReadTrimmed(KernelPaths.Sysctl(_procRoot, name));

    private string InterfaceAttribute(string interfaceName, string attribute) =>
        interfaceName.Contains('+', StringComparison.Ordinal) ? "per interface" : ReadTrimmed(Path.Join(KernelPaths.Interface(_sysRoot, interfaceName), attribute));

    private static string ReadTrimmed(string path)
    {
        try
        {
            return string.Join(' ', File.ReadAllText(path).Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "unreadable";
        }
    }
}
