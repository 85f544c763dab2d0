using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using NetDrop.Kernel.SafeHandles;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// Bounded generators of known kernel drops, each aimed at one counter and each returning a <see cref="DropWitness"/>:
/// the count the inducer saw for itself (a send refused with ENOBUFS, a segment the receiver did not take, a SYN sent
/// beyond a queue's capacity), a third witness beside the kernel's counters and NetDrop's CSV. Every loop is bounded
/// in count and in time, and traffic goes only to loopback or across the test's own veth pairs.
/// </summary>
internal static class DropInducers
{
    /// <summary>Frame size for the AF_PACKET inducers: well under the tbf burst, so tbf never segments or refuses it for size.</summary>
    public const int FrameBytes = 1000;

    private static readonly TimeSpan s_loopTimeLimit = TimeSpan.FromSeconds(20);

    /// <summary>The raw peer's next source port (see <see cref="NextSourcePort"/>).</summary>
    private static int s_nextSourcePort = 20000;

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
    /// </summary>
    public static DropWitness FloodUnreadUdpSockets(NetworkNamespace networkNamespace, int datagramsPerFamily = 2000)
    {
        UdpFloodResult flood = networkNamespace.Run(() => new UdpFloodResult(
            FloodUnreadUdpSocket(IPAddress.Loopback, datagramsPerFamily),
            FloodUnreadUdpSocket(IPAddress.IPv6Loopback, datagramsPerFamily)));
        if (flood.IPv4.Refused == 0 || flood.IPv6.Refused == 0)
        {
            throw new InvalidOperationException($"A family refused nothing, so it would prove nothing: {flood}");
        }

        return new DropWitness("unread UDP sockets (127.0.0.1, ::1)", new Dictionary<string, long> { ["udp_rcvbuf"] = flood.Refused })
        {
            Detail = $"IPv4 refused {flood.IPv4.Refused} of {flood.IPv4.Sent}, IPv6 refused {flood.IPv6.Refused} of {flood.IPv6.Sent}",
            RawCounts = new Dictionary<string, long> { ["Udp:RcvbufErrors"] = flood.IPv4.Refused, ["Udp6RcvbufErrors"] = flood.IPv6.Refused },
        };
    }

    /// <summary>
    /// Floods one unread, tiny-buffered UDP socket on <paramref name="loopback"/> from the calling thread's namespace,
    /// then reads back what it queued. Loopback delivers in the softirq, which a loaded machine may defer to ksoftirqd,
    /// so the read-back goes on until every datagram is accounted for at the socket: queued (read) or dropped, as the
    /// socket's own drop count says (SO_MEMINFO's SK_MEMINFO_DROPS, sk_drops, which __udp_queue_rcv_skb() increments
    /// with each RcvbufErrors). That count is the socket's, not the namespace MIB the test checks.
    /// </summary>
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
        clock.Restart();
        while (queued + SocketDrops(receiver) < datagrams)
        {
            ThrowIfOverTime(clock, "UDP read-back");
            if (receiver.Poll(10_000, SelectMode.SelectRead))
            {
                receiver.Receive(buffer);
                queued++;
            }
        }

