using System.Globalization;
using System.Text.Json;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// The ground-truth network, built once per test class: two fresh namespaces joined by two veth pairs.
/// <code>
///  [Monitored]  lo (127.0.0.1, ::1)                          [Peer]  lo
///               gt-a 10.199.77.1/30  ── veth ──  gt-b 10.199.77.2/30  mtu 9000
///     egress:   1: tbf rate 1mbit burst 2kb  (root)
///               └─ 10: pfifo limit 3         (child, parent 1:1: counts every drop its root counts too)
///     ingress:  clsact, cBPF filter "ret TC_ACT_SHOT" for ethertype 0x88b5 only
///
///               gt-t 10.199.78.1/30  ── veth ──  gt-u 10.199.78.2/30  the TCP path: noqueue, not monitored
///     routes:   10.199.79.2/32 via 10.199.78.2    (the sink source: replies cross to the peer, which drops them)
///               unreachable 10.199.79.3/32        (the unroutable source: no reply can be routed at all)
/// </code>
/// gt-a is what NetDrop monitors. Its qdisc tree is built so that the right reading and the two wrong ones differ:
/// roots only, ingress forgotten, roots plus children. gt-b's larger MTU lets the peer send frames gt-a must refuse.
/// The TCP path keeps raw TCP traffic (<see cref="RawTcpPeer"/>) away from gt-a's tbf, whose drops would blur the
/// counts. The raw peer sends from 10.199.79.2 and .3, addresses nobody owns: the monitored kernel's SYN-ACKs, ACKs
/// and RSTs to .2 reach the peer, which does not forward (ip_forward 0: ip_error() frees them without an ICMP, so no
/// RST or ICMP error ever shortens a listener's queue), and the raw peer reads them off gt-u. rp_filter is off in the
/// monitored namespace so the SYNs from .3, whose reverse route is unreachable, are still delivered.
/// IPv6 is off on the veth ends so neither side sends router solicitations, DAD or MLD reports on its own: nothing
/// crosses a veth unless a test sends it. These addresses exist only inside these two namespaces.
/// </summary>
public sealed class GroundTruthNetwork : IDisposable
{
    public const string MonitoredInterface = "gt-a";
    public const string PeerInterface = "gt-b";
    public const string MonitoredAddress = "10.199.77.1";
    public const string PeerAddress = "10.199.77.2";

    /// <summary>gt-b's MTU: frames up to this size leave the peer, and gt-a (MTU 1500) must refuse the larger ones.</summary>
    public const int PeerMtu = 9000;

    public const string TcpPathMonitoredInterface = "gt-t";
    public const string TcpPathPeerInterface = "gt-u";
    public const string TcpPathMonitoredAddress = "10.199.78.1";
    public const string TcpPathPeerAddress = "10.199.78.2";

    /// <summary>A source the monitored namespace routes to the peer, where nobody owns it: replies vanish, nobody RSTs.</summary>
    public const string SinkSourceAddress = "10.199.79.2";

    /// <summary>A source the monitored namespace cannot route a reply to (an <c>unreachable</c> route).</summary>
    public const string UnroutableSourceAddress = "10.199.79.3";

    /// <summary>IEEE 802 "local experimental" ethertype: only frames of this type meet the ingress drop filter.</summary>
    public const ushort IngressDropEtherType = 0x88b5;

    private static readonly TimeSpan s_carrierTimeout = TimeSpan.FromSeconds(10);

