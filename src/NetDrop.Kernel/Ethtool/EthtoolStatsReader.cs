using System.Runtime.InteropServices;
using NetDrop.Kernel.SafeHandles;
using NetDrop.Kernel.Snapshots;

namespace NetDrop.Kernel.Ethtool;

/// <summary>
/// Reads driver statistics (<c>ethtool -S</c>) through <c>ioctl(SIOCETHTOOL)</c> on an AF_INET/SOCK_DGRAM socket,
/// the same four commands the ethtool binary's ioctl path issues (net/ethtool/ioctl.c):
/// <code>
/// ETHTOOL_GSSET_INFO  sset_mask = 1 &lt;&lt; ETH_SS_STATS   -> data[0] = number of stats
/// ETHTOOL_GDRVINFO                                   -> driver "virtio_net"
/// ETHTOOL_GSTRINGS    string_set = ETH_SS_STATS, len -> len * 32-byte NUL-padded names
/// ETHTOOL_GSTATS      n_stats                        -> n_stats * __u64
/// </code>
/// All four are allowed without CAP_NET_ADMIN (<c>__dev_ethtool</c>: "Allow some commands to be done by anyone").
/// </summary>
/// <remarks>
/// <para>
/// A read costs two syscalls: GSSET_INFO (is the count unchanged?) and GSTATS. GDRVINFO and GSTRINGS are issued only
/// when the count changed or the interface is new to the <see cref="EthtoolStatistics"/>.
/// </para>
/// <para>
/// NOTE: current kernels (6.12's <c>ethtool_get_strings</c>/<c>ethtool_get_stats</c>) answer <c>len</c>/<c>n_stats</c>
/// = 0 when the caller's non-zero count differs from the driver's, instead of writing past the caller's buffer. Older
/// kernels ignore the caller's count and write the driver's current one, so the buffers keep slack (twice the count
/// plus 64) and the count is re-checked by GSSET_INFO just before every GSTATS.
/// </para>
/// <para>
/// The socket belongs to the network namespace current when the reader was created; interface names resolve there.
/// Not thread-safe: one reader per sampling thread.
/// </para>
/// </remarks>
internal sealed class EthtoolStatsReader : IDisposable
{
    private const int MinimumSlack = 64;

    private readonly SafeFdHandle _socket;
    private readonly byte[] _drvInfo = new byte[EthtoolReplies.DrvInfoSize];
    private readonly byte[] _ssetInfo = new byte[EthtoolReplies.SsetInfoHeaderSize + sizeof(uint)];
    private byte[] _gstrings = new byte[EthtoolReplies.GStringsHeaderSize + (MinimumSlack * Interop.Ethtool.ETH_GSTRING_LEN)];
    private byte[] _gstats = new byte[EthtoolReplies.StatsHeaderSize + (MinimumSlack * sizeof(ulong))];

    public EthtoolStatsReader()
    {
        _socket = Interop.Libc.socket(Interop.Libc.AF_INET, Interop.Libc.SOCK_DGRAM | Interop.Libc.SOCK_CLOEXEC, 0);
        if (_socket.IsInvalid)
        {
            int errno = Marshal.GetLastPInvokeError();
            _socket.Dispose();
            throw new KernelSourceException("socket(AF_INET, SOCK_DGRAM) for SIOCETHTOOL", errno);
        }
    }

    /// <summary>The errno of the last failed command (0 after success), for the source's one-time failure report.</summary>
    public int LastErrno { get; private set; }

