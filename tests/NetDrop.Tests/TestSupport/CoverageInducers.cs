using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// Bounded generators of drops below the socket layer, in a <see cref="CoverageNetwork"/>: each sends a counted number
/// of packets that one kernel check refuses, and returns a <see cref="DropWitness"/> whose <c>RawCounts</c> say which
/// kernel counter must move by how much (the count the inducer saw for itself: sends the kernel accepted, or refused
/// with a named errno) and whose <c>Counts</c> name the NetDrop column (docs/coverage.md). Every loop is
/// bounded in count and time; traffic goes only across the test's own veth or to addresses nobody in the test's
/// namespaces owns, and the sysctls written are the namespaces' own.
/// </summary>
internal static class CoverageInducers
{
    /// <summary>A source address only the sender's veth end holds: the receiver has no route back to it.</summary>
    public const string SpoofedSource = "192.0.2.1"; // TEST-NET-1, RFC 5737

    /// <summary>A destination nobody has a route to: the receiver, forwarding or not, cannot deliver it.</summary>
    public const string UnroutedDestination = "198.51.100.1"; // TEST-NET-2

    /// <summary>A destination with no route in the sender's namespace at all (it has no default route).</summary>
    public const string NoRouteDestination = "203.0.113.1"; // TEST-NET-3

    /// <summary>An address on the veth's subnet that no host holds: ARP for it is never answered.</summary>
    public const string AbsentNeighbour = "10.201.0.77";

    /// <summary>The sender's IPv6 address for <see cref="SendToAbsentNeighbourIPv6"/> (a unique local address, RFC 4193).</summary>
    public const string SenderAddressIPv6 = "fd00:201::1";

    /// <summary>An address on the sender's IPv6 subnet that nobody holds.</summary>
    public const string AbsentNeighbourIPv6 = "fd00:201::77";

    private static readonly TimeSpan s_loopTimeLimit = TimeSpan.FromSeconds(20);
    private static readonly byte[] s_payload = new byte[32];

    /// <summary>
    /// Sends <paramref name="datagrams"/> UDP datagrams from <see cref="SpoofedSource"/> (an address the sender's end
    /// holds) to the receiver, whose rp_filter is 1 (strict) in its own namespace. ip_route_input_slow() →
    /// fib_validate_source() (net/ipv4/fib_frontend.c) finds no route back to the source through the receiving
    /// interface and returns -EXDEV; ip_rcv_finish_core() (net/ipv4/ip_input.c) counts it as TcpExt
    /// IPReversePathFilter (LINUX_MIB_IPRPFILTER) and drops it (drop reason IP_RPFILTER). The effective rp_filter is
    /// the larger of conf/all and conf/IF, so both are set. The receiver's ARP never runs: the sender's neighbour
    /// entry for it is permanent.
    /// </summary>
    public static DropWitness SendFromSpoofedSource(CoverageNetwork network, int datagrams = 30)
    {
        network.Receiver.WriteSysctl("net/ipv4/conf/all/rp_filter", "1");
        network.Receiver.WriteSysctl($"net/ipv4/conf/{CoverageNetwork.ReceiverInterface}/rp_filter", "1");
        network.Sender.Ip("address", "add", $"{SpoofedSource}/32", "dev", CoverageNetwork.SenderInterface);
        int sent = network.Sender.Run(() => SendUdp(IPAddress.Parse(SpoofedSource), IPAddress.Parse(CoverageNetwork.ReceiverAddress), datagrams, out _));
        return Witness("spoofed sources into rp_filter=1", "ip_rpfilter", "TcpExt:IPReversePathFilter", sent);
    }

