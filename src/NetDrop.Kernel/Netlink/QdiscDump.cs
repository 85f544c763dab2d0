using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace NetDrop.Kernel.Netlink;

/// <summary>
/// Every qdisc of a network namespace with its statistics, in one RTM_GETQDISC dump (net/sched/sch_api.c,
/// <c>tc_dump_qdisc</c> → <c>tc_fill_qdisc</c>; the statistics come from net/core/gen_stats.c):
/// <code>
/// [nlmsghdr RTM_NEWQDISC NLM_F_MULTI][tcmsg ifindex=2 handle=1:0 parent=ffff:ffff]
///   [nlattr TCA_KIND "htb\0"] [nlattr TCA_OPTIONS ...] [nlattr TCA_STATS ...]
///   [nlattr TCA_STATS2 [TCA_STATS_BASIC bytes packets] [TCA_STATS_QUEUE qlen backlog drops requeues overlimits]]
/// </code>
/// See <see cref="QdiscRecord"/> for how roots and children count the same packet.
/// </summary>
internal sealed class QdiscDump
{
    private const string Operation = "RTM_GETQDISC dump";

    private readonly NetlinkSocket _socket;
    private readonly bool _includeInvisible;

    /// <param name="socket">The socket to dump on; it decides the network namespace.</param>
    /// <param name="includeInvisible">
    /// Ask for <c>TCQ_F_INVISIBLE</c> qdiscs too (<c>TCA_DUMP_INVISIBLE</c>, what <c>tc qdisc show invisible</c>
    /// shows): the default children the kernel creates under tbf, htb classes without a leaf, and the like. They are
    /// real queues that count drops, so by default every qdisc is reported.
    /// </param>
    public QdiscDump(NetlinkSocket socket, bool includeInvisible = true)
    {
        _socket = socket;
        _includeInvisible = includeInvisible;
    }

    /// <summary>Runs the dump and returns its raw replies (valid until the socket's next dump): what fixtures capture.</summary>
    public ReadOnlySpan<byte> ReadRaw()
    {
        // An all-zero tcmsg (every interface), then the TCA_DUMP_INVISIBLE flag attribute (an nlattr with no value).
        Span<byte> request = stackalloc byte[Interop.TcMsg.Size + Interop.Netlink.NLA_HDRLEN];
        request.Clear();
        int length = Interop.TcMsg.Size;
        if (_includeInvisible)
        {
            var flag = new Interop.NlAttr
            {
                nla_len = Interop.Netlink.NLA_HDRLEN,
                nla_type = Interop.Rtnetlink.TCA_DUMP_INVISIBLE,
            };
            MemoryMarshal.Write(request[length..], in flag);
            length += Interop.Netlink.NLA_HDRLEN;
        }

        return _socket.Dump(Interop.Rtnetlink.RTM_GETQDISC, request[..length], Operation);
    }

    /// <summary>Runs the dump and fills <paramref name="into"/> (cleared first) with one record per qdisc.</summary>
    public void Read(List<QdiscRecord> into) => Parse(ReadRaw(), into);

    /// <summary>Parses the concatenated replies of an RTM_GETQDISC dump; messages of other types are skipped.</summary>
    /// <exception cref="KernelSourceException">A message or attribute length points outside the data (errno 0).</exception>
    public static void Parse(ReadOnlySpan<byte> replies, List<QdiscRecord> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        into.Clear();

        var messages = new NetlinkReader(replies);
        while (messages.TryReadMessage(out Interop.NlMsgHdr header, out ReadOnlySpan<byte> payload))
        {
            if (header.nlmsg_type != Interop.Rtnetlink.RTM_NEWQDISC)
            {
                continue;
            }

            if (!NetlinkReader.TryRead(payload, out Interop.TcMsg tc))
            {
                ThrowMalformed("an RTM_NEWQDISC shorter than struct tcmsg");
            }

            var record = new QdiscRecord
            {
                IfIndex = tc.tcm_ifindex,
                Handle = tc.tcm_handle,
                Parent = tc.tcm_parent,
            };

            bool hasStats2 = false;
            Interop.TcStats legacy = default;
            bool hasLegacy = false;
            var attributes = NetlinkReader.ForAttributes(payload, Interop.TcMsg.Size);
            while (attributes.TryReadAttribute(out ushort type, out ReadOnlySpan<byte> value))
            {
                switch (type)
                {
                    case Interop.Rtnetlink.TCA_KIND:
                        record.Kind = QdiscKind.FromBytes(value);
                        break;
                    case Interop.Rtnetlink.TCA_STATS2:
                        ReadStats2(value, ref record);
                        hasStats2 = true;
                        break;
                    case Interop.Rtnetlink.TCA_STATS:
                        hasLegacy = NetlinkReader.TryRead(value, out legacy);
                        break;
                }
            }

            if (attributes.IsMalformed)
            {
                ThrowMalformed("an attribute length outside its RTM_NEWQDISC message");
            }

            if (!hasStats2 && hasLegacy)
            {
                // Kernels before gen_stats (2.6.x) sent only struct tc_stats; it has no requeues.
                record.Bytes = legacy.bytes;
                record.Packets = legacy.packets;
                record.Drops = legacy.drops;
                record.Overlimits = legacy.overlimits;
                record.QueueLength = legacy.qlen;
                record.Backlog = legacy.backlog;
            }

            into.Add(record);
        }

        if (messages.IsMalformed)
        {
            ThrowMalformed("a message length outside the dump");
        }
    }

    private static void ReadStats2(ReadOnlySpan<byte> nested, ref QdiscRecord record)
    {
        ulong packets64 = 0;
        bool hasPackets64 = false;
        var stats = new NetlinkReader(nested);
        while (stats.TryReadAttribute(out ushort type, out ReadOnlySpan<byte> value))
        {
            switch (type)
            {
                case Interop.Rtnetlink.TCA_STATS_BASIC:
                    // struct gnet_stats_basic is 16 bytes on 64-bit but 12 where __u64 aligns to 4; read by offset.
                    if (value.Length >= sizeof(ulong) + sizeof(uint))
                    {
                        record.Bytes = MemoryMarshal.Read<ulong>(value);
                        record.Packets = MemoryMarshal.Read<uint>(value[sizeof(ulong)..]);
                    }

                    break;
                case Interop.Rtnetlink.TCA_STATS_PKT64:
                    hasPackets64 = NetlinkReader.TryRead(value, out packets64);
                    break;
                case Interop.Rtnetlink.TCA_STATS_QUEUE when NetlinkReader.TryRead(value, out Interop.GnetStatsQueue queue):
                    record.QueueLength = queue.qlen;
                    record.Backlog = queue.backlog;
                    record.Drops = queue.drops;
                    record.Requeues = queue.requeues;
                    record.Overlimits = queue.overlimits;
                    break;
            }
        }

        if (stats.IsMalformed)
        {
            ThrowMalformed("an attribute length outside TCA_STATS2");
        }

        if (hasPackets64)
        {
            // gnet_stats_copy_basic sends the 64-bit count only once the 32-bit one has wrapped.
            record.Packets = packets64;
        }
    }

    [DoesNotReturn]
    private static void ThrowMalformed(string what) =>
        throw new KernelSourceException($"{Operation}: malformed reply ({what})", 0);
}
