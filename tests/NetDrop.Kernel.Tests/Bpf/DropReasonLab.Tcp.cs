using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace NetDrop.Kernel.Tests.Bpf;

/// <summary>The TCP accept-queue inducer.</summary>
internal static partial class DropReasonLab
{
    private const int IPPROTO_TCP = 6;
    private const int TCP_DEFER_ACCEPT = 9; // include/uapi/linux/tcp.h
    private const int TCP_INFO = 11;

    /// <summary>
    /// Overflows a never-accepted listener's accept queue on 127.0.0.1 inside <paramref name="ns"/>, in two phases,
    /// and returns the deltas of TcpExt ListenOverflows and of <paramref name="reasonCount"/> (the namespace's
    /// TCP_LISTEN_OVERFLOW) for each.
    /// <para>
    /// Setup: tcp_syncookies 0 (every SYN gets a request sock, no cookie), TCP_DEFER_ACCEPT 30 s and backlog 8. One
    /// client connects and sends a byte: its child fills one place. <paramref name="clients"/> more connect and send
    /// nothing: with TCP_DEFER_ACCEPT, tcp_check_req() (net/ipv4/tcp_minisocks.c) drops their bare ACK
    /// (TCPDeferAcceptDrop) and keeps the request sock acked, so no child exists yet. Then listen(0) sets
    /// sk_max_ack_backlog to 0 on the listening socket: sk_acceptq_is_full() (<c>sk_ack_backlog &gt;
    /// sk_max_ack_backlog</c>) now holds with one child queued.
    /// </para>
    /// <para>
    /// Phase 1, on a listener of its own (backlog 0, one child queued, no request sock waiting), a SYN to the full
    /// queue: tcp_conn_request() (net/ipv4/tcp_input.c) counts ListenOverflows and gives the SYN up. Phase 2, each deferred client sends one byte: the data completes the handshake in tcp_check_req(),
    /// syn_recv_sock (tcp_v4_syn_recv_sock(), net/ipv4/tcp_ipv4.c) finds the queue full, counts ListenOverflows (and
    /// ListenDrops) and returns NULL, and tcp_check_req() takes its <c>listen_overflow</c> exit, the segment being
    /// freed by tcp_v4_rcv() with SKB_DROP_REASON_TCP_LISTEN_OVERFLOW. The request stays (tcp_abort_on_overflow 0), so
    /// each client is then aborted (RST) before its retransmission timer (200 ms at least) can send the byte again; a
    /// retransmission a stalled machine lets through would be a second drop counted by both, never by one only.
    /// </para>
    /// The thread is pinned to one CPU: on loopback every segment goes through that CPU's backlog in order, so a
    /// client's byte is handled before its RST.
    /// </summary>
    public static ListenOverflowWitness OverflowAcceptQueue(NetworkNamespace ns, int clients, Func<ulong> reasonCount)
    {
        ns.WriteSysctl("net/ipv4/tcp_syncookies", "0");
        return ns.Run(() =>
        {
            PinToCurrentCpu();
            (ulong synOverflows, ulong synReasons) = SynToFullAcceptQueue(reasonCount);
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.SetRawSocketOption(IPPROTO_TCP, TCP_DEFER_ACCEPT, BitConverter.GetBytes(30));
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(8);
            var endpoint = (IPEndPoint)listener.LocalEndPoint!;
            var sockets = new List<Socket>();
            try
            {
                Socket first = Connect(endpoint, sockets);
                first.Send([1]);
                WaitUntil(() => AcceptQueue(listener) == 1, "the first client's child in the accept queue");

                var deferred = new List<Socket>();
                for (int i = 0; i < clients; i++)
                {
                    deferred.Add(Connect(endpoint, sockets));
                }

                Assert.Equal(1u, AcceptQueue(listener)); // the deferred handshakes made no child
                listener.Listen(0);

                // Phase 2: the deferred handshakes complete into the full queue.
                ulong overflows = ListenOverflows();
                ulong reasons = reasonCount();
                foreach (Socket client in deferred)
                {
                    client.Send([1]);
                }

                WaitUntil(() => ListenOverflows() - overflows >= (ulong)clients, "ListenOverflows to count every client's byte");
                foreach (Socket client in deferred)
                {
                    Abort(client);
                }

                listener.Close();
                // Nothing can overflow any more; the reason is counted in the same softirq as the counter, so the two agree
                // as soon as the last drop has been freed.
                WaitUntil(() => reasonCount() - reasons == ListenOverflows() - overflows, "TCP_LISTEN_OVERFLOW to catch up with ListenOverflows");
                return new ListenOverflowWitness(synOverflows, synReasons, clients, ListenOverflows() - overflows, reasonCount() - reasons);
            }
            finally
            {
                foreach (Socket socket in sockets)
                {
                    socket.Dispose();
                }
            }
        });
    }

    /// <summary>
    /// Phase 1 on a listener of its own, backlog 0, whose one queued child makes the queue full: one SYN, aborted as soon
    /// as the listener has counted it (before its 1 s retransmission).
    /// </summary>
    private static (ulong Overflows, ulong Reasons) SynToFullAcceptQueue(Func<ulong> reasonCount)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        using var queued = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        queued.Connect(endpoint);
        WaitUntil(() => AcceptQueue(listener) == 1, "the child in the accept queue");
        ulong overflows = ListenOverflows();
        ulong reasons = reasonCount();
        using var late = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
        try
        {
            late.Connect(endpoint);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
        }

        WaitUntil(() => ListenOverflows() > overflows, "ListenOverflows to count the SYN");
        Abort(late);
        return (ListenOverflows() - overflows, reasonCount() - reasons);
    }

    private static Socket Connect(IPEndPoint endpoint, List<Socket> sockets)
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        sockets.Add(client);
        client.Connect(endpoint);
        return client;
    }

    /// <summary>Closes with SO_LINGER 0: an RST now, no FIN and no retransmission of what is unacknowledged.</summary>
    private static void Abort(Socket socket)
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    private static ulong ListenOverflows() => TestSupport.ProcNetOracle.MibValue("/proc/thread-self/net/netstat", "TcpExt", "ListenOverflows");

    /// <summary>A listener's sk_ack_backlog: tcp_get_info() reports it as tcpi_unacked for TCP_LISTEN (offset 24 of struct tcp_info).</summary>
    private static uint AcceptQueue(Socket listener)
    {
        Span<byte> info = stackalloc byte[104];
        int length = listener.GetRawSocketOption(IPPROTO_TCP, TCP_INFO, info);
        return length >= 28
            ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(info[24..])
            : throw new InvalidOperationException($"TCP_INFO returned {length} bytes.");
    }

    private static void WaitUntil(Func<bool> condition, string what) => Poll.Until(condition, s_loopTimeLimit, what, everyMilliseconds: 1);

    private static void PinToCurrentCpu()
    {
        int cpu = sched_getcpu();
        ulong mask = 1UL << cpu;
        if (cpu < 0 || cpu >= 64 || sched_setaffinity(0, sizeof(ulong), ref mask) != 0)
        {
            throw new InvalidOperationException($"Pinning to CPU {cpu} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_getcpu();
}
