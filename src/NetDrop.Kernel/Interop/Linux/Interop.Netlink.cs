using System.Runtime.InteropServices;

internal static partial class Interop
{
    /// <summary>
    /// The netlink transport: message and attribute headers, flags and alignment from include/uapi/linux/netlink.h.
    /// <code>
    /// struct nlmsghdr { __u32 nlmsg_len; __u16 nlmsg_type; __u16 nlmsg_flags; __u32 nlmsg_seq; __u32 nlmsg_pid; };
    /// struct nlattr { __u16 nla_len; __u16 nla_type; };
    /// #define NLMSG_ALIGN(len) ( ((len)+NLMSG_ALIGNTO-1) &amp; ~(NLMSG_ALIGNTO-1) )
    /// </code>
    /// </summary>
    internal static class Netlink
    {
        internal const int NETLINK_ROUTE = 0;

        internal const int SOL_NETLINK = 270;
        internal const int NETLINK_GET_STRICT_CHK = 12;

        // nlmsg_type values below NLMSG_MIN_TYPE are control messages.
        internal const ushort NLMSG_NOOP = 1;
        internal const ushort NLMSG_ERROR = 2;
        internal const ushort NLMSG_DONE = 3;
        internal const ushort NLMSG_OVERRUN = 4;
        internal const ushort NLMSG_MIN_TYPE = 0x10;

        // nlmsg_flags
        internal const ushort NLM_F_REQUEST = 0x01;
        internal const ushort NLM_F_MULTI = 0x02;
        internal const ushort NLM_F_ACK = 0x04;
        internal const ushort NLM_F_DUMP_INTR = 0x10;
        internal const ushort NLM_F_ROOT = 0x100;
        internal const ushort NLM_F_MATCH = 0x200;
        internal const ushort NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;

        internal const int NLMSG_ALIGNTO = 4;
        internal const int NLA_ALIGNTO = 4;

        // nla_type carries two flag bits; the attribute number is what remains.
        internal const ushort NLA_F_NESTED = 1 << 15;
        internal const ushort NLA_F_NET_BYTEORDER = 1 << 14;
        internal const ushort NLA_TYPE_MASK = unchecked((ushort)~(NLA_F_NESTED | NLA_F_NET_BYTEORDER));

        internal static int NLMSG_ALIGN(int length) => (length + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1);

        internal static int NLA_ALIGN(int length) => (length + NLA_ALIGNTO - 1) & ~(NLA_ALIGNTO - 1);

        internal const int NLMSG_HDRLEN = 16; // NLMSG_ALIGN(sizeof(struct nlmsghdr))
        internal const int NLA_HDRLEN = 4;    // NLA_ALIGN(sizeof(struct nlattr))
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct NlMsgHdr // struct nlmsghdr
    {
        public uint nlmsg_len;
        public ushort nlmsg_type;
        public ushort nlmsg_flags;
        public uint nlmsg_seq;
        public uint nlmsg_pid;

        public const int Size = 16;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct NlAttr // struct nlattr
    {
        public ushort nla_len;
        public ushort nla_type;

        public const int Size = 4;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct NlMsgErr // struct nlmsgerr (the payload of NLMSG_ERROR; the original request header follows)
    {
        public int error;
        public NlMsgHdr msg;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct SockaddrNl // struct sockaddr_nl
    {
        public ushort nl_family;
        public ushort nl_pad;
        public uint nl_pid;
        public uint nl_groups;

        public const int Size = 12;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct Timeval // struct timeval (64-bit: time_t and suseconds_t are both long)
    {
        public long tv_sec;
        public long tv_usec;
    }
}