    /// <summary>
    /// Sends <paramref name="datagrams"/> UDP datagrams addressed to <see cref="UnroutedDestination"/> to the
    /// receiver's MAC. The receiver has no route there. With <paramref name="forwarding"/> (net.ipv4.ip_forward 1 in
    /// its namespace), ip_route_input_slow() fails the FIB lookup with -ENETUNREACH and installs an RTN_UNREACHABLE
    /// route whose input is ip_error() (net/ipv4/route.c), which counts IpExt InNoRoutes (drop reason IP_INNOROUTES)
    /// and answers with a rate-limited ICMP net unreachable. Without forwarding the error is -EHOSTUNREACH and
    /// ip_error() counts Ip InAddrErrors instead (IP_INADDRERRORS), with no ICMP.
    /// </summary>
    public static DropWitness SendToUnroutedDestination(CoverageNetwork network, bool forwarding, int datagrams = 20)
    {
        network.Receiver.WriteSysctl("net/ipv4/ip_forward", forwarding ? "1" : "0");
        // replace, not add: a run may induce both variants, one after the other, on the same network.
        network.Sender.Ip("route", "replace", $"{UnroutedDestination}/32", "dev", CoverageNetwork.SenderInterface);
        network.Sender.Ip("neighbour", "replace", UnroutedDestination, "lladdr", network.ReceiverMac, "dev", CoverageNetwork.SenderInterface, "nud", "permanent");
        int sent = network.Sender.Run(() => SendUdp(null, IPAddress.Parse(UnroutedDestination), datagrams, out _));
        // The net unreachable replies are rate limited per peer and host-wide per namespace (icmpv4_xrlim_allow()),
        // and how many the limits refuse depends on how fast the datagrams came: icmp_ratelimit moves, uncounted.
        return forwarding
            ? Witness("datagrams to an unrouted destination, forwarding on", "ip_no_route", "IpExt:InNoRoutes", sent) with { Unwitnessed = ["icmp_ratelimit"] }
            : Witness("datagrams to a foreign destination, forwarding off", "ip_addr_errors", "Ip:InAddrErrors", sent);
    }

    /// <summary>
    /// Sends <paramref name="datagrams"/> UDP datagrams to <see cref="NoRouteDestination"/> from the sender (or from
    /// <paramref name="from"/>, the receiver, where a monitor runs); neither has a default route. udp_sendmsg()
    /// (net/ipv4/udp.c) gets -ENETUNREACH from ip_route_output_flow() and counts Ip OutNoRoutes before returning the
    /// error: each refused sendto() is one count.
    /// </summary>
    public static DropWitness SendWithoutRoute(CoverageNetwork network, int datagrams = 15, NetworkNamespace? from = null)
    {
        int refused = 0;
        (from ?? network.Sender).Run(() => SendUdp(null, IPAddress.Parse(NoRouteDestination), datagrams, out refused));
        return refused == datagrams
            ? Witness("sends with no route", "ip_no_route", "Ip:OutNoRoutes", refused)
            : throw new InvalidOperationException($"Only {refused} of {datagrams} sends were refused with ENETUNREACH.");
    }

    /// <summary>
    /// Sends <paramref name="datagrams"/> UDP datagrams to <see cref="AbsentNeighbour"/>, with the sender's
    /// neigh/IF/unres_qlen_bytes at 1 and retrans_time_ms at 60 s (both the namespace's own). __neigh_event_send()
    /// (net/core/neighbour.c) queues each packet on the INCOMPLETE entry and first drops queued packets from the
    /// head until the new one fits: with a 1-byte limit every datagram after the first pushes out the one before it,
    /// NEIGH_CACHE_STAT_INC(tbl, unres_discards) (drop reason NEIGH_QUEUEFULL). The last datagram stays queued (freed
    /// later as NEIGH_FAILED, which unres_discards does not count), so the witness is datagrams − 1. The slow
    /// retransmission keeps the entry INCOMPLETE for minutes, so it never fails and restarts mid-loop.
    /// NOTE: the neighbour statistics are per table, for every namespace of the host (neigh_table_init() keeps one
    /// per-CPU struct neigh_statistics per table), so the counter is read in the initial namespace.
    /// </summary>
    public static DropWitness SendToAbsentNeighbour(CoverageNetwork network, int datagrams = 25)
    {
        network.Sender.WriteSysctl($"net/ipv4/neigh/{CoverageNetwork.SenderInterface}/unres_qlen_bytes", "1");
        network.Sender.WriteSysctl($"net/ipv4/neigh/{CoverageNetwork.SenderInterface}/retrans_time_ms", "60000");
        int sent = network.Sender.Run(() => SendUdp(null, IPAddress.Parse(AbsentNeighbour), datagrams, out _));
        return Witness("datagrams queued behind an unresolved neighbour", "neigh_unresolved", "arp_cache:unresolved_discards", sent - 1);
    }

