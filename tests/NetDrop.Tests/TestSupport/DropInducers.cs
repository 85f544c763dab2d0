using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using NetDrop.Kernel.SafeHandles;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// Bounded generators of known kernel drops, each aimed at one counter. Every loop is bounded in count and in time,
/// and traffic goes only to loopback or across the test's own veth pair. Where the kernel tells the sender about each
/// drop (ENOBUFS from an AF_PACKET send), the inducer counts the drops itself, a third witness beside the kernel's
/// counters and NetDrop's CSV.
/// </summary>
internal static class DropInducers
{
    /// <summary>Frame size for the AF_PACKET inducers: well under the tbf burst, so tbf never segments or refuses it for size.</summary>
    public const int FrameBytes = 1000;

    private static readonly TimeSpan s_loopTimeLimit = TimeSpan.FromSeconds(20);

    /// <summary>A locally administered unicast address no interface owns.</summary>
    private static readonly byte[] s_nobodysMac = [0x02, 0, 0, 0, 0, 0x01];

    private static readonly byte[] s_broadcastMac = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

    /// <summary>The made-up source address of every frame the inducers build.</summary>
    private static readonly byte[] s_inducerMac = [0x02, 0, 0, 0, 0, 0x02];

    /// <summary>
    /// Floods one unread UDP socket per family, bound to 127.0.0.1 and to ::1, whose SO_RCVBUF is the kernel minimum.
    /// __udp_enqueue_schedule_skb() (net/ipv4/udp.c) refuses a datagram with -ENOMEM once the receive queue is over
    /// sk_rcvbuf, and __udp_queue_rcv_skb() / __udpv6_queue_rcv_skb() (net/ipv6/udp.c) count it as Udp RcvbufErrors
    /// or Udp6RcvbufErrors (plus InErrors, which NetDrop does not read).
    /// Loopback delivers each datagram in the sender's own softirq, so every datagram is either queued or refused.
    /// </summary>
    /// <returns>Per family, how many datagrams were sent and how many the socket had queued (read back afterwards).</returns>
    public static UdpFloodResult FloodUnreadUdpSockets(NetworkNamespace networkNamespace, int datagramsPerFamily = 2000) =>
        networkNamespace.Run(() => new UdpFloodResult(
            FloodUnreadUdpSocket(IPAddress.Loopback, datagramsPerFamily),
            FloodUnreadUdpSocket(IPAddress.IPv6Loopback, datagramsPerFamily)));