    /// <summary>
    /// Reads <paramref name="name"/>'s statistics into <paramref name="into"/>: values always, driver and names only
    /// when they may have changed. Allocation-free once <paramref name="into"/> holds this interface's names.
    /// </summary>
    public EthtoolReadStatus TryRead(in InterfaceName name, EthtoolStatistics into)
    {
        ArgumentNullException.ThrowIfNull(into);

        // One retry covers a count that changed between GSSET_INFO and GSTRINGS/GSTATS (queues reconfigured).
        for (int attempt = 0; attempt < 2; attempt++)
        {
            EthtoolReadStatus status = QueryStatCount(name, out ReadOnlySpan<byte> ssetInfo);
            if (status != EthtoolReadStatus.Ok)
            {
                return status;
            }

            if (!EthtoolReplies.TryParseStatCount(ssetInfo, out int count) || count == 0)
            {
                return EthtoolReadStatus.NotSupported;
            }

            if (count > EthtoolReplies.MaxStatCount)
            {
                break;
            }

            if (!into.IsSchemaCurrent(name, count))
            {
                status = QueryDriverInfo(name, out ReadOnlySpan<byte> drvInfo);
                if (status != EthtoolReadStatus.Ok)
                {
                    return status;
                }

                status = QueryStrings(name, count, out ReadOnlySpan<byte> gstrings);
                if (status != EthtoolReadStatus.Ok)
                {
                    return status;
                }

                if (!into.TryLoadSchema(name, drvInfo, gstrings))
                {
                    continue; // len came back 0 or different: the count moved under us
                }
            }

            status = QueryStats(name, count, out ReadOnlySpan<byte> gstats);
            if (status != EthtoolReadStatus.Ok)
            {
                return status;
            }

            if (into.TryLoadValues(gstats))
            {
                return EthtoolReadStatus.Ok;
            }

            into.Invalidate();
        }

        LastErrno = 0;
        return EthtoolReadStatus.Failed;
    }

    /// <summary>
    /// The four raw replies for <paramref name="name"/>, copied out, through the same commands
    /// <see cref="TryRead"/> issues: what fixture capture stores as <c>IF.{drvinfo,sset_info,gstrings,gstats}.bin</c>.
    /// </summary>
    public EthtoolReadStatus TryCapture(in InterfaceName name, out EthtoolRawReplies? replies)
    {
        replies = null;
        EthtoolReadStatus status = QueryStatCount(name, out ReadOnlySpan<byte> ssetInfo);
        if (status != EthtoolReadStatus.Ok)
        {
            return status;
        }

        if (!EthtoolReplies.TryParseStatCount(ssetInfo, out int count) || count == 0)
        {
            return EthtoolReadStatus.NotSupported;
        }

        if (count > EthtoolReplies.MaxStatCount)
        {
            return EthtoolReadStatus.Failed;
        }

        byte[] ssetInfoCopy = ssetInfo.ToArray();
        if ((status = QueryDriverInfo(name, out ReadOnlySpan<byte> drvInfo)) != EthtoolReadStatus.Ok)
        {
            return status;
        }

        byte[] drvInfoCopy = drvInfo.ToArray();
        if ((status = QueryStrings(name, count, out ReadOnlySpan<byte> gstrings)) != EthtoolReadStatus.Ok)
        {
            return status;
        }

        byte[] gstringsCopy = gstrings.ToArray();
        if ((status = QueryStats(name, count, out ReadOnlySpan<byte> gstats)) != EthtoolReadStatus.Ok)
        {
            return status;
        }

        replies = new EthtoolRawReplies(drvInfoCopy, ssetInfoCopy, gstringsCopy, gstats.ToArray());
        return EthtoolReadStatus.Ok;
    }

    /// <summary>ETHTOOL_GDRVINFO; the reply is the whole <c>struct ethtool_drvinfo</c>.</summary>
    public EthtoolReadStatus QueryDriverInfo(in InterfaceName name, out ReadOnlySpan<byte> reply)
    {
        Array.Clear(_drvInfo);
        MemoryMarshal.Write(_drvInfo, Interop.Ethtool.ETHTOOL_GDRVINFO);
        return Issue(name, _drvInfo, _drvInfo.Length, out reply);
    }

    /// <summary>ETHTOOL_GSSET_INFO for ETH_SS_STATS alone; the reply is the header plus one <c>__u32</c>.</summary>
    public EthtoolReadStatus QueryStatCount(in InterfaceName name, out ReadOnlySpan<byte> reply)
    {
        Array.Clear(_ssetInfo);
        MemoryMarshal.Write(_ssetInfo, Interop.Ethtool.ETHTOOL_GSSET_INFO);
        MemoryMarshal.Write(_ssetInfo.AsSpan(8), 1UL << Interop.Ethtool.ETH_SS_STATS);
        return Issue(name, _ssetInfo, _ssetInfo.Length, out reply);
    }