    /// <summary>
    /// The IPv6 twin of <see cref="SendToAbsentNeighbour"/>: IPv6 is switched on for the sender's end only (the
    /// receiver keeps it off, so nothing answers neighbour solicitation), with an address that skips duplicate address
    /// detection, and the same 1-byte net/ipv6/neigh/IF/unres_qlen_bytes and 60 s retrans_time_ms. ndisc shares
    /// __neigh_event_send() with ARP, so the count is ndisc_cache unresolved_discards, datagrams − 1.
    /// </summary>
    public static DropWitness SendToAbsentNeighbourIPv6(CoverageNetwork network, int datagrams = 21)
    {
        network.Sender.WriteSysctl($"net/ipv6/conf/{CoverageNetwork.SenderInterface}/disable_ipv6", "0");
        network.Sender.Ip("address", "add", $"{SenderAddressIPv6}/64", "dev", CoverageNetwork.SenderInterface, "nodad");
        network.Sender.WriteSysctl($"net/ipv6/neigh/{CoverageNetwork.SenderInterface}/unres_qlen_bytes", "1");
        network.Sender.WriteSysctl($"net/ipv6/neigh/{CoverageNetwork.SenderInterface}/retrans_time_ms", "60000");
        int sent = network.Sender.Run(() => SendUdp(null, IPAddress.Parse(AbsentNeighbourIPv6), datagrams, out _));
        return Witness("IPv6 datagrams queued behind an unresolved neighbour", "neigh_unresolved", "ndisc_cache:unresolved_discards", sent - 1);
    }

    /// <summary>
    /// Sends <paramref name="datagrams"/> first fragments whose other fragments never come (distinct IP ids), into a
    /// receiver whose net.ipv4.ipfrag_time is 1 s. ip_expire() (net/ipv4/ip_fragment.c) kills each queue when its
    /// timer fires and counts Ip ReasmFails (and ReasmTimeout) once per datagram (drop reason FRAG_REASM_TIMEOUT). It
    /// then answers each queue that holds its first fragment with an ICMP time exceeded (ICMP_EXC_FRAGTIME), which
    /// the ICMP rate limits may refuse: icmp_ratelimit moves, uncounted.
    /// </summary>
    public static DropWitness SendIncompleteFragments(CoverageNetwork network, int datagrams = 7)
    {
        network.Receiver.WriteSysctl("net/ipv4/ipfrag_time", "1");
        IPAddress source = IPAddress.Parse(CoverageNetwork.SenderAddress);
        IPAddress destination = IPAddress.Parse(CoverageNetwork.ReceiverAddress);
        var frames = new List<byte[]>();
        for (int i = 0; i < datagrams; i++)
        {
            frames.Add(IPv4Frame(network, RawIPv4Packet.FirstFragmentOnly(source, destination, (ushort)(1000 + i))));
        }

        int sent = network.Sender.Run(() => PacketSender.Send(CoverageNetwork.SenderInterface, frames));
        return Witness("lone first fragments, ipfrag_time 1", "ip_reasm", "Ip:ReasmFails", sent) with { Unwitnessed = ["icmp_ratelimit"] };
    }

    /// <summary>
    /// Sends <paramref name="packets"/> IPv4 packets whose header length field says 4 words; ip_rcv_core()
    /// (net/ipv4/ip_input.c) refuses <c>iph-&gt;ihl &lt; 5</c> and counts Ip InHdrErrors (drop reason IP_INHDR).
    /// </summary>
    public static DropWitness SendShortHeaders(CoverageNetwork network, int packets = 13)
    {
        IPAddress source = IPAddress.Parse(CoverageNetwork.SenderAddress);
        IPAddress destination = IPAddress.Parse(CoverageNetwork.ReceiverAddress);
        var frames = new List<byte[]>();
        for (int i = 0; i < packets; i++)
        {
            frames.Add(IPv4Frame(network, RawIPv4Packet.HeaderTooShort(source, destination, (ushort)(2000 + i))));
        }

        int sent = network.Sender.Run(() => PacketSender.Send(CoverageNetwork.SenderInterface, frames));
        return Witness("IPv4 headers with ihl 4", "ip_hdr_errors", "Ip:InHdrErrors", sent);
    }