    /// <summary>
    /// Opens a TCP listener with backlog 1 on 127.0.0.1 that never accepts, starts <paramref name="connections"/>
    /// non-blocking connects, and closes them before the first SYN retransmission (TCP_TIMEOUT_INIT, 1 s), so each
    /// refused SYN is counted once. tcp_conn_request() (net/ipv4/tcp_input.c) drops a SYN while sk_acceptq_is_full(),
    /// counting ListenOverflows and, through tcp_listendrop(), ListenDrops. sk_acceptq_is_full() compares with '>', so
    /// a backlog-1 listener holds two established children: expect connections − 2 overflows.
    /// </summary>
    public static void OverflowAcceptQueue(NetworkNamespace networkNamespace, int connections = 20) =>
        networkNamespace.Run(() =>
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            EndPoint target = listener.LocalEndPoint!;

            var clients = new List<Socket>(connections);
            try
            {
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < connections; i++)
                {
                    ThrowIfOverTime(clock, "connect loop");
                    var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
                    clients.Add(client);
                    try
                    {
                        client.Connect(target);
                    }
                    catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
                    {
                        // Expected: the handshake (or the refused SYN) happens without us.
                    }
                }

                // Loopback runs each SYN through the listener inside connect(); the pause only lets stragglers settle
                // while staying well before the 1 s retransmission that would count a refused SYN a second time.
                Thread.Sleep(300);
            }
            finally
            {
                foreach (Socket client in clients)
                {
                    client.Dispose();
                }
            }
        });

    /// <summary>
    /// Sends <paramref name="frames"/> raw Ethernet frames through <paramref name="interfaceName"/>'s qdisc from an
    /// AF_PACKET socket. packet_snd() (net/packet/af_packet.c) hands them to dev_queue_xmit(); tbf_enqueue()
    /// (net/sched/sch_tbf.c) passes each to its child, the child refuses what exceeds its limit, and tbf counts that
    /// refusal in its own qstats.drops as well; dev_queue_xmit() returns NET_XMIT_DROP and packet_snd() turns it into
    /// -ENOBUFS for exactly those frames. No UDP or IP MIB sees these frames, unlike a UDP flood, which the kernel
    /// would count twice (see <see cref="FloodQdiscWithUdp"/>). The destination MAC is nobody's, so the peer's
    /// ip_rcv_core() discards the few frames tbf lets through as PACKET_OTHERHOST without touching a counter.
    /// </summary>
    /// <returns>How many sends the kernel refused with ENOBUFS: the packets the qdisc tree dropped.</returns>
    public static int FloodQdisc(NetworkNamespace networkNamespace, string interfaceName, int frames = 500) =>
        networkNamespace.Run(() => SendFrames(interfaceName, frames, bypassQdisc: false, s_nobodysMac, NamespaceInterop.ETH_P_IP));

    /// <summary>
    /// Sends <paramref name="frames"/> frames of ethertype <see cref="GroundTruthNetwork.IngressDropEtherType"/> from
    /// the peer namespace across the veth. veth_xmit() hands each to the monitored end's receive path, where
    /// sch_handle_ingress() (net/core/dev.c) runs the clsact filter; its TC_ACT_SHOT drops the frame and counts it in
    /// the clsact qdisc's drops, before any protocol handler or rx_dropped could see it. The peer end has a noqueue
    /// root, so every send reaches veth_xmit() and the sender learns nothing of the drop.
    /// </summary>
    /// <returns>The number of frames sent, all of which the ingress filter drops.</returns>
    public static int DropAtIngress(GroundTruthNetwork network, int frames = 200)
    {
        int refused = network.Peer.Run(() => SendFrames(
            GroundTruthNetwork.PeerInterface, frames, bypassQdisc: false, s_broadcastMac, GroundTruthNetwork.IngressDropEtherType));
        return refused == 0
            ? frames
            : throw new InvalidOperationException($"The peer's noqueue root refused {refused} frames; the ingress count is unknown.");
    }

    /// <summary>
    /// Sets the veth peer down, then sends <paramref name="frames"/> frames with PACKET_QDISC_BYPASS and brings the
    /// peer back up. veth_close() (drivers/net/veth.c) takes the carrier off both ends. A plain send would meet
    /// noop_qdisc, which dev_deactivate() installs once linkwatch sees the carrier loss (noop_enqueue() counts
    /// tx_dropped on current kernels, but the switch is asynchronous and the sender is told "success"). The bypass
    /// path is exact: packet_direct_xmit() → __dev_direct_xmit() (net/core/dev.c) checks
    /// <c>!netif_running(dev) || !netif_carrier_ok(dev)</c> and drops with dev_core_stats_tx_dropped_inc(), which
    /// dev_get_stats() folds into rtnl_link_stats64.tx_dropped; the sender gets -ENOBUFS for each frame.
    /// </summary>
    /// <returns>How many sends the kernel refused with ENOBUFS: the tx_dropped increments.</returns>
    public static int TransmitWithPeerDown(GroundTruthNetwork network, int frames = 100)
    {
        network.SetPeerLink(up: false);
        try
        {
            return network.Monitored.Run(() => SendFrames(
                GroundTruthNetwork.MonitoredInterface, frames, bypassQdisc: true, s_nobodysMac, NamespaceInterop.ETH_P_IP));
        }
        finally
        {
            network.SetPeerLink(up: true);
        }
    }

    /// <summary>
    /// Makes <paramref name="connections"/> ordinary, accepted TCP connections while the namespace's
    /// net.ipv4.tcp_syncookies is 2 ("always"). tcp_conn_request() then calls tcp_syn_flood_action(), which counts
    /// TCPReqQFullDoCookies for every SYN although no queue is full and nothing is dropped: a pure pressure signal.
    /// The sysctl is the namespace's own and is restored afterwards.
    /// </summary>
    public static void SendSynCookies(NetworkNamespace networkNamespace, int connections = 5)
    {
        const string Sysctl = "net/ipv4/tcp_syncookies";
        string previous = networkNamespace.ReadSysctl(Sysctl);
        networkNamespace.WriteSysctl(Sysctl, "2");
        try
        {
            networkNamespace.Run(() =>
            {
                using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                listener.Listen(connections);
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < connections; i++)
                {
                    ThrowIfOverTime(clock, "syn-cookie connect loop");
                    using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    client.Connect(listener.LocalEndPoint!);
                    using Socket accepted = listener.Accept();
                }
            });
        }
        finally
        {
            networkNamespace.WriteSysctl(Sysctl, previous);
        }
    }

    /// <summary>
    /// Sends UDP datagrams to the veth peer through the tbf root: the kernel's own double count. The qdisc drop makes
    /// dev_queue_xmit() return NET_XMIT_DROP; ip_send_skb() (net/ipv4/ip_output.c) turns it into -ENOBUFS, and
    /// udp_send_skb() (net/ipv4/udp.c) counts UDP_MIB_SNDBUFERRORS and returns 0 unless IP_RECVERR is set, so the
    /// sender sees no error while one packet moves both qdisc and udp_sndbuf.
    /// </summary>
    /// <returns>How many datagrams were sent without an error reaching the caller.</returns>
    public static int FloodQdiscWithUdp(NetworkNamespace networkNamespace, string peerAddress, int datagrams = 300) =>
        networkNamespace.Run(() =>
        {
            using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            var target = new IPEndPoint(IPAddress.Parse(peerAddress), 9); // discard port; nobody listens on the peer
            byte[] payload = new byte[900];
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < datagrams; i++)
            {
                ThrowIfOverTime(clock, "UDP-into-qdisc loop");
                sender.SendTo(payload, target);
            }

            return datagrams;
        });

    /// <summary>Floods one unread, tiny-buffered UDP socket on <paramref name="loopback"/> from the calling thread's namespace.</summary>
    public static UdpFamilyFlood FloodUnreadUdpSocket(IPAddress loopback, int datagrams)
    {
        using var receiver = new Socket(loopback.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        receiver.ReceiveBufferSize = 1; // the kernel raises it to its minimum (SOCK_MIN_RCVBUF): two or three datagrams
        receiver.Bind(new IPEndPoint(loopback, 0));
        using var sender = new Socket(loopback.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        EndPoint target = receiver.LocalEndPoint!;
        byte[] payload = new byte[64];

        var clock = Stopwatch.StartNew();
        for (int i = 0; i < datagrams; i++)
        {
            ThrowIfOverTime(clock, "UDP flood loop");
            sender.SendTo(payload, target);
        }

        int queued = 0;
        byte[] buffer = new byte[payload.Length];
        while (queued < datagrams && receiver.Poll(0, SelectMode.SelectRead))
        {
            receiver.Receive(buffer);
            queued++;
        }

        return new UdpFamilyFlood(datagrams, queued);
    }

    /// <summary>Runs on a thread inside the namespace; returns the number of sends refused with ENOBUFS.</summary>
    private static unsafe int SendFrames(string interfaceName, int frames, bool bypassQdisc, byte[] destination, ushort etherType)
    {
        uint interfaceIndex = NamespaceInterop.if_nametoindex(interfaceName);
        if (interfaceIndex == 0)
        {
            throw new InvalidOperationException($"if_nametoindex({interfaceName}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        // Protocol 0: the socket only sends, it is bound to no ethertype and receives nothing.
        using SafeFdHandle socket = NamespaceInterop.socket(NamespaceInterop.AF_PACKET, NamespaceInterop.SOCK_RAW | NamespaceInterop.SOCK_CLOEXEC, 0);
        if (socket.IsInvalid)
        {
            throw new InvalidOperationException($"socket(AF_PACKET) failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        if (bypassQdisc)
        {
            int on = 1;
            if (NamespaceInterop.setsockopt(socket, NamespaceInterop.SOL_PACKET, NamespaceInterop.PACKET_QDISC_BYPASS, &on, sizeof(int)) != 0)
            {
                throw new InvalidOperationException($"setsockopt(PACKET_QDISC_BYPASS) failed with errno {Marshal.GetLastPInvokeError()}.");
            }
        }

        // Ethernet header (destination, source, ethertype); the payload stays zero.
        byte[] frame = new byte[FrameBytes];
        destination.CopyTo(frame, 0);
        s_inducerMac.CopyTo(frame, 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), etherType);

        var address = new NamespaceInterop.SockaddrLl
        {
            sll_family = NamespaceInterop.AF_PACKET,
            sll_protocol = (ushort)IPAddress.HostToNetworkOrder((short)etherType),
            sll_ifindex = (int)interfaceIndex,
            sll_halen = 6,
        };
        for (int i = 0; i < 6; i++)
        {
            address.sll_addr[i] = frame[i];
        }

        int refused = 0;
        var clock = Stopwatch.StartNew();
        fixed (byte* data = frame)
        {
            for (int i = 0; i < frames; i++)
            {
                ThrowIfOverTime(clock, "AF_PACKET send loop");
                nint sent = NamespaceInterop.sendto(socket, data, (nuint)frame.Length, 0, &address, (uint)sizeof(NamespaceInterop.SockaddrLl));
                if (sent < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno != NamespaceInterop.ENOBUFS)
                    {
                        throw new InvalidOperationException($"sendto(AF_PACKET, {interfaceName}) failed with errno {errno}.");
                    }

                    refused++;
                }
            }
        }

        return refused;
    }

    private static void ThrowIfOverTime(Stopwatch clock, string loop)
    {
        if (clock.Elapsed > s_loopTimeLimit)
        {
            throw new TimeoutException($"The {loop} ran longer than {s_loopTimeLimit}; the inducer gives up.");
        }
    }
}
