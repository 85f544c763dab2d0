using System.Runtime.InteropServices;

internal static partial class Interop
{
    /// <summary>
    /// The legacy ethtool ioctl ABI: <c>ioctl(fd, SIOCETHTOOL, &amp;ifreq)</c> on any socket, with <c>ifr_data</c>
    /// pointing at a command structure whose first <c>__u32</c> is the command (include/uapi/linux/ethtool.h,
    /// include/uapi/linux/sockios.h, include/uapi/linux/if.h). The four commands used here are in the
    /// "Allow some commands to be done by anyone" list of <c>__dev_ethtool</c> (net/ethtool/ioctl.c): no privilege needed.
    /// </summary>
    internal static class Ethtool
    {
        internal const uint SIOCETHTOOL = 0x8946;        // sockios.h: "Ethtool interface"

        internal const uint ETHTOOL_GDRVINFO = 0x00000003;   // Get driver info.
        internal const uint ETHTOOL_GSTRINGS = 0x0000001b;   // get specified string set
        internal const uint ETHTOOL_GSTATS = 0x0000001d;     // get NIC-specific statistics
        internal const uint ETHTOOL_GSSET_INFO = 0x00000037; // Get string set info

        internal const int ETH_SS_STATS = 1;      // enum ethtool_stringset: ETH_SS_TEST = 0, ETH_SS_STATS = 1
        internal const int ETH_GSTRING_LEN = 32;
        internal const int IFNAMSIZ = 16;
        internal const int ETHTOOL_FWVERS_LEN = 32;
        internal const int ETHTOOL_BUSINFO_LEN = 32;
        internal const int ETHTOOL_EROMVERS_LEN = 32;

        /// <summary>
        /// <c>struct ifreq</c>: a 16-byte name and a union whose largest member is <c>struct ifmap</c> (24 bytes on
        /// 64-bit), 40 bytes in all. SIOCETHTOOL uses only <c>ifr_name</c> and <c>ifr_data</c>, but the kernel copies
        /// the whole structure in, so the full size must be readable. 64-bit layout only (x86_64, arm64).
        /// </summary>
        [StructLayout(LayoutKind.Explicit, Size = 40)]
        internal unsafe struct IfReq // struct ifreq
        {
            [FieldOffset(0)]
            public fixed byte ifr_name[IFNAMSIZ];

            [FieldOffset(16)]
            public void* ifr_data; // ifr_ifru.ifru_data
        }

        /// <summary><c>struct ethtool_drvinfo</c>: 196 bytes, all fields 4-byte aligned.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal unsafe struct EthtoolDrvInfo // struct ethtool_drvinfo
        {
            public uint cmd;
            public fixed byte driver[32];
            public fixed byte version[32];
            public fixed byte fw_version[ETHTOOL_FWVERS_LEN];
            public fixed byte bus_info[ETHTOOL_BUSINFO_LEN];
            public fixed byte erom_version[ETHTOOL_EROMVERS_LEN];
            public fixed byte reserved2[12];
            public uint n_priv_flags;
            public uint n_stats;
            public uint testinfo_len;
            public uint eedump_len;
            public uint regdump_len;
        }

        /// <summary>
        /// <c>struct ethtool_sset_info</c> (16 bytes) followed by the flexible <c>__u32 data[]</c>: one count per bit
        /// set in the reply's <c>sset_mask</c>. A set the driver lacks is simply absent from the reply mask.
        /// </summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct EthtoolSsetInfo // struct ethtool_sset_info
        {
            public uint cmd;
            public uint reserved;
            public ulong sset_mask;
            // __u32 data[] follows at offset 16.
        }

        /// <summary><c>struct ethtool_gstrings</c> (12 bytes) followed by <c>len * ETH_GSTRING_LEN</c> bytes of names.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct EthtoolGStrings // struct ethtool_gstrings
        {
            public uint cmd;
            public uint string_set;
            public uint len;
            // __u8 data[] follows at offset 12.
        }

        /// <summary><c>struct ethtool_stats</c> (8 bytes) followed by <c>n_stats</c> <c>__u64</c> values.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct EthtoolStats // struct ethtool_stats
        {
            public uint cmd;
            public uint n_stats;
            // __u64 data[] follows at offset 8.
        }
    }
}