    /// <summary>
    /// Sends <paramref name="packets"/> well-formed IPv4 packets with one bit of the header checksum flipped.
    /// ip_rcv_core() counts a bad checksum at its <c>csum_error</c> label, IpExt InCsumErrors (drop reason IP_CSUM), and
    /// falls through to <c>inhdr_error</c>, Ip InHdrErrors: the kernel counts one packet in both.
    /// </summary>
    public static DropWitness SendBadHeaderChecksums(CoverageNetwork network, int packets = 11)
    {
        IPAddress source = IPAddress.Parse(CoverageNetwork.SenderAddress);
        IPAddress destination = IPAddress.Parse(CoverageNetwork.ReceiverAddress);
        var frames = new List<byte[]>();
        for (int i = 0; i < packets; i++)
        {
            byte[] packet = RawIPv4Packet.Udp(source, destination, (ushort)(3000 + i));
            packet[11] ^= 0x01;
            frames.Add(IPv4Frame(network, packet));
        }

        int sent = network.Sender.Run(() => PacketSender.Send(CoverageNetwork.SenderInterface, frames));
        return new DropWitness("IPv4 headers with a wrong checksum", new Dictionary<string, long> { ["ip_hdr_errors"] = sent })
        {
            RawCounts = new Dictionary<string, long> { ["Ip:InHdrErrors"] = sent, ["IpExt:InCsumErrors"] = sent },
        };
    }

    /// <summary>
    /// Sends <paramref name="frames"/> frames of an ethertype no protocol handler takes (0x88b6, IEEE 802 local
    /// experimental 2) to the receiver's MAC. __netif_receive_skb_core() (net/core/dev.c) finds no packet_type and
    /// drops at its <c>drop:</c> label (drop reason UNHANDLED_PROTO). It counts rx_nohandler only when
    /// <c>deliver_exact</c> is set (an rx_handler said RX_HANDLER_EXACT: a bond's or team's inactive port); for an
    /// ordinary device the count is rx_dropped, NetDrop's nic_rx. Both are witnessed: rx_dropped += frames,
    /// rx_nohandler += 0.
    /// </summary>
    public static DropWitness SendUnknownEtherType(CoverageNetwork network, int frames = 17)
    {
        const ushort UnknownEtherType = 0x88b6;
        byte[] frame = PacketSender.Frame(
            PacketSender.ParseMac(network.ReceiverMac), PacketSender.ParseMac(network.SenderMac), UnknownEtherType, new byte[50]);
        int sent = network.Sender.Run(() => PacketSender.Send(CoverageNetwork.SenderInterface, Enumerable.Repeat(frame, frames).ToList()));
        return new DropWitness("frames of an unhandled ethertype", new Dictionary<string, long> { ["nic_rx"] = sent })
        {
            RawCounts = new Dictionary<string, long> { ["link:rx_dropped"] = sent, ["link:rx_nohandler"] = 0 },
        };
    }