    /// <summary>ETHTOOL_GSTRINGS for ETH_SS_STATS expecting <paramref name="count"/> names; the reply is trimmed to what the kernel reports.</summary>
    public EthtoolReadStatus QueryStrings(in InterfaceName name, int count, out ReadOnlySpan<byte> reply)
    {
        EnsureCapacity(ref _gstrings, EthtoolReplies.GStringsHeaderSize, Interop.Ethtool.ETH_GSTRING_LEN, count);
        Span<byte> header = _gstrings.AsSpan(0, EthtoolReplies.GStringsHeaderSize);
        header.Clear();
        MemoryMarshal.Write(header, Interop.Ethtool.ETHTOOL_GSTRINGS);
        MemoryMarshal.Write(header[4..], (uint)Interop.Ethtool.ETH_SS_STATS);
        MemoryMarshal.Write(header[8..], (uint)count);
        EthtoolReadStatus status = Issue(name, _gstrings, _gstrings.Length, out reply);
        if (status == EthtoolReadStatus.Ok)
        {
            int len = Math.Clamp(EthtoolReplies.ParseStringCount(reply), 0, Capacity(_gstrings, EthtoolReplies.GStringsHeaderSize, Interop.Ethtool.ETH_GSTRING_LEN));
            reply = reply[..(EthtoolReplies.GStringsHeaderSize + (len * Interop.Ethtool.ETH_GSTRING_LEN))];
        }

        return status;
    }

    /// <summary>ETHTOOL_GSTATS expecting <paramref name="count"/> values; the reply is trimmed to what the kernel reports.</summary>
    public EthtoolReadStatus QueryStats(in InterfaceName name, int count, out ReadOnlySpan<byte> reply)
    {
        EnsureCapacity(ref _gstats, EthtoolReplies.StatsHeaderSize, sizeof(ulong), count);
        MemoryMarshal.Write(_gstats, Interop.Ethtool.ETHTOOL_GSTATS);
        MemoryMarshal.Write(_gstats.AsSpan(4), (uint)count);
        EthtoolReadStatus status = Issue(name, _gstats, _gstats.Length, out reply);
        if (status == EthtoolReadStatus.Ok)
        {
            int n = Math.Clamp(EthtoolReplies.ParseStatsCount(reply), 0, Capacity(_gstats, EthtoolReplies.StatsHeaderSize, sizeof(ulong)));
            reply = reply[..(EthtoolReplies.StatsHeaderSize + (n * sizeof(ulong)))];
        }

        return status;
    }

    public void Dispose() => _socket.Dispose();

    private unsafe EthtoolReadStatus Issue(in InterfaceName name, byte[] buffer, int length, out ReadOnlySpan<byte> reply)
    {
        reply = default;
        var request = default(Interop.Ethtool.IfReq);
        name.Bytes.CopyTo(new Span<byte>(request.ifr_name, Interop.Ethtool.IFNAMSIZ - 1)); // InterfaceName holds at most 15 bytes; the 16th stays NUL

        int result;
        int errno;
        fixed (byte* data = buffer)
        {
            request.ifr_data = data;
            do
            {
                result = Interop.Libc.ioctl(_socket, Interop.Ethtool.SIOCETHTOOL, &request);
                errno = result < 0 ? Marshal.GetLastPInvokeError() : 0;
            }
            while (errno == Interop.Errno.EINTR);
        }

        LastErrno = errno;
        if (result >= 0)
        {
            reply = buffer.AsSpan(0, length);
            return EthtoolReadStatus.Ok;
        }

        return errno switch
        {
            Interop.Errno.EOPNOTSUPP => EthtoolReadStatus.NotSupported,
            Interop.Errno.ENODEV => EthtoolReadStatus.NoDevice,
            _ => EthtoolReadStatus.Failed,
        };
    }

    private static int Capacity(byte[] buffer, int headerSize, int elementSize) => (buffer.Length - headerSize) / elementSize;

    private static void EnsureCapacity(ref byte[] buffer, int headerSize, int elementSize, int count)
    {
        if (Capacity(buffer, headerSize, elementSize) >= count + MinimumSlack)
        {
            return;
        }

        // Slack for kernels that write the driver's current count whatever ours says (see the class remarks).
        long elements = (2L * count) + MinimumSlack;
        buffer = new byte[checked(headerSize + (int)(elements * elementSize))];
    }
}
