using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using NetDrop.Kernel.SafeHandles;

namespace NetDrop.Kernel.Netlink;

/// <summary>
/// An <c>AF_NETLINK</c>/<c>NETLINK_ROUTE</c> socket that runs dumps: one request with <c>NLM_F_REQUEST|NLM_F_DUMP</c>,
/// then datagrams of <c>NLM_F_MULTI</c> messages until <c>NLMSG_DONE</c> (net/netlink/af_netlink.c,
/// <c>netlink_dump</c>). The replies are kept back to back, raw, in one buffer the socket owns and reuses, so parsers
/// and fixture captures see the same bytes.
/// <code>
/// [nlmsghdr RTM_NEWLINK seq=7 NLM_F_MULTI][ifinfomsg][attrs] [nlmsghdr RTM_NEWLINK ...] ...
/// [nlmsghdr NLMSG_DONE seq=7][int 0]
/// </code>
/// </summary>
/// <remarks>
/// NOTE: a netlink socket belongs to the network namespace of the thread that created it, for its whole life; to
/// read another namespace, create the socket on a thread that has <c>setns(2)</c> into it. Not thread-safe: one dump
/// at a time.
/// </remarks>
internal sealed class NetlinkSocket : IDisposable
{
    /// <summary>How long one <c>recv</c> may wait before the dump fails with EAGAIN. The default value is 5 seconds.</summary>
    public static readonly TimeSpan DefaultReceiveTimeout = TimeSpan.FromSeconds(5);

    // A changed interface list (NLM_F_DUMP_INTR) or an overrun (ENOBUFS) restarts the dump; a host whose links churn
    // faster than five dumps in a row is reported, not retried forever.
    private const int MaxDumpAttempts = 5;

    // PERF: the kernel sizes dump datagrams from the largest recv buffer it has seen (capped near 32 KiB,
    // netlink_recvmsg/netlink_dump); offering that much free space lets one datagram carry as many objects as possible.
    private const int MinimumFreeSpace = 32 * 1024;

    // Datagrams read while draining a dump abandoned by an error or timeout, before the socket is usable again.
    private const int MaxDrainDatagrams = 100_000;

    private readonly SafeFdHandle _fd;
    private byte[] _buffer = new byte[2 * MinimumFreeSpace];
    private uint _sequence;
    private bool _mustDrain;

    /// <summary>Opens and binds the socket in the calling thread's network namespace.</summary>
    /// <exception cref="KernelSourceException">The socket could not be created, bound or configured.</exception>
    public NetlinkSocket()
        : this(DefaultReceiveTimeout)
    {
    }

    /// <inheritdoc cref="NetlinkSocket()"/>
    public unsafe NetlinkSocket(TimeSpan receiveTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(receiveTimeout, TimeSpan.Zero);

        _fd = Interop.Libc.socket(
            Interop.Libc.AF_NETLINK,
            Interop.Libc.SOCK_RAW | Interop.Libc.SOCK_CLOEXEC,
            Interop.Netlink.NETLINK_ROUTE);
        if (_fd.IsInvalid)
        {
            int errno = Marshal.GetLastPInvokeError();
            _fd.Dispose();
            throw new KernelSourceException("socket(AF_NETLINK, NETLINK_ROUTE)", errno);
        }

        try
        {
            // nl_pid 0: the kernel assigns this socket a unique port id.
            var address = new Interop.SockaddrNl { nl_family = Interop.Libc.AF_NETLINK };
            if (Interop.Libc.bind(_fd, &address, Interop.SockaddrNl.Size) != 0)
            {
                throw new KernelSourceException("bind(AF_NETLINK)", Marshal.GetLastPInvokeError());
            }

            // NOTE: without a receive timeout a lost reply would block the sampling thread forever.
            long microseconds = (long)(receiveTimeout.Ticks / TimeSpan.TicksPerMicrosecond);
            var timeout = new Interop.Timeval
            {
                tv_sec = microseconds / 1_000_000,
                tv_usec = microseconds % 1_000_000,
            };
            if (Interop.Libc.setsockopt(
                    _fd, Interop.Libc.SOL_SOCKET, Interop.Libc.SO_RCVTIMEO, &timeout, (uint)sizeof(Interop.Timeval)) != 0)
            {
                throw new KernelSourceException("setsockopt(SO_RCVTIMEO)", Marshal.GetLastPInvokeError());
            }
        }
        catch
        {
            _fd.Dispose();
            throw;
        }
    }

    /// <summary>
    /// How many dumps were started again because the kernel flagged the previous attempt inconsistent
    /// (<c>NLM_F_DUMP_INTR</c>: the object list changed between datagrams) or dropped replies (ENOBUFS).
    /// </summary>
    public long Restarts { get; private set; }

