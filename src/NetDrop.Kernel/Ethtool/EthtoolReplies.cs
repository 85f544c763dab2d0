using System.Runtime.InteropServices;
using System.Text;

namespace NetDrop.Kernel.Ethtool;

/// <summary>
/// Parsers over the raw reply buffers of the four ethtool commands, shared by the live reader and the fixture tests
/// (which feed captured <c>.bin</c> replies). Layouts from include/uapi/linux/ethtool.h; values are host-endian.
/// <code>
/// struct ethtool_sset_info { __u32 cmd; __u32 reserved; __u64 sset_mask; __u32 data[]; };
/// struct ethtool_gstrings  { __u32 cmd; __u32 string_set; __u32 len; __u8 data[]; };
/// struct ethtool_stats     { __u32 cmd; __u32 n_stats; __u64 data[]; };
/// </code>
/// </summary>
internal static class EthtoolReplies
{
    public const int DrvInfoSize = 196;        // sizeof(struct ethtool_drvinfo)
    public const int SsetInfoHeaderSize = 16;  // sizeof(struct ethtool_sset_info)
    public const int GStringsHeaderSize = 12;  // sizeof(struct ethtool_gstrings)
    public const int StatsHeaderSize = 8;      // sizeof(struct ethtool_stats)

    /// <summary>
    /// Far above any driver (mlx5 with many channels reports some tens of thousands); a larger count is treated as a
    /// malformed reply rather than sizing buffers from it.
    /// </summary>
    public const int MaxStatCount = 1 << 20;

    private const int DriverOffset = 4;        // offsetof(struct ethtool_drvinfo, driver)
    private const int DriverLength = 32;
    private const int NStatsOffset = 180;      // offsetof(struct ethtool_drvinfo, n_stats)

    /// <summary>The <c>driver</c> field of a GDRVINFO reply (e.g. <c>virtio_net</c>), or null if the reply is short.</summary>
    public static string? ParseDriverName(ReadOnlySpan<byte> drvInfoReply)
    {
        if (drvInfoReply.Length < DrvInfoSize)
        {
            return null;
        }

        return DecodeCString(drvInfoReply.Slice(DriverOffset, DriverLength));
    }

    /// <summary>The (deprecated, but still filled) <c>n_stats</c> of a GDRVINFO reply; -1 if the reply is short.</summary>
    public static int ParseDriverInfoStatCount(ReadOnlySpan<byte> drvInfoReply) =>
        drvInfoReply.Length < DrvInfoSize ? -1 : (int)MemoryMarshal.Read<uint>(drvInfoReply[NStatsOffset..]);

    /// <summary>
    /// The ETH_SS_STATS count of a GSSET_INFO reply to a request for that set alone. Returns false when the reply
    /// mask lacks the set: the driver has no statistics. Callers reject counts above <see cref="MaxStatCount"/>.
    /// </summary>
    public static bool TryParseStatCount(ReadOnlySpan<byte> ssetInfoReply, out int count)
    {
        count = 0;
        if (ssetInfoReply.Length < SsetInfoHeaderSize)
        {
            return false;
        }

        ulong mask = MemoryMarshal.Read<ulong>(ssetInfoReply[8..]);
        if ((mask & (1UL << Interop.Ethtool.ETH_SS_STATS)) == 0)
        {
            return false;
        }

        // Only one set was requested, so its count is data[0].
        if (ssetInfoReply.Length < SsetInfoHeaderSize + sizeof(uint))
        {
            return false;
        }

        count = (int)Math.Min(MemoryMarshal.Read<uint>(ssetInfoReply[SsetInfoHeaderSize..]), int.MaxValue);
        return true;
    }

    /// <summary>The <c>len</c> of a GSTRINGS reply; 0 means the kernel refused because our count was stale.</summary>
    public static int ParseStringCount(ReadOnlySpan<byte> gstringsReply) =>
        gstringsReply.Length < GStringsHeaderSize ? -1 : (int)MemoryMarshal.Read<uint>(gstringsReply[8..]);

    /// <summary>
    /// Decodes the names of a GSTRINGS reply into <paramref name="names"/> (one per 32-byte slot, up to the first
    /// NUL, kept verbatim: vmxnet3 indents its per-queue names with spaces). Returns false unless the reply holds
    /// exactly <paramref name="names"/>.Length strings.
    /// </summary>
    public static bool TryParseStrings(ReadOnlySpan<byte> gstringsReply, string[] names)
    {
        int len = ParseStringCount(gstringsReply);
        if (len != names.Length || gstringsReply.Length < GStringsHeaderSize + (len * Interop.Ethtool.ETH_GSTRING_LEN))
        {
            return false;
        }

        ReadOnlySpan<byte> data = gstringsReply[GStringsHeaderSize..];
        for (int i = 0; i < len; i++)
        {
            names[i] = DecodeCString(data.Slice(i * Interop.Ethtool.ETH_GSTRING_LEN, Interop.Ethtool.ETH_GSTRING_LEN));
        }

        return true;
    }

    /// <summary>The <c>n_stats</c> of a GSTATS reply; 0 means the kernel refused because our count was stale.</summary>
    public static int ParseStatsCount(ReadOnlySpan<byte> gstatsReply) =>
        gstatsReply.Length < StatsHeaderSize ? -1 : (int)MemoryMarshal.Read<uint>(gstatsReply[4..]);

    /// <summary>
    /// Copies the values of a GSTATS reply into <paramref name="values"/>. Returns false unless the reply holds
    /// exactly <paramref name="values"/>.Length values.
    /// </summary>
    public static bool TryParseStats(ReadOnlySpan<byte> gstatsReply, Span<ulong> values)
    {
        int n = ParseStatsCount(gstatsReply);
        if (n != values.Length || gstatsReply.Length < StatsHeaderSize + (n * sizeof(ulong)))
        {
            return false;
        }

        MemoryMarshal.Cast<byte, ulong>(gstatsReply.Slice(StatsHeaderSize, n * sizeof(ulong))).CopyTo(values);
        return true;
    }

    private static string DecodeCString(ReadOnlySpan<byte> field)
    {
        int nul = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul >= 0 ? field[..nul] : field);
    }
}
