using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using NetDrop.Kernel.Snapshots;

namespace NetDrop.Kernel.Netlink;

/// <summary>
/// Every interface of a network namespace and its <c>rtnl_link_stats64</c> counters, in one RTM_GETLINK dump
/// (net/core/rtnetlink.c, <c>rtnl_dump_ifinfo</c> → <c>rtnl_fill_ifinfo</c>) instead of a sysfs file per counter:
/// <code>
/// [nlmsghdr RTM_NEWLINK NLM_F_MULTI][ifinfomsg ifi_index=2]
///   [nlattr IFLA_IFNAME "eth0\0"] [nlattr IFLA_OPERSTATE 6] [nlattr IFLA_MASTER 5] [nlattr IFLA_STATS64 rx_packets ...]
///   [nlattr IFLA_LINKINFO [nlattr IFLA_INFO_KIND "bond\0"] ...]   (virtual devices only: rtnl_link_fill)
/// </code>
/// </summary>
internal sealed class LinkDump
{
    private const string Operation = "RTM_GETLINK dump";

    private readonly NetlinkSocket _socket;

    public LinkDump(NetlinkSocket socket)
    {
        _socket = socket;
    }

    /// <summary>Runs the dump and returns its raw replies (valid until the socket's next dump): what fixtures capture.</summary>
    public ReadOnlySpan<byte> ReadRaw()
    {
        // An all-zero ifinfomsg: any family, no index filter, so every link is returned.
        Span<byte> request = stackalloc byte[Interop.IfInfoMsg.Size];
        request.Clear();
        return _socket.Dump(Interop.Rtnetlink.RTM_GETLINK, request, Operation);
    }

    /// <summary>Runs the dump and fills <paramref name="into"/> (cleared first) with one record per interface.</summary>
    public void Read(List<LinkRecord> into) => Parse(ReadRaw(), into);

    /// <summary>Parses the concatenated replies of an RTM_GETLINK dump; messages of other types are skipped.</summary>
    /// <exception cref="KernelSourceException">A message or attribute length points outside the data (errno 0).</exception>
    public static void Parse(ReadOnlySpan<byte> replies, List<LinkRecord> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        into.Clear();

        var messages = new NetlinkReader(replies);
        while (messages.TryReadMessage(out Interop.NlMsgHdr header, out ReadOnlySpan<byte> payload))
        {
            if (header.nlmsg_type != Interop.Rtnetlink.RTM_NEWLINK)
            {
                continue;
            }

            if (!NetlinkReader.TryRead(payload, out Interop.IfInfoMsg info))
            {
                ThrowMalformed("an RTM_NEWLINK shorter than struct ifinfomsg");
            }

            var record = new LinkRecord { IfIndex = info.ifi_index };
            var attributes = NetlinkReader.ForAttributes(payload, Interop.IfInfoMsg.Size);
            while (attributes.TryReadAttribute(out ushort type, out ReadOnlySpan<byte> value))
            {
                switch (type)
                {
                    case Interop.Rtnetlink.IFLA_IFNAME:
                        record.Name = InterfaceName.FromBytes(value);
                        break;
                    case Interop.Rtnetlink.IFLA_MASTER when NetlinkReader.TryRead(value, out int master):
                        record.MasterIfIndex = master;
                        break;
                    case Interop.Rtnetlink.IFLA_OPERSTATE when !value.IsEmpty:
                        record.OperState = value[0];
                        break;
                    case Interop.Rtnetlink.IFLA_STATS64:
                        ReadStats64(value, ref record);
                        break;
                    case Interop.Rtnetlink.IFLA_LINKINFO:
                        record.Kind = ReadKind(value);
                        break;
                }
            }

            if (attributes.IsMalformed)
            {
                ThrowMalformed("an attribute length outside its RTM_NEWLINK message");
            }

            into.Add(record);
        }

        if (messages.IsMalformed)
        {
            ThrowMalformed("a message length outside the dump");
        }
    }

    private static LinkKind ReadKind(ReadOnlySpan<byte> linkInfo)
    {
        var nested = new NetlinkReader(linkInfo);
        while (nested.TryReadAttribute(out ushort type, out ReadOnlySpan<byte> value))
        {
            if (type == Interop.Rtnetlink.IFLA_INFO_KIND)
            {
                return LinkKinds.Parse(value);
            }
        }

        if (nested.IsMalformed)
        {
            ThrowMalformed("an IFLA_LINKINFO attribute length outside its nest");
        }

        return LinkKind.Other;
    }

    private static void ReadStats64(ReadOnlySpan<byte> value, ref LinkRecord record)
    {
        // rtnl_link_stats64 only grows at its end (rx_otherhost_dropped arrived in 5.19): take the fields we know and
        // leave any that an older, shorter struct lacks at zero.
        Span<byte> counters = MemoryMarshal.AsBytes(new Span<LinkCounters>(ref record.Counters));
        counters.Clear();
        value[..Math.Min(value.Length, LinkCounters.Size)].CopyTo(counters);
        record.HasStats = true;
    }

    [DoesNotReturn]
    private static void ThrowMalformed(string what) =>
        throw new KernelSourceException($"{Operation}: malformed reply ({what})", 0);
}
