using System.Runtime.InteropServices;

internal static partial class Interop
{
    /// <summary>
    /// The NETLINK_ROUTE messages NetDrop dumps: links (include/uapi/linux/rtnetlink.h, if_link.h) and qdiscs
    /// (rtnetlink.h, pkt_sched.h, gen_stats.h).
    /// <code>
    /// struct ifinfomsg { unsigned char ifi_family; unsigned char __ifi_pad; unsigned short ifi_type; int ifi_index; ... };
    /// struct tcmsg { unsigned char tcm_family; ...; int tcm_ifindex; __u32 tcm_handle; __u32 tcm_parent; __u32 tcm_info; };
    /// struct gnet_stats_queue { __u32 qlen; __u32 backlog; __u32 drops; __u32 requeues; __u32 overlimits; };
    /// </code>
    /// </summary>
    internal static class Rtnetlink
    {
        internal const ushort RTM_NEWLINK = 16;
        internal const ushort RTM_GETLINK = 18;
        internal const ushort RTM_NEWQDISC = 36;
        internal const ushort RTM_GETQDISC = 38;

        // enum IFLA_* (if_link.h): attributes of an RTM_NEWLINK message.
        internal const ushort IFLA_ADDRESS = 1;
        internal const ushort IFLA_IFNAME = 3;
        internal const ushort IFLA_STATS = 7;   // struct rtnl_link_stats (32-bit counters; not read)
        internal const ushort IFLA_MASTER = 10;
        internal const ushort IFLA_OPERSTATE = 16;
        internal const ushort IFLA_LINKINFO = 18; // nested IFLA_INFO_*
        internal const ushort IFLA_STATS64 = 23; // struct rtnl_link_stats64
        internal const ushort IFLA_PERM_ADDRESS = 54;

        // enum IFLA_INFO_* (if_link.h): attributes nested in IFLA_LINKINFO.
        internal const ushort IFLA_INFO_KIND = 1; // rtnl_link_ops.kind, NUL-terminated: "bond", "bridge", "veth"

        // enum IF_OPER_* (if.h, RFC 2863 operational status): the value of IFLA_OPERSTATE.
        internal const byte IF_OPER_UNKNOWN = 0;
        internal const byte IF_OPER_NOTPRESENT = 1;
        internal const byte IF_OPER_DOWN = 2;
        internal const byte IF_OPER_LOWERLAYERDOWN = 3;
        internal const byte IF_OPER_TESTING = 4;
        internal const byte IF_OPER_DORMANT = 5;
        internal const byte IF_OPER_UP = 6;

        // enum TCA_* (rtnetlink.h): attributes of an RTM_NEWQDISC message.
        internal const ushort TCA_KIND = 1;
        internal const ushort TCA_OPTIONS = 2;
        internal const ushort TCA_STATS = 3;  // struct tc_stats, the pre-2.6.x compat copy
        internal const ushort TCA_XSTATS = 4;
        internal const ushort TCA_STATS2 = 7; // nested TCA_STATS_*
        internal const ushort TCA_DUMP_INVISIBLE = 10; // flag in a dump request: include TCQ_F_INVISIBLE qdiscs

        // enum TCA_STATS_* (gen_stats.h): attributes nested in TCA_STATS2.
        internal const ushort TCA_STATS_BASIC = 1;   // struct gnet_stats_basic
        internal const ushort TCA_STATS_RATE_EST = 2;
        internal const ushort TCA_STATS_QUEUE = 3;   // struct gnet_stats_queue
        internal const ushort TCA_STATS_APP = 4;
        internal const ushort TCA_STATS_RATE_EST64 = 5;
        internal const ushort TCA_STATS_PAD = 6;
        internal const ushort TCA_STATS_BASIC_HW = 7;
        internal const ushort TCA_STATS_PKT64 = 8;   // __u64 packets, sent only when packets no longer fit gnet_stats_basic

        // Qdisc handles (pkt_sched.h): major:minor in the high and low 16 bits.
        internal const uint TC_H_UNSPEC = 0;
        internal const uint TC_H_ROOT = 0xFFFFFFFF;
        internal const uint TC_H_INGRESS = 0xFFFFFFF1;
        internal const uint TC_H_CLSACT = TC_H_INGRESS;
        internal const uint TC_H_MAJ_MASK = 0xFFFF0000;
        internal const uint TC_H_MIN_MASK = 0x0000FFFF;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct IfInfoMsg // struct ifinfomsg
    {
        public byte ifi_family;
        public byte __ifi_pad;
        public ushort ifi_type;
        public int ifi_index;
        public uint ifi_flags;
        public uint ifi_change;

        public const int Size = 16;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct TcMsg // struct tcmsg
    {
        public byte tcm_family;
        public byte tcm__pad1;
        public ushort tcm__pad2;
        public int tcm_ifindex;
        public uint tcm_handle;
        public uint tcm_parent;
        public uint tcm_info;

        public const int Size = 20;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct GnetStatsBasic // struct gnet_stats_basic (16 bytes: the trailing u32 is padded to 8)
    {
        public ulong bytes;
        public uint packets;

        public const int Size = 16;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct GnetStatsQueue // struct gnet_stats_queue
    {
        public uint qlen;
        public uint backlog;
        public uint drops;
        public uint requeues;
        public uint overlimits;

        public const int Size = 20;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct TcStats // struct tc_stats
    {
        public ulong bytes;
        public uint packets;
        public uint drops;
        public uint overlimits;
        public uint bps;
        public uint pps;
        public uint qlen;
        public uint backlog;

        public const int Size = 40;
    }
}