    /// <summary>
    /// Runs one dump and returns the raw replies, every datagram back to back (each padded to <c>NLMSG_ALIGN</c>),
    /// ending with the <c>NLMSG_DONE</c> message. The span is valid until the next dump on this socket.
    /// </summary>
    /// <param name="type">The request type, e.g. <c>RTM_GETLINK</c>.</param>
    /// <param name="body">What follows the <c>nlmsghdr</c>: the family header (<c>ifinfomsg</c>, <c>tcmsg</c>) and any attributes.</param>
    /// <param name="operation">Names the dump in exceptions, e.g. "RTM_GETLINK dump".</param>
    /// <exception cref="KernelSourceException">
    /// The kernel answered with an error (its errno), a recv timed out (EAGAIN), the dump kept being interrupted
    /// (EINTR) or overrun (ENOBUFS), or the reply was malformed (errno 0).
    /// </exception>
    public ReadOnlySpan<byte> Dump(ushort type, scoped ReadOnlySpan<byte> body, string operation)
    {
        ObjectDisposedException.ThrowIf(_fd.IsClosed, this);

        if (_mustDrain)
        {
            Drain();
        }

        for (int attempt = 1; ; attempt++)
        {
            uint sequence = NextSequence();
            Send(type, sequence, body, operation);

            DumpOutcome outcome = Receive(sequence, operation, out int length);
            if (outcome == DumpOutcome.Complete)
            {
                return _buffer.AsSpan(0, length);
            }

            if (outcome == DumpOutcome.Overrun)
            {
                // Replies were lost; the rest of this dump may still be queued behind the error.
                Drain();
            }

            if (attempt == MaxDumpAttempts)
            {
                int errno = outcome == DumpOutcome.Overrun ? Interop.Errno.ENOBUFS : Interop.Errno.EINTR;
                throw new KernelSourceException($"{operation} ({MaxDumpAttempts} attempts)", errno);
            }

            Restarts++;
        }
    }

    public void Dispose() => _fd.Dispose();

    private uint NextSequence()
    {
        // Sequence 0 is what an unsolicited kernel message carries; never use it for a request.
        _sequence++;
        if (_sequence == 0)
        {
            _sequence = 1;
        }

        return _sequence;
    }

    private unsafe void Send(ushort type, uint sequence, ReadOnlySpan<byte> body, string operation)
    {
        int length = Interop.Netlink.NLMSG_HDRLEN + body.Length;
        Span<byte> request = stackalloc byte[Interop.Netlink.NLMSG_ALIGN(length)];
        request.Clear();
        var header = new Interop.NlMsgHdr
        {
            nlmsg_len = (uint)length,
            nlmsg_type = type,
            nlmsg_flags = Interop.Netlink.NLM_F_REQUEST | Interop.Netlink.NLM_F_DUMP,
            nlmsg_seq = sequence,
        };
        MemoryMarshal.Write(request, in header);
        body.CopyTo(request[Interop.Netlink.NLMSG_HDRLEN..]);

        fixed (byte* pointer = request)
        {
            while (true)
            {
                // No address: an unconnected netlink socket sends to the kernel (port id 0).
                nint sent = Interop.Libc.send(_fd, pointer, (nuint)length, 0);
                if (sent >= 0)
                {
                    return;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno != Interop.Errno.EINTR)
                {
                    throw new KernelSourceException(operation + " send", errno);
                }
            }
        }
    }

