using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using NetDrop.Kernel.SafeHandles;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// A TCP peer with no kernel TCP behind it, living in the ground truth's peer namespace: it sends hand-built segments
/// from a raw IPv4 socket (IPPROTO_RAW, so the header is ours) and reads what the monitored namespace sends back from
/// an AF_PACKET socket on the TCP path's veth. Its source addresses are not the peer's own, so the peer's kernel never
/// answers a SYN-ACK with a RST, and it never retransmits: every SYN and every segment the monitored kernel sees is
/// one this class sent, exactly once, which is what lets the tests count drops themselves.
/// </summary>
internal sealed class RawTcpPeer : IDisposable
{
    private static readonly TimeSpan s_replyTimeout = TimeSpan.FromSeconds(20);

    private readonly Socket _sender;
    private readonly SafeFdHandle _capture;
    private readonly byte[] _buffer = new byte[65536];

    private RawTcpPeer(Socket sender, SafeFdHandle capture)
    {
        _sender = sender;
        _capture = capture;
    }

    /// <summary>Opens both sockets inside <see cref="GroundTruthNetwork.Peer"/>; sockets keep their namespace when used from any thread.</summary>
    public static RawTcpPeer Open(GroundTruthNetwork network) => network.Peer.Run(() =>
    {
        var sender = new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Raw);
        try
        {
            return new RawTcpPeer(sender, OpenCapture(GroundTruthNetwork.TcpPathPeerInterface));
        }
        catch
        {
            sender.Dispose();
            throw;
        }
    });

    public void Send(RawTcpSegment segment) => SendPacket(segment.ToPacket(), segment.Destination);

    /// <summary>Sends a complete IPv4 packet, header included (IPPROTO_RAW implies IP_HDRINCL).</summary>
    public void SendPacket(byte[] packet, IPAddress destination) => _sender.SendTo(packet, new IPEndPoint(destination, 0));

    /// <summary>
    /// Completes a three-way handshake from <paramref name="source"/>:<paramref name="sourcePort"/>: SYN, the
    /// listener's SYN-ACK read off the veth, ACK. Returns the connection's next sequence numbers.
    /// </summary>
    public RawTcpConnection Connect(IPAddress source, ushort sourcePort, IPEndPoint listener)
    {
        const uint InitialSequence = 1_000_000;
        Send(new RawTcpSegment(source, listener.Address, sourcePort, (ushort)listener.Port, InitialSequence, 0, RawTcpSegment.Syn, ushort.MaxValue, 0));
        RawTcpSegment synAck = WaitFor(
            s => s.SourcePort == listener.Port && s.DestinationPort == sourcePort && s.Has(RawTcpSegment.Syn | RawTcpSegment.Ack)
                && s.Acknowledgment == InitialSequence + 1,
            $"the SYN-ACK from {listener} to port {sourcePort}");
        var connection = new RawTcpConnection(source, sourcePort, listener, InitialSequence + 1, synAck.Sequence + 1);
        connection.Observe(synAck);
        Send(connection.Segment(RawTcpSegment.Ack, 0));
        return connection;
    }

    /// <summary>
    /// Sends a SYN to <paramref name="barrierListener"/> and waits for its SYN-ACK; returns every segment captured on
    /// the way. The caller's thread is pinned to one CPU, and a veth delivers into that CPU's backlog in order, so
    /// when the barrier's SYN-ACK is back, the monitored kernel has processed everything this peer sent before it.
    /// </summary>
    public IReadOnlyList<RawTcpSegment> Barrier(IPAddress source, ushort sourcePort, IPEndPoint barrierListener)
    {
        var seen = new List<RawTcpSegment>();
        Send(new RawTcpSegment(source, barrierListener.Address, sourcePort, (ushort)barrierListener.Port, 1, 0, RawTcpSegment.Syn, ushort.MaxValue, 0));
        WaitFor(
            s => s.SourcePort == barrierListener.Port && s.DestinationPort == sourcePort && s.Has(RawTcpSegment.Syn | RawTcpSegment.Ack),
            $"the barrier SYN-ACK from {barrierListener}",
            seen);
        return seen;
    }

    /// <summary>Feeds every segment captured so far (without waiting) to the connection, so it knows the latest window.</summary>
    public unsafe void Drain(RawTcpConnection connection)
    {
        fixed (byte* data = _buffer)
        {
            while (true)
            {
                nint length = RawPeerInterop.recv(_capture, data, (nuint)_buffer.Length, RawPeerInterop.MSG_DONTWAIT);
                if (length < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == RawPeerInterop.EAGAIN)
                    {
                        return;
                    }

                    throw new InvalidOperationException($"recv(AF_PACKET) failed with errno {errno}.");
                }

                if (RawTcpSegment.TryParse(_buffer.AsSpan(0, (int)length)) is { } segment)
                {
                    connection.Observe(segment);
                }
            }
        }
    }

    /// <summary>Reads the captured segments until one matches (earlier ones are discarded); throws after a long wait.</summary>
    public unsafe RawTcpSegment WaitFor(Func<RawTcpSegment, bool> match, string what, List<RawTcpSegment>? seen = null)
    {
        var clock = Stopwatch.StartNew();
        fixed (byte* data = _buffer)
        {
            while (clock.Elapsed < s_replyTimeout)
            {
                nint length = RawPeerInterop.recv(_capture, data, (nuint)_buffer.Length, 0);
                if (length < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == RawPeerInterop.EAGAIN)
                    {
                        continue; // SO_RCVTIMEO expired: look at the clock again
                    }

                    throw new InvalidOperationException($"recv(AF_PACKET) failed with errno {errno}.");
                }

                if (RawTcpSegment.TryParse(_buffer.AsSpan(0, (int)length)) is { } segment)
                {
                    seen?.Add(segment);
                    if (match(segment))
                    {
                        return segment;
                    }
                }
            }
        }

        throw new TimeoutException($"The raw TCP peer never saw {what} within {s_replyTimeout}.");
    }

    public void Dispose()
    {
        _sender.Dispose();
        _capture.Dispose();
    }

    /// <summary>
    /// socket(AF_PACKET, SOCK_DGRAM, ETH_P_IP) bound to the interface: packet_rcv() hands it every IPv4 packet the
    /// interface receives, link header stripped. A 100 ms SO_RCVTIMEO lets <see cref="WaitFor"/> keep its deadline.
    /// </summary>
    private static unsafe SafeFdHandle OpenCapture(string interfaceName)
    {
        uint interfaceIndex = NamespaceInterop.if_nametoindex(interfaceName);
        if (interfaceIndex == 0)
        {
            throw new InvalidOperationException($"if_nametoindex({interfaceName}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        ushort protocol = (ushort)IPAddress.HostToNetworkOrder((short)NamespaceInterop.ETH_P_IP);
        SafeFdHandle socket = NamespaceInterop.socket(NamespaceInterop.AF_PACKET, RawPeerInterop.SOCK_DGRAM | NamespaceInterop.SOCK_CLOEXEC, protocol);
        if (socket.IsInvalid)
        {
            throw new InvalidOperationException($"socket(AF_PACKET, SOCK_DGRAM) failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        var address = new NamespaceInterop.SockaddrLl
        {
            sll_family = NamespaceInterop.AF_PACKET,
            sll_protocol = protocol,
            sll_ifindex = (int)interfaceIndex,
        };
        var timeout = new RawPeerInterop.Timeval { tv_usec = 100_000 };
        if (RawPeerInterop.bind(socket, &address, (uint)sizeof(NamespaceInterop.SockaddrLl)) != 0
            || NamespaceInterop.setsockopt(socket, RawPeerInterop.SOL_SOCKET, RawPeerInterop.SO_RCVTIMEO, &timeout, (uint)sizeof(RawPeerInterop.Timeval)) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            socket.Dispose();
            throw new InvalidOperationException($"binding the AF_PACKET capture to {interfaceName} failed with errno {errno}.");
        }

        return socket;
    }
}