        return new UdpFamilyFlood(datagrams, queued);
    }

    /// <summary>
    /// Fills a backlog-1 listener's accept queue with two connections completed by the raw peer, then sends
    /// <paramref name="syns"/> more SYNs from distinct ports. sk_acceptq_is_full() (include/net/sock.h) is
    /// <c>sk_ack_backlog &gt; sk_max_ack_backlog</c>, so a backlog-1 listener holds two children and is then full;
    /// tcp_conn_request() (net/ipv4/tcp_input.c) then drops each SYN with ListenOverflows and, through
    /// tcp_listendrop(), ListenDrops. The SYN queue stays empty (each child left it when its ACK arrived), so
    /// inet_csk_reqsk_queue_is_full() never fires first. The raw peer never retransmits a SYN, so each SYN is one drop
    /// whatever the machine's load: no race with the 1 s SYN retransmission of a kernel client.
    /// </summary>
    public static DropWitness OverflowAcceptQueue(GroundTruthNetwork network, int syns = 18) =>
        network.Monitored.Run(() =>
        {
            using RawTcpPeer peer = RawTcpPeer.Open(network);
            PinToCurrentCpu();
            using Socket listener = Listen(backlog: 1);
            using Socket barrier = Listen(backlog: 16);
            var endpoint = (IPEndPoint)listener.LocalEndPoint!;
            IPAddress source = IPAddress.Parse(GroundTruthNetwork.SinkSourceAddress);
            ushort port = NextSourcePort(syns + 3);
            peer.Connect(source, port++, endpoint);
            peer.Connect(source, port++, endpoint);
            WaitUntil(() => TcpInfo.Read(listener).Unacked == 2, "the accept queue to hold the raw peer's two connections");

            for (int i = 0; i < syns; i++)
            {
                peer.Send(Syn(source, port++, endpoint));
            }

            peer.Barrier(source, port, (IPEndPoint)barrier.LocalEndPoint!);
            return new DropWitness("SYNs to a full accept queue (backlog 1, 2 children queued)", new Dictionary<string, long> { ["accept_queue"] = syns });
        });

    /// <summary>
    /// Sends <paramref name="syns"/> SYNs from distinct ports to a listener with <paramref name="backlog"/>, with
    /// net.ipv4.tcp_syncookies 0 in the namespace. The raw peer sends from <see cref="GroundTruthNetwork.SinkSourceAddress"/>,
    /// so the SYN-ACKs reach the peer namespace and nobody answers them: every request stays in the SYN queue, none is
    /// completed, reset or retransmitted by a client, and each SYN the full queue refuses is one TCPReqQFullDrop
    /// (tcp_conn_request(), net/ipv4/tcp_input.c; the capacity rule is written out in the test). The witness is the
    /// raw peer's own view: the SYNs that drew no SYN-ACK by the time a later SYN to another listener had drawn its
    /// SYN-ACK (the barrier: everything sent before it has been processed).
    /// </summary>
    public static DropWitness OverflowSynQueue(GroundTruthNetwork network, int backlog = 4, int syns = 20)
    {
        const string Sysctl = "net/ipv4/tcp_syncookies";
        string previous = network.Monitored.ReadSysctl(Sysctl);
        network.Monitored.WriteSysctl(Sysctl, "0");
        try
        {
            return network.Monitored.Run(() =>
            {
                using RawTcpPeer peer = RawTcpPeer.Open(network);
                PinToCurrentCpu();
                using Socket listener = Listen(backlog);
                using Socket barrier = Listen(backlog: 16);
                var endpoint = (IPEndPoint)listener.LocalEndPoint!;
                IPAddress source = IPAddress.Parse(GroundTruthNetwork.SinkSourceAddress);
                ushort first = NextSourcePort(syns + 1);
                for (int i = 0; i < syns; i++)
                {
                    peer.Send(Syn(source, (ushort)(first + i), endpoint));
                }

                IReadOnlyList<RawTcpSegment> seen = peer.Barrier(source, (ushort)(first + syns), (IPEndPoint)barrier.LocalEndPoint!);
                int answered = seen
                    .Where(s => s.SourcePort == endpoint.Port && s.Has(RawTcpSegment.Syn | RawTcpSegment.Ack))
                    .Select(s => s.DestinationPort).Distinct().Count();
                return new DropWitness(
                    $"SYNs to a backlog-{backlog} listener, syncookies 0",
                    new Dictionary<string, long> { ["syn_queue"] = syns - answered })
                {
                    Detail = $"{syns} SYNs, {answered} answered with a SYN-ACK",
                };
            });
        }
        finally
        {
            network.Monitored.WriteSysctl(Sysctl, previous);
        }
    }

    /// <summary>
    /// Sends <paramref name="syns"/> SYNs from <see cref="GroundTruthNetwork.UnroutableSourceAddress"/>, to which the
    /// monitored namespace has an <c>unreachable</c> route. tcp_conn_request() (net/ipv4/tcp_input.c) asks
    /// af_ops->route_req() (tcp_v4_route_req() → inet_csk_route_req(), net/ipv4/inet_connection_sock.c) for the
    /// SYN-ACK's route; it fails (IpOutNoRoutes), and <c>goto drop_and_free</c> ends in tcp_listendrop(): ListenDrops
    /// alone, neither ListenOverflows nor TCPReqQFullDrop. The listener's queues stay empty, so every SYN takes this
    /// path: each is one listen_other drop.
    /// </summary>
    public static DropWitness SendSynsWithoutReturnRoute(GroundTruthNetwork network, int syns = 12) =>
        network.Monitored.Run(() =>
        {
            using RawTcpPeer peer = RawTcpPeer.Open(network);
            PinToCurrentCpu();
            using Socket listener = Listen(backlog: 64);
            using Socket barrier = Listen(backlog: 16);
            var endpoint = (IPEndPoint)listener.LocalEndPoint!;
            IPAddress unroutable = IPAddress.Parse(GroundTruthNetwork.UnroutableSourceAddress);
            ushort first = NextSourcePort(syns + 1);
            for (int i = 0; i < syns; i++)
            {
                peer.Send(Syn(unroutable, (ushort)(first + i), endpoint));
            }

            peer.Barrier(IPAddress.Parse(GroundTruthNetwork.SinkSourceAddress), (ushort)(first + syns), (IPEndPoint)barrier.LocalEndPoint!);
            // Each SYN is counted twice by the kernel: inet_csk_route_req() counts OutNoRoutes for the SYN-ACK it cannot
            // route (ip_no_route), then tcp_conn_request() drops the SYN through tcp_listendrop() (listen_other).
            return new DropWitness("SYNs from a source with no route back", new Dictionary<string, long> { ["listen_other"] = syns, ["ip_no_route"] = syns });
        });

    /// <summary>
    /// Sends <paramref name="datagrams"/> UDP datagrams with a wrong checksum from the raw peer to a port nobody listens
    /// on. A veth hands the receiver a CHECKSUM_NONE skb, so __udp4_lib_rcv() (net/ipv4/udp.c) verifies it in software
    /// before answering "port unreachable": <c>if (udp_lib_checksum_complete(skb)) goto csum_error;</c>, which counts
    /// Udp InCsumErrors (and InErrors) and frees the datagram silently, no ICMP (RFC 1122 4.1.3.4). With no socket the
    /// check cannot be deferred to recvmsg(), so each datagram is counted on arrival; the barrier SYN behind them
    /// proves they all arrived.
    /// </summary>
    public static DropWitness SendUdpWithBadChecksums(GroundTruthNetwork network, int datagrams = 25) =>
        network.Monitored.Run(() =>
        {
            const ushort ClosedPort = 9; // discard: nothing in the namespace listens on it
            using RawTcpPeer peer = RawTcpPeer.Open(network);
            PinToCurrentCpu();
            using Socket barrier = Listen(backlog: 16);
            IPAddress source = IPAddress.Parse(GroundTruthNetwork.SinkSourceAddress);
            IPAddress destination = IPAddress.Parse(GroundTruthNetwork.TcpPathMonitoredAddress);
            ushort port = NextSourcePort(datagrams + 1);
            for (int i = 0; i < datagrams; i++)
            {
                peer.SendPacket(RawUdpDatagram.WithBadChecksum(source, destination, port++, ClosedPort, 64), destination);
            }

            peer.Barrier(source, port, (IPEndPoint)barrier.LocalEndPoint!);
            return new DropWitness("UDP datagrams with a wrong checksum", new Dictionary<string, long> { ["udp_csum"] = datagrams })
            {
                RawCounts = new Dictionary<string, long> { ["Udp:InCsumErrors"] = datagrams },
            };
        });

    /// <summary>
    /// Makes an established, never-read TCP socket refuse <paramref name="rounds"/> segments for lack of receive
    /// memory, each one witnessed: the raw peer sends one segment at a time and waits until the receiver has processed
    /// it (TCP_INFO tcpi_segs_in moved), then sees whether it was taken in order (tcpi_bytes_received), queued out of
    /// order (tcpi_rcv_ooopack) or refused (neither).
    /// <para>
    /// The receiver's window is opened wide (SO_RCVBUF 64 KiB when the window is advertised) and its buffer then shrunk
    /// to the minimum (SO_RCVBUF 1 → SOCK_MIN_RCVBUF); tcp_select_window() never moves an advertised right edge back,
    /// so the data is in window while memory runs out. The peer reads the receiver's ACKs and sends only segments that
    /// end inside the advertised window (Linux 6.16 and later drop a segment beyond it as TCPBeyondWindow instead).
    /// A refusal sets ICSK_ACK_NOMEM and the next ACK advertises a zero window; the inducer then reads the queue empty
    /// with the big buffer (tcp_cleanup_rbuf() re-opens the window) and shrinks the buffer again: each round ends in
    /// exactly one refused segment, and no segment ever meets a closed window.
    /// </para>
    /// <para>
    /// Even rounds send in order. tcp_data_queue() (net/ipv4/tcp_input.c) calls tcp_try_rmem_schedule() →
    /// tcp_prune_queue(): PruneCalled, collapse (TCPRcvCollapsed), and when that does not free enough, RcvPruned and
    /// -1; tcp_data_queue() then counts TCPRcvQDrop for the same segment and frees it. Odd rounds repeat the even
    /// round, which fills memory identically, but send the segment that was refused with a one-segment gap before it;
    /// tcp_data_queue_ofo() meets the same tcp_try_rmem_schedule() failure, RcvPruned again, and counts TCPOFODrop.
    /// The out-of-order queue is empty throughout, so tcp_prune_ofo_queue() prunes nothing and OfoPruned stays 0.
    /// Each refused segment is thus one RcvPruned (tcp_pruned) and one TCPRcvQDrop (tcp_rcvq) or TCPOFODrop
    /// (tcp_ofo): the kernel counts it twice.
    /// </para>
    /// </summary>
    public static DropWitness OverrunTcpReceiveQueue(GroundTruthNetwork network, int rounds = 20, int segmentBytes = 200) =>
        network.Monitored.Run(() =>
        {
            const int WideBuffer = 64 * 1024;
            const int SegmentsPerRoundLimit = 64;
            using RawTcpPeer peer = RawTcpPeer.Open(network);
            using Socket listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.ReceiveBufferSize = WideBuffer; // inherited by the child; sizes the SYN-ACK's window
            listener.Bind(new IPEndPoint(IPAddress.Parse(GroundTruthNetwork.TcpPathMonitoredAddress), 0));
            listener.Listen(1);
            RawTcpConnection connection = peer.Connect(
                IPAddress.Parse(GroundTruthNetwork.SinkSourceAddress), NextSourcePort(1), (IPEndPoint)listener.LocalEndPoint!);
            if (!listener.Poll(20_000_000, SelectMode.SelectRead))
            {
                throw new TimeoutException("The raw peer's handshake never reached the accept queue.");
            }

            using Socket receiver = listener.Accept();
            receiver.LingerState = new LingerOption(enable: true, seconds: 0);
            byte[] drain = new byte[WideBuffer];
            int inOrderRefused = 0;
            int outOfOrderRefused = 0;
            int taken = 0;
            int takenBeforeRefusal = -1; // learned in the in-order round, repeated in the out-of-order one
            var clock = Stopwatch.StartNew();
            for (int round = 0; round < rounds; round++)
            {
                // Re-open the window: read everything with the big buffer, then shrink the buffer under the data to
                // come. The window update is sent from inside recv() (tcp_cleanup_rbuf()); the peer waits to see it.
                receiver.ReceiveBufferSize = WideBuffer;
                if (receiver.Available > 0)
                {
                    while (receiver.Available > 0)
                    {
                        receiver.Receive(drain);
                    }

                    peer.WaitFor(
                        s =>
                        {
                            connection.Observe(s);
                            return connection.Fits(2 * segmentBytes);
                        },
                        "the receiver's window update after it read its queue");
                }

                receiver.ReceiveBufferSize = 1;
                bool outOfOrderRound = round % 2 == 1;
                for (int segment = 0; ; segment++)
                {
                    ThrowIfOverTime(clock, "TCP receive-queue overrun");
                    peer.Drain(connection);
                    bool outOfOrder = outOfOrderRound && segment == takenBeforeRefusal;
                    if (segment == SegmentsPerRoundLimit || !connection.Fits(2 * segmentBytes))
                    {
                        throw new InvalidOperationException(
                            $"After {segment} segments the receiver's window (right edge {connection.RightEdge}, next {connection.NextSequence}) " +
                            "left no room before its memory ran out: a refusal now would be out of window, not pruned.");
                    }

                    TcpInfo before = TcpInfo.Read(receiver);
                    RawTcpSegment sent = connection.Segment(RawTcpSegment.Ack | RawTcpSegment.Psh, segmentBytes);
                    peer.Send(outOfOrder ? sent with { Sequence = sent.Sequence + (uint)segmentBytes } : sent);
                    TcpInfo after = before;
                    WaitUntil(() => (after = TcpInfo.Read(receiver)).SegmentsIn != before.SegmentsIn, "the receiver to process a segment");
                    if (after.OutOfOrderQueued != before.OutOfOrderQueued)
                    {
                        throw new InvalidOperationException(
                            $"Round {round}: the out-of-order segment was queued, not refused, although the same state refused it in order.");
                    }

                    if (after.BytesReceived != before.BytesReceived)
                    {
                        connection.NextSequence += (uint)segmentBytes;
                        taken++;
                        continue;
                    }

                    if (outOfOrder)
                    {
                        outOfOrderRefused++;
                    }
                    else
                    {
                        inOrderRefused++;
                        takenBeforeRefusal = segment;
                    }

                    break;
                }
            }

            int refused = inOrderRefused + outOfOrderRefused;
            return new DropWitness(
                "in-window TCP segments into a never-read, minimum-buffer socket",
                new Dictionary<string, long> { ["tcp_pruned"] = refused, ["tcp_rcvq"] = inOrderRefused, ["tcp_ofo"] = outOfOrderRefused },
                ["tcp_collapsed", "tcp_prune_called"])
            {
                Detail = $"{inOrderRefused} in-order and {outOfOrderRefused} out-of-order segments of {segmentBytes} bytes refused, {taken} taken",
                RawCounts = new Dictionary<string, long> { ["TcpExt:RcvPruned"] = refused, ["TcpExt:OfoPruned"] = 0 },
            };
        });

    /// <summary>
    /// Sends <paramref name="frames"/> raw Ethernet frames through <paramref name="interfaceName"/>'s qdisc from an
    /// AF_PACKET socket. packet_snd() (net/packet/af_packet.c) hands them to dev_queue_xmit(); tbf_enqueue()
    /// (net/sched/sch_tbf.c) passes each to its child, the child refuses what exceeds its limit, and tbf counts that
    /// refusal in its own qstats.drops as well; dev_queue_xmit() returns NET_XMIT_DROP and packet_snd() turns it into
    /// -ENOBUFS for exactly those frames. No UDP or IP MIB sees these frames, unlike a UDP flood, which the kernel
    /// counts twice (see <see cref="FloodQdiscWithUdp"/>). The destination MAC is nobody's, so the peer's
    /// ip_rcv_core() discards the few frames tbf lets through as PACKET_OTHERHOST without touching a counter.
    /// </summary>
    public static DropWitness FloodQdisc(NetworkNamespace networkNamespace, string interfaceName, int frames = 500)
    {
        int refused = networkNamespace.Run(() => SendFrames(interfaceName, frames, FrameBytes, bypassQdisc: false, s_nobodysMac, NamespaceInterop.ETH_P_IP));
        return refused > 0
            ? new DropWitness("AF_PACKET frames into tbf", new Dictionary<string, long> { ["qdisc"] = refused }) { Detail = $"{refused} of {frames} sends refused with ENOBUFS" }
            : throw new InvalidOperationException("tbf refused no frame.");
    }

    /// <summary>
    /// Sends <paramref name="frames"/> frames of ethertype <see cref="GroundTruthNetwork.IngressDropEtherType"/> from
    /// the peer namespace across the veth. veth_xmit() hands each to the monitored end's receive path, where
    /// sch_handle_ingress() (net/core/dev.c) runs the clsact filter; its TC_ACT_SHOT drops the frame and counts it in
    /// the clsact qdisc's drops, before any protocol handler or rx_dropped could see it. The peer end has a noqueue
    /// root, so every send reaches veth_xmit() and the sender learns nothing of the drop; the ingress runs later, in
    /// the receiving CPU's softirq, so the oracle waits for the kernel's count.
    /// </summary>
    public static DropWitness DropAtIngress(GroundTruthNetwork network, int frames = 200)
    {
        int refused = network.Peer.Run(() => SendFrames(
            GroundTruthNetwork.PeerInterface, frames, FrameBytes, bypassQdisc: false, s_broadcastMac, GroundTruthNetwork.IngressDropEtherType));
        return refused == 0
            ? new DropWitness("frames shot by the clsact ingress filter", new Dictionary<string, long> { ["qdisc"] = frames })
            : throw new InvalidOperationException($"The peer's noqueue root refused {refused} frames; the ingress count is unknown.");
    }

    /// <summary>An Ethernet frame above a 1500-byte MTU (and below the senders' 9000).</summary>
    public const int OversizedFrameBytes = 2000;

    /// <summary>
    /// Sends <paramref name="frames"/> <see cref="OversizedFrameBytes"/>-byte frames from <paramref name="interfaceName"/>
    /// in <paramref name="from"/> to the veth end across, whose 1500-byte MTU refuses each (see
    /// <see cref="SendOversizedFramesIntoVeth"/> for the kernel path).
    /// </summary>
    /// <returns>How many sends the kernel refused with ENOBUFS: the receiver's rx_dropped increments.</returns>
    public static int SendOversizedFrames(NetworkNamespace from, string interfaceName, int frames) =>
        from.Run(() => SendFrames(interfaceName, frames, OversizedFrameBytes, bypassQdisc: false, s_nobodysMac, NamespaceInterop.ETH_P_IP));

    /// <summary>
    /// Sends <paramref name="frames"/> frames from <paramref name="interfaceName"/> in <paramref name="from"/> with
    /// PACKET_QDISC_BYPASS: with the interface's carrier off (its veth peer down) __dev_direct_xmit() drops each with
    /// dev_core_stats_tx_dropped_inc() on the sender (see <see cref="TransmitWithPeerDown"/>).
    /// </summary>
    /// <returns>How many sends the kernel refused with ENOBUFS.</returns>
    public static int SendFramesBypassingQdisc(NetworkNamespace from, string interfaceName, int frames) =>
        from.Run(() => SendFrames(interfaceName, frames, FrameBytes, bypassQdisc: true, s_nobodysMac, NamespaceInterop.ETH_P_IP));

    /// <summary>
    /// Sends <paramref name="frames"/> frames larger than the monitored end's MTU from the peer end (MTU
    /// <see cref="GroundTruthNetwork.PeerMtu"/>). veth_xmit() (drivers/net/veth.c) → veth_forward_skb() →
    /// __dev_forward_skb() → __dev_forward_skb2() (net/core/dev.c), where is_skb_forwardable() refuses a frame longer
    /// than the receiver's mtu + hard_header_len + VLAN_HLEN (1518 bytes): dev_core_stats_rx_dropped_inc(rcv) counts
    /// it on the receiver, gt-a, whose rtnl_link_stats64.rx_dropped dev_get_stats() reports. veth_xmit() then counts
    /// the sender's tx_dropped (in the peer namespace, not monitored) and returns NET_XMIT_DROP, which packet_snd()
    /// turns into -ENOBUFS: the sender is told of every refused frame, synchronously.
    /// </summary>
    public static DropWitness SendOversizedFramesIntoVeth(GroundTruthNetwork network, int frames = 50)
    {
        int refused = SendOversizedFrames(network.Peer, GroundTruthNetwork.PeerInterface, frames);
        return refused == frames
            ? new DropWitness($"{OversizedFrameBytes}-byte frames into a 1500-MTU veth end", new Dictionary<string, long> { ["nic_rx"] = refused })
            : throw new InvalidOperationException($"Only {refused} of {frames} oversized frames were refused; the rest were forwarded.");
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
    public static DropWitness TransmitWithPeerDown(GroundTruthNetwork network, int frames = 100)
    {
        int refused;
        network.SetPeerLink(up: false);
        try
        {
            refused = network.Monitored.Run(() => SendFrames(
                GroundTruthNetwork.MonitoredInterface, frames, FrameBytes, bypassQdisc: true, s_nobodysMac, NamespaceInterop.ETH_P_IP));
        }
        finally
        {
            network.SetPeerLink(up: true);
        }

        return refused == frames
            ? new DropWitness("bypass sends with the veth peer down", new Dictionary<string, long> { ["nic_tx"] = refused })
            : throw new InvalidOperationException($"Only {refused} of {frames} sends were refused with the peer down.");
    }

    /// <summary>
    /// Makes <paramref name="connections"/> ordinary, accepted TCP connections while the namespace's
    /// net.ipv4.tcp_syncookies is 2 ("always"). tcp_conn_request() then calls tcp_syn_flood_action(), which counts
    /// TCPReqQFullDoCookies for every SYN although no queue is full and nothing is dropped: a pure pressure signal.
    /// Each connect() returns only once its cookie SYN-ACK was answered, so the count is known when this returns.
    /// The sysctl is the namespace's own and is restored afterwards.
    /// </summary>
    public static DropWitness SendSynCookies(NetworkNamespace networkNamespace, int connections = 5)
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

        return new DropWitness("connections with syncookies 2", new Dictionary<string, long> { ["syn_cookies"] = connections });
    }

    /// <summary>
    /// Sends <paramref name="datagrams"/> UDP datagrams to the veth peer through gt-a's tbf from a socket with
    /// IP_RECVERR set, and counts the sends that fail with ENOBUFS. The qdisc drop makes dev_queue_xmit() return
    /// NET_XMIT_DROP; ip_send_skb() (net/ipv4/ip_output.c) turns it into -ENOBUFS. Without IP_RECVERR,
    /// udp_send_skb() (net/ipv4/udp.c) would count UDP_MIB_SNDBUFERRORS and hide the error; with it the error reaches
    /// udp_sendmsg()'s exit, which counts <c>err == -ENOBUFS || test_bit(SOCK_NOSPACE, ...)</c> as SndbufErrors once
    /// and returns it to the caller. So each ENOBUFS the sender sees is one udp_sndbuf and, the kernel's own double
    /// count, one qdisc drop. A peer socket bound to the port keeps the peer from answering with ICMP port
    /// unreachable, which IP_RECVERR would turn into a later send's error.
    /// </summary>
    public static DropWitness FloodQdiscWithUdp(GroundTruthNetwork network, int datagrams = 300)
    {
        using Socket sink = network.Peer.Run(() =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Parse(GroundTruthNetwork.PeerAddress), 0));
            return socket;
        });
        int refused = RecvErrUdpFlood.Send(network.Monitored, (IPEndPoint)sink.LocalEndPoint!, datagrams, payloadBytes: 900);

        return refused > 0
            ? new DropWitness(
                "UDP with IP_RECVERR into tbf",
                new Dictionary<string, long> { ["udp_sndbuf"] = refused, ["qdisc"] = refused })
            {
                Detail = $"{refused} of {datagrams} sends failed with ENOBUFS",
                RawCounts = new Dictionary<string, long> { ["Udp:SndbufErrors"] = refused },
            }
            : throw new InvalidOperationException("tbf dropped no datagram.");
    }

    private static Socket Listen(int backlog)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Parse(GroundTruthNetwork.TcpPathMonitoredAddress), 0));
        listener.Listen(backlog);
        return listener;
    }

    private static RawTcpSegment Syn(IPAddress source, ushort sourcePort, IPEndPoint listener) =>
        new(source, listener.Address, sourcePort, (ushort)listener.Port, 1_000_000, 0, RawTcpSegment.Syn, ushort.MaxValue, 0);

    /// <summary>
    /// Source ports for the raw peer, never reused within a run: a SYN matching a request still in the kernel's
    /// table from an earlier listener would be a retransmission to it, not a new SYN.
    /// </summary>
    private static ushort NextSourcePort(int count)
    {
        int first = Interlocked.Add(ref s_nextSourcePort, count) - count;
        return first + count <= ushort.MaxValue
            ? (ushort)first
            : throw new InvalidOperationException("The raw peer ran out of source ports for this run.");
    }

    /// <summary>
    /// Pins the calling (dedicated, short-lived) thread to the CPU it runs on. A veth delivers into the backlog of the
    /// sending CPU (netif_rx → enqueue_to_backlog(skb, smp_processor_id())), which is processed in order; on one CPU,
    /// the raw peer's barrier SYN is processed after every segment it sent before.
    /// </summary>
    private static unsafe void PinToCurrentCpu()
    {
        int cpu = RawPeerInterop.sched_getcpu();
        ulong* mask = stackalloc ulong[16]; // cpu_set_t: 1024 bits
        for (int i = 0; i < 16; i++)
        {
            mask[i] = 0;
        }

        mask[cpu / 64] = 1UL << (cpu % 64);
        if (cpu < 0 || RawPeerInterop.sched_setaffinity(0, 16 * sizeof(ulong), mask) != 0)
        {
            throw new InvalidOperationException($"Pinning the raw peer's thread to CPU {cpu} failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>Socket drops (SO_MEMINFO[SK_MEMINFO_DROPS], include/uapi/linux/sock_diag.h): sk_drops.</summary>
    private static int SocketDrops(Socket socket)
    {
        const int SolSocket = 1; // SOL_SOCKET on Linux (raw: .NET's SocketOptionLevel.Socket is Windows' 0xffff)
        const int SoMemInfo = 55; // SO_MEMINFO, include/uapi/asm-generic/socket.h
        const int DropsIndex = 8; // SK_MEMINFO_DROPS
        Span<byte> memInfo = stackalloc byte[9 * sizeof(uint)];
        int length = socket.GetRawSocketOption(SolSocket, SoMemInfo, memInfo);
        return length >= memInfo.Length
            ? (int)BinaryPrimitives.ReadUInt32LittleEndian(memInfo[(DropsIndex * sizeof(uint))..])
            : throw new InvalidOperationException($"SO_MEMINFO returned {length} bytes.");
    }

    private static void WaitUntil(Func<bool> condition, string what) => Poll.Until(condition, s_loopTimeLimit, what, everyMilliseconds: 1);

    /// <summary>Runs on a thread inside the namespace; returns the number of sends refused with ENOBUFS.</summary>
    internal static unsafe int SendFrames(string interfaceName, int frames, int frameBytes, bool bypassQdisc, byte[] destination, ushort etherType)
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
        byte[] frame = new byte[frameBytes];
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