    /// <summary>Reads the datagrams of dump <paramref name="sequence"/> into the buffer until NLMSG_DONE.</summary>
    private DumpOutcome Receive(uint sequence, string operation, out int length)
    {
        length = 0;
        bool interrupted = false;
        while (true)
        {
            // PERF: peeking the size first costs a syscall but lets a datagram of any size land directly after the
            // previous one, so the dump is never copied.
            int size = ReceiveDatagram(0, 0, Interop.Libc.MSG_PEEK | Interop.Libc.MSG_TRUNC, operation);
            if (size < 0)
            {
                return DumpOutcome.Overrun;
            }

            EnsureCapacity(length + Math.Max(size, MinimumFreeSpace));
            int received = ReceiveDatagram(length, _buffer.Length - length, Interop.Libc.MSG_TRUNC, operation);
            if (received < 0)
            {
                return DumpOutcome.Overrun;
            }

            if (received > _buffer.Length - length)
            {
                // Larger than what was peeked a moment ago: nothing else reads this socket, so this cannot be ours.
                ThrowMalformed(operation, "a datagram grew between peek and receive");
            }

            ReadOnlySpan<byte> datagram = _buffer.AsSpan(length, received);
            var reader = new NetlinkReader(datagram);
            bool first = true;
            bool done = false;
            while (reader.TryReadMessage(out Interop.NlMsgHdr header, out ReadOnlySpan<byte> payload))
            {
                if (first && header.nlmsg_seq != sequence)
                {
                    // A late datagram of an abandoned dump: every message in it carries the old sequence.
                    break;
                }

                first = false;
                interrupted |= (header.nlmsg_flags & Interop.Netlink.NLM_F_DUMP_INTR) != 0;
                switch (header.nlmsg_type)
                {
                    case Interop.Netlink.NLMSG_DONE:
                        // A dump callback that fails after the first datagram reports its error here (negative errno).
                        if (NetlinkReader.TryRead(payload, out int status) && status < 0)
                        {
                            throw new KernelSourceException(operation, -status);
                        }

                        done = true;
                        break;

                    case Interop.Netlink.NLMSG_ERROR:
                        if (!NetlinkReader.TryRead(payload, out int error))
                        {
                            ThrowMalformed(operation, "a truncated NLMSG_ERROR");
                        }

                        if (error != 0)
                        {
                            throw new KernelSourceException(operation, -error);
                        }

                        done = true; // an acknowledgement: nothing follows
                        break;

                    case Interop.Netlink.NLMSG_OVERRUN:
                        return DumpOutcome.Overrun;
                }
            }

            if (reader.IsMalformed)
            {
                ThrowMalformed(operation, "a message length outside its datagram");
            }

            if (first)
            {
                continue; // stale or empty datagram: not kept
            }

            int end = Interop.Netlink.NLMSG_ALIGN(length + received);
            _buffer.AsSpan(length + received, end - length - received).Clear();
            length = end;
            if (done)
            {
                return interrupted ? DumpOutcome.Interrupted : DumpOutcome.Complete;
            }
        }
    }

    /// <summary>
    /// One <c>recv</c> into the buffer at <paramref name="offset"/>; returns the datagram's full length, or -1 when the
    /// socket reported ENOBUFS (replies were dropped). EINTR is retried; anything else throws.
    /// </summary>
    private unsafe int ReceiveDatagram(int offset, int count, int flags, string operation)
    {
        while (true)
        {
            nint n;
            fixed (byte* buffer = _buffer)
            {
                n = Interop.Libc.recv(_fd, buffer + offset, (nuint)count, flags);
            }

            if (n >= 0)
            {
                return (int)n;
            }

            int errno = Marshal.GetLastPInvokeError();
            switch (errno)
            {
                case Interop.Errno.EINTR:
                    continue;
                case Interop.Errno.ENOBUFS:
                    return -1;
                default:
                    // EAGAIN here is SO_RCVTIMEO expiring; the dump may still be running in the kernel.
                    _mustDrain = true;
                    throw new KernelSourceException(operation + " recv", errno);
            }
        }
    }

    /// <summary>
    /// Reads and discards whatever an abandoned dump left queued. Each recv lets the kernel queue the dump's next
    /// datagram before returning, so reading until EAGAIN without waiting also runs the dump to its end.
    /// </summary>
    private unsafe void Drain()
    {
        _mustDrain = false;
        for (int i = 0; i < MaxDrainDatagrams; i++)
        {
            nint n;
            fixed (byte* buffer = _buffer)
            {
                n = Interop.Libc.recv(_fd, buffer, (nuint)_buffer.Length, Interop.Libc.MSG_DONTWAIT | Interop.Libc.MSG_TRUNC);
            }

            if (n < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno is Interop.Errno.EINTR or Interop.Errno.ENOBUFS)
                {
                    continue;
                }

                return; // EAGAIN: empty
            }
        }
    }

    private void EnsureCapacity(int capacity)
    {
        if (capacity <= _buffer.Length)
        {
            return;
        }

        // A dump grows with the number of interfaces and qdiscs; keep the larger buffer for the next sample.
        var larger = new byte[Math.Max(capacity, _buffer.Length * 2)];
        _buffer.AsSpan().CopyTo(larger);
        _buffer = larger;
    }

    [DoesNotReturn]
    private void ThrowMalformed(string operation, string what)
    {
        // The rest of the dump may still be queued; the next dump starts by discarding it.
        _mustDrain = true;
        throw new KernelSourceException($"{operation}: malformed reply ({what})", 0);
    }

    private enum DumpOutcome
    {
        Complete,
        Interrupted,
        Overrun,
    }
}