    /// <summary>
    /// Sends <paramref name="syns"/> SYNs (TTL 64, from distinct ports, never retransmitted: they are hand-built frames)
    /// to a listener in the receiver whose IP_MINTTL is 255. tcp_v4_rcv() (net/ipv4/tcp_ipv4.c) checks
    /// <c>iph-&gt;ttl &lt; inet_sk(sk)-&gt;min_ttl</c> once the socket is found and counts TcpExt TCPMinTTLDrop (drop
    /// reason TCP_MINTTL). The listener must live until the SYNs are processed: the sending thread is pinned to one CPU,
    /// a veth queues every frame into that CPU's backlog in order (veth_xmit → __netif_rx), so when a UDP datagram sent
    /// after the SYNs reaches a socket in the receiver, every SYN before it has been seen.
    /// </summary>
    public static DropWitness SendSynsBelowMinTtl(CoverageNetwork network, int syns = 9)
    {
        const int IpProtocolIp = 0; // IPPROTO_IP
        const int IpMinTtl = 21; // IP_MINTTL, include/uapi/linux/in.h
        IPAddress source = IPAddress.Parse(CoverageNetwork.SenderAddress);
        IPAddress destination = IPAddress.Parse(CoverageNetwork.ReceiverAddress);
        (Socket listener, Socket barrier) = network.Receiver.Run(() =>
        {
            var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.SetRawSocketOption(IpProtocolIp, IpMinTtl, BitConverter.GetBytes(255));
            tcp.Bind(new IPEndPoint(destination, 0));
            tcp.Listen(16);
            var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(destination, 0));
            return (tcp, udp);
        });
        using (listener)
        using (barrier)
        {
            ushort listenerPort = (ushort)((IPEndPoint)listener.LocalEndPoint!).Port;
            var frames = new List<byte[]>();
            for (int i = 0; i < syns; i++)
            {
                var syn = new RawTcpSegment(source, destination, (ushort)(30000 + i), listenerPort, 1, 0, RawTcpSegment.Syn, ushort.MaxValue, 0);
                frames.Add(IPv4Frame(network, syn.ToPacket()));
            }

            ushort barrierPort = (ushort)((IPEndPoint)barrier.LocalEndPoint!).Port;
            frames.Add(IPv4Frame(network, RawIPv4Packet.Udp(source, destination, 4000, destinationPort: barrierPort)));
            int sent = network.Sender.Run(() =>
            {
                PinToCurrentCpu();
                return PacketSender.Send(CoverageNetwork.SenderInterface, frames);
            }) - 1;
            if (!barrier.Poll((int)s_loopTimeLimit.TotalMicroseconds, SelectMode.SelectRead))
            {
                throw new TimeoutException($"The barrier datagram behind the SYNs did not arrive within {s_loopTimeLimit}.");
            }

            return Witness("SYNs below the listener's IP_MINTTL", "tcp_min_ttl", "TcpExt:TCPMinTTLDrop", sent);
        }
    }

    private static unsafe void PinToCurrentCpu()
    {
        int cpu = RawPeerInterop.sched_getcpu();
        ulong mask = 1UL << cpu;
        if (cpu < 0 || cpu >= 64 || RawPeerInterop.sched_setaffinity(0, sizeof(ulong), &mask) != 0)
        {
            throw new InvalidOperationException($"Pinning the sending thread to CPU {cpu} failed.");
        }
    }

    private static byte[] IPv4Frame(CoverageNetwork network, byte[] packet) =>
        PacketSender.Frame(PacketSender.ParseMac(network.ReceiverMac), PacketSender.ParseMac(network.SenderMac), RawIPv4Packet.EtherTypeIPv4, packet);

    private static DropWitness Witness(string inducer, string column, string counter, long count) =>
        new(inducer, new Dictionary<string, long> { [column] = count })
        {
            RawCounts = new Dictionary<string, long> { [counter] = count },
        };

    /// <summary>Sends datagrams on the calling thread; returns how many were accepted, and how many refused with ENETUNREACH.</summary>
    private static int SendUdp(IPAddress? source, IPAddress destination, int datagrams, out int unreachable)
    {
        using var socket = new Socket(destination.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (source is not null)
        {
            socket.Bind(new IPEndPoint(source, 0));
        }

        var target = new IPEndPoint(destination, 9);
        int sent = 0;
        unreachable = 0;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < datagrams; i++)
        {
            if (clock.Elapsed > s_loopTimeLimit)
            {
                throw new TimeoutException($"Sending {datagrams} datagrams took longer than {s_loopTimeLimit}.");
            }

            try
            {
                socket.SendTo(s_payload, target);
                sent++;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.NetworkUnreachable)
            {
                unreachable++;
            }
        }

        return sent;
    }
}
