using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// Bounded generators of known socket-layer drops inside a <see cref="PodLabPod"/>'s namespace (through
/// <see cref="PodLabPod.Run{T}"/>), each returning what the inducer saw for itself. Traffic stays on the pod's loopback;
/// a send without a route leaves nothing on any wire. Every loop is bounded in count and time.
/// </summary>
internal static class PodDropInducers
{
    /// <summary>A TEST-NET-2 address (RFC 5737): a pod with only its veth subnet and loopback has no route to it.</summary>
    public const string NoRouteDestination = "198.51.100.7";

    private const int IpProtoTcp = 6; // IPPROTO_TCP
    private const int TcpInfoOption = 11; // TCP_INFO, include/uapi/linux/tcp.h
    private const int TcpSynCount = 7; // TCP_SYNCNT, include/uapi/linux/tcp.h
    private const int TcpInfoStateOffset = 0; // __u8 tcpi_state
    private const int TcpInfoTotalRetransOffset = 100; // __u32 tcpi_total_retrans (struct tcp_info)
    private const byte TcpClose = 7; // TCP_CLOSE, include/net/tcp_states.h

    private static readonly TimeSpan s_loopTimeLimit = TimeSpan.FromSeconds(30);
    private static readonly byte[] s_payload = new byte[32];

    /// <summary>
    /// <see cref="DropInducers.FloodUnreadUdpSocket"/> on the pod's 127.0.0.1 and ::1 (the pod needs <c>lo</c> up with
    /// IPv6 on it): each datagram the tiny unread socket refused is one Udp RcvbufErrors or Udp6RcvbufErrors of the
    /// pod's namespace (__udp_queue_rcv_skb(), net/ipv4/udp.c; __udpv6_queue_rcv_skb(), net/ipv6/udp.c).
    /// </summary>
    public static DropWitness FloodUnreadUdpSockets(PodLabPod pod, int datagramsPerFamily)
    {
        UdpFloodResult flood = pod.Run(() => new UdpFloodResult(
            DropInducers.FloodUnreadUdpSocket(IPAddress.Loopback, datagramsPerFamily),
            DropInducers.FloodUnreadUdpSocket(IPAddress.IPv6Loopback, datagramsPerFamily)));
        if (flood.IPv4.Refused == 0 || flood.IPv6.Refused == 0)
        {
            throw new InvalidOperationException($"A family refused nothing, so it would prove nothing: {flood}");
        }

        return new DropWitness("unread UDP sockets in the pod (127.0.0.1, ::1)", new Dictionary<string, long> { ["udp_rcvbuf"] = flood.Refused })
        {
            Detail = $"IPv4 refused {flood.IPv4.Refused} of {flood.IPv4.Sent}, IPv6 refused {flood.IPv6.Refused} of {flood.IPv6.Sent}",
        };
    }

    /// <summary>
    /// Sends <paramref name="datagrams"/> UDP datagrams from the pod to <see cref="NoRouteDestination"/>. udp_sendmsg()
    /// (net/ipv4/udp.c) gets -ENETUNREACH from ip_route_output_flow() and counts Ip OutNoRoutes before returning the
    /// error: each sendto() refused with ENETUNREACH is one count.
    /// </summary>
    public static DropWitness SendWithoutRoute(PodLabPod pod, int datagrams)
    {
        int refused = pod.Run(() =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            var target = new IPEndPoint(IPAddress.Parse(NoRouteDestination), 9);
            int unreachable = 0;
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < datagrams; i++)
            {
                ThrowIfOverTime(clock, "no-route send loop");
                try
                {
                    socket.SendTo(s_payload, target);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.NetworkUnreachable)
                {
                    unreachable++;
                }
            }

            return unreachable;
        });
        return refused == datagrams
            ? new DropWitness("UDP sends from the pod with no route", new Dictionary<string, long> { ["ip_no_route"] = refused })
            : throw new InvalidOperationException($"Only {refused} of {datagrams} sends were refused with ENETUNREACH.");
    }

    /// <summary>
    /// Overflows a backlog-1 listener's accept queue in the pod with ordinary kernel clients, as a slow application's
    /// clients would. Two connections fill the queue (sk_acceptq_is_full(), include/net/sock.h, is
    /// <c>sk_ack_backlog &gt; sk_max_ack_backlog</c>); then each SYN of <paramref name="clients"/> more connects is
    /// dropped by tcp_conn_request() (net/ipv4/tcp_input.c) with ListenOverflows (and ListenDrops, through
    /// tcp_listendrop()). The clients retransmit their SYN on the kernel's own timer, so the witness is each client's
    /// own count once it has given up: TCP_SYNCNT 1 bounds the retransmissions (do_tcp_setsockopt(), icsk_syn_retries;
    /// tcp_write_timeout() then ends the connect with ETIMEDOUT after about 3 s), and 1 + tcpi_total_retrans
    /// (tcp_retransmit_skb() adds every SYN it resent) is the SYNs it sent, every one of them to the full queue.
    /// </summary>
    public static DropWitness OverflowAcceptQueue(PodLabPod pod, int clients) => pod.Run(() =>
    {
        var sockets = new List<Socket>();
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            var endpoint = (IPEndPoint)listener.LocalEndPoint!;
            for (int i = 0; i < 2; i++)
            {
                var child = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(child);
                child.Connect(endpoint);
            }

            Poll.Until(() => TcpInfo.Read(listener).Unacked == 2, s_loopTimeLimit, "the accept queue to hold its two connections");
            var refusedClients = new List<Socket>();
            Span<byte> one = stackalloc byte[sizeof(int)];
            BinaryPrimitives.WriteInt32LittleEndian(one, 1);
            for (int i = 0; i < clients; i++)
            {
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(client);
                refusedClients.Add(client);
                client.SetRawSocketOption(IpProtoTcp, TcpSynCount, one);
                client.Blocking = false;
                try
                {
                    client.Connect(endpoint);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
                {
                    // the SYN is sent; the connect completes (here: fails) later
                }
            }

            Poll.Until(() => refusedClients.All(client => TcpInfoByte(client, TcpInfoStateOffset) == TcpClose), s_loopTimeLimit,
                "every client's connect to give up (ETIMEDOUT)", everyMilliseconds: 50);
            long syns = refusedClients.Sum(client => 1L + TcpInfoUInt32(client, TcpInfoTotalRetransOffset));
            return new DropWitness("kernel clients' SYNs to a full accept queue in the pod (backlog 1, 2 queued, TCP_SYNCNT 1)",
                new Dictionary<string, long> { ["accept_queue"] = syns })
            {
                Detail = $"{clients} clients sent {syns} SYNs, none answered",
            };
        }
        finally
        {
            foreach (Socket socket in sockets)
            {
                socket.Dispose();
            }
        }
    });

    private static byte TcpInfoByte(Socket socket, int offset) => TcpInfoBytes(socket)[offset];

    private static uint TcpInfoUInt32(Socket socket, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(TcpInfoBytes(socket).AsSpan(offset));

    private static byte[] TcpInfoBytes(Socket socket)
    {
        byte[] buffer = new byte[256];
        int length = socket.GetRawSocketOption(IpProtoTcp, TcpInfoOption, buffer);
        return length >= TcpInfoTotalRetransOffset + sizeof(uint)
            ? buffer
            : throw new InvalidOperationException($"TCP_INFO returned {length} bytes.");
    }

    private static void ThrowIfOverTime(Stopwatch clock, string loop)
    {
        if (clock.Elapsed > s_loopTimeLimit)
        {
            throw new TimeoutException($"The {loop} ran longer than {s_loopTimeLimit}; the inducer gives up.");
        }
    }
}
