using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace NetDrop.Kernel.Tests.Bpf;

/// <summary>
/// Induces drops with known reasons inside a network namespace the test created, and returns what the test itself
/// witnessed. Every loop is bounded in count; traffic goes only to the namespace's own loopback.
/// </summary>
internal static partial class DropReasonLab
{
    /// <summary>
    /// Sends <paramref name="datagrams"/> UDP datagrams to 127.0.0.1:<paramref name="closedPort"/>, where nothing
    /// listens, from an unconnected socket inside <paramref name="ns"/>; returns how many sendto calls succeeded.
    /// Each one reaches <c>__udp4_lib_rcv</c>, finds no socket and is freed with <c>SKB_DROP_REASON_NO_SOCKET</c>
    /// (net/ipv4/udp.c: <c>drop_reason = SKB_DROP_REASON_NO_SOCKET</c> before <c>icmp_send(..., ICMP_PORT_UNREACH)</c>).
    /// Unconnected, so the ICMP errors never turn a later send into ECONNREFUSED.
    /// </summary>
    /// <param name="onCpu">Pins the sending thread to this CPU first, -1 for none: loopback delivers in the sender's
    /// softirq (netif_rx queues to this CPU's backlog), so the drops happen on that CPU.</param>
    public static int SendToClosedPort(NetworkNamespace ns, int datagrams, int closedPort = 9, int onCpu = -1)
    {
        return ns.Run(() =>
        {
            if (onCpu >= 0)
            {
                ulong mask = 1UL << onCpu;
                if (sched_setaffinity(0, sizeof(ulong), ref mask) != 0)
                {
                    throw new InvalidOperationException($"sched_setaffinity(CPU {onCpu}) failed: errno {Marshal.GetLastPInvokeError()}");
                }
            }

            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            var target = new IPEndPoint(IPAddress.Loopback, closedPort);
            byte[] payload = new byte[16];
            int sent = 0;
            for (int i = 0; i < datagrams; i++)
            {
                if (socket.SendTo(payload, target) == payload.Length)
                {
                    sent++;
                }
            }

            return sent;
        });
    }

    /// <summary>
    /// Fills a UDP socket that is never read (smallest SO_RCVBUF) with <paramref name="datagrams"/> datagrams inside
    /// <paramref name="ns"/>, then drains it; returns (sent, received): every datagram sent and not received was
    /// refused by <c>__udp_enqueue_schedule_skb</c> and freed with <c>SKB_DROP_REASON_SOCKET_RCVBUFF</c>
    /// (net/ipv4/udp.c <c>udp_queue_rcv_one_skb</c>: <c>-ENOMEM</c> → <c>SOCKET_RCVBUFF</c>).
    /// </summary>
    public static (int Sent, int Received) OverflowReceiveBuffer(NetworkNamespace ns, int datagrams)
    {
        return ns.Run(() =>
        {
            using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            receiver.ReceiveBufferSize = 1; // the kernel rounds up to SOCK_MIN_RCVBUF: a few datagrams fit
            receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            sender.Connect(receiver.LocalEndPoint!);
            byte[] payload = new byte[512];
            int sent = 0;
            for (int i = 0; i < datagrams; i++)
            {
                if (sender.Send(payload) == payload.Length)
                {
                    sent++;
                }
            }

            // Loopback delivery is synchronous in the sender's softirq, so all are queued or dropped by now.
            int received = 0;
            byte[] buffer = new byte[2048];
            while (received <= datagrams && receiver.Available > 0)
            {
                receiver.Receive(buffer);
                received++;
            }

            return (sent, received);
        });
    }

    /// <summary>
    /// The inode the kernel gives the namespace (struct ns_common.inum), as stat(1) shows for its bind mount under
    /// /run/netns: the key half the program stores next to the reason.
    /// </summary>
    public static uint NamespaceInode(NetworkNamespace ns) =>
        uint.Parse(ToolRunner.Run("stat", "-Lc", "%i", "/run/netns/" + ns.Name).Trim(), CultureInfo.InvariantCulture);

    /// <summary>The inode of the test process's own network namespace (<c>/proc/self/ns/net</c>, <c>net:[N]</c>).</summary>
    public static uint OwnNamespaceInode()
    {
        string link = new FileInfo("/proc/self/ns/net").LinkTarget ?? throw new InvalidOperationException("/proc/self/ns/net is no link");
        return uint.Parse(link.AsSpan(5, link.Length - 6), NumberStyles.None, CultureInfo.InvariantCulture);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_setaffinity(int pid, nuint cpusetsize, ref ulong mask);

    /// <summary>
    /// Floods UDP out of a dummy device behind a slow tbf inside <paramref name="ns"/> (set up by the caller) with
    /// IP_RECVERR on, so every datagram the qdisc drops comes back to sendto as ENOBUFS (net/ipv4/udp.c
    /// <c>udp_send_skb</c> hides it without IP_RECVERR); returns (sent, refusedWithEnobufs).
    /// </summary>
    public static (int Sent, int Enobufs) FloodThroughQdisc(NetworkNamespace ns, IPAddress target, int datagrams)
    {
        return ns.Run(() =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            const int IPPROTO_IP = 0;
            const int IP_RECVERR = 11;
            socket.SetRawSocketOption(IPPROTO_IP, IP_RECVERR, BitConverter.GetBytes(1));
            var endpoint = new IPEndPoint(target, 9);
            byte[] payload = new byte[200];
            int sent = 0;
            int enobufs = 0;
            for (int i = 0; i < datagrams; i++)
            {
                try
                {
                    socket.SendTo(payload, endpoint);
                    sent++;
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.NoBufferSpaceAvailable)
                {
                    enobufs++;
                }
            }

            return (sent, enobufs);
        });
    }
}