    public GroundTruthNetwork()
    {
        try
        {
            Monitored = NetworkNamespace.Create();
            Peer = NetworkNamespace.Create();

            Monitored.Ip("link", "set", "lo", "up");
            Peer.Ip("link", "set", "lo", "up");
            Monitored.Ip("link", "add", MonitoredInterface, "type", "veth", "peer", "name", PeerInterface, "netns", Peer.Name);
            Monitored.WriteSysctl($"net/ipv6/conf/{MonitoredInterface}/disable_ipv6", "1");
            Peer.WriteSysctl($"net/ipv6/conf/{PeerInterface}/disable_ipv6", "1");
            Monitored.Ip("address", "add", $"{MonitoredAddress}/30", "dev", MonitoredInterface);
            Peer.Ip("address", "add", $"{PeerAddress}/30", "dev", PeerInterface);
            Monitored.Tc("qdisc", "add", "dev", MonitoredInterface, "root", "handle", "1:", "tbf", "rate", "1mbit", "burst", "2kb", "limit", "3000");
            Monitored.Tc("qdisc", "add", "dev", MonitoredInterface, "parent", "1:1", "handle", "10:", "pfifo", "limit", "3");
            Monitored.Tc("qdisc", "add", "dev", MonitoredInterface, "clsact");

            // Classic BPF "ret #2" in direct-action mode: TC_ACT_SHOT, which sch_handle_ingress() (net/core/dev.c)
            // counts as a drop of the clsact qdisc. cls_bpf is used because matchall and gact may not be built.
            Monitored.Tc("filter", "add", "dev", MonitoredInterface, "ingress", "protocol",
                "0x" + IngressDropEtherType.ToString("x4", CultureInfo.InvariantCulture), "prio", "1", "bpf", "da", "bytecode", "1,6 0 0 2");
            Peer.Ip("link", "set", PeerInterface, "mtu", PeerMtu.ToString(CultureInfo.InvariantCulture));
            Monitored.Ip("link", "set", MonitoredInterface, "up");
            Peer.Ip("link", "set", PeerInterface, "up");
            BuildTcpPath();

            // A permanent neighbour entry: IP traffic to the peer needs no ARP exchange that could itself meet the tbf.
            string peerMac = Peer.Exec("cat", $"/sys/class/net/{PeerInterface}/address").Trim();
            Monitored.Ip("neighbour", "replace", PeerAddress, "lladdr", peerMac, "dev", MonitoredInterface, "nud", "permanent");

            WaitForMonitoredLink(up: true);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The namespace NetDrop monitors; <see cref="MonitoredInterface"/> lives here.</summary>
    public NetworkNamespace Monitored { get; } = null!;

    /// <summary>The namespace holding the veth's other end, <see cref="PeerInterface"/>.</summary>
    public NetworkNamespace Peer { get; } = null!;

    /// <summary>Sets the peer end down or up and waits until the monitored end has lost or regained carrier.</summary>
    public void SetPeerLink(bool up)
    {
        Peer.Ip("link", "set", PeerInterface, up ? "up" : "down");
        WaitForMonitoredLink(up);
    }

    public void Dispose()
    {
        // Deleting a namespace destroys the veth end inside it, and with it the other end.
        Monitored?.Dispose();
        Peer?.Dispose();
    }

    private void BuildTcpPath()
    {
        Monitored.Ip("link", "add", TcpPathMonitoredInterface, "type", "veth", "peer", "name", TcpPathPeerInterface, "netns", Peer.Name);
        Monitored.WriteSysctl($"net/ipv6/conf/{TcpPathMonitoredInterface}/disable_ipv6", "1");
        Peer.WriteSysctl($"net/ipv6/conf/{TcpPathPeerInterface}/disable_ipv6", "1");
        Monitored.Ip("address", "add", $"{TcpPathMonitoredAddress}/30", "dev", TcpPathMonitoredInterface);
        Peer.Ip("address", "add", $"{TcpPathPeerAddress}/30", "dev", TcpPathPeerInterface);
        Monitored.Ip("link", "set", TcpPathMonitoredInterface, "up");
        Peer.Ip("link", "set", TcpPathPeerInterface, "up");

        // Permanent neighbours: no ARP exchange, so every packet on the path is one a test sent or provoked.
        string peerMac = Peer.Exec("cat", $"/sys/class/net/{TcpPathPeerInterface}/address").Trim();
        string monitoredMac = Monitored.Exec("cat", $"/sys/class/net/{TcpPathMonitoredInterface}/address").Trim();
        Monitored.Ip("neighbour", "replace", TcpPathPeerAddress, "lladdr", peerMac, "dev", TcpPathMonitoredInterface, "nud", "permanent");
        Peer.Ip("neighbour", "replace", TcpPathMonitoredAddress, "lladdr", monitoredMac, "dev", TcpPathPeerInterface, "nud", "permanent");

        Monitored.Ip("route", "add", $"{SinkSourceAddress}/32", "via", TcpPathPeerAddress, "dev", TcpPathMonitoredInterface);
        Monitored.Ip("route", "add", "unreachable", $"{UnroutableSourceAddress}/32");

        // rp_filter's effective value is the larger of "all" and the interface's (fib_validate_source()).
        Monitored.WriteSysctl("net/ipv4/conf/all/rp_filter", "0");
        Monitored.WriteSysctl($"net/ipv4/conf/{TcpPathMonitoredInterface}/rp_filter", "0");
        Peer.WriteSysctl("net/ipv4/ip_forward", "0");
    }

    /// <summary>
    /// Waits until rtnetlink reports the monitored end's operational state, then until the qdisc swap that goes with it
    /// is done. linkwatch_do_dev() (net/core/link_watch.c) sets the operstate and then calls dev_activate() /
    /// dev_deactivate(), which swap the real qdisc and noop_qdisc, all under the RTNL lock; a qdisc dump
    /// (RTM_GETQDISC, which tc_dump_qdisc() serves holding RTNL) cannot start before linkwatch lets go of it. So one
    /// <c>tc qdisc show</c> after the state is seen is a barrier, where a pause would be a guess.
    /// </summary>
    private void WaitForMonitoredLink(bool up)
    {
        // Without carrier a veth end is DOWN, or LOWERLAYERDOWN when the kernel finds its peer (same namespace only).
        string[] expected = up ? ["UP"] : ["DOWN", "LOWERLAYERDOWN"];
        DateTime deadline = DateTime.UtcNow + s_carrierTimeout;
        string state = "";
        while (DateTime.UtcNow < deadline)
        {
            using JsonDocument link = JsonDocument.Parse(Monitored.Ip("-j", "link", "show", "dev", MonitoredInterface));
            state = link.RootElement[0].GetProperty("operstate").GetString() ?? "";
            if (expected.Contains(state))
            {
                Monitored.Tc("qdisc", "show", "dev", MonitoredInterface);
                return;
            }

            Thread.Sleep(20);
        }

        throw new TimeoutException(
            $"{MonitoredInterface} in {Monitored.Name} stayed '{state}' instead of '{string.Join(" or ", expected)}' for {s_carrierTimeout}.");
    }
}
