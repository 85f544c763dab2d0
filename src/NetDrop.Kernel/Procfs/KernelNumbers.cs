namespace NetDrop.Kernel.Procfs;

/// <summary>
/// Parses one number field exactly as the kernel prints it (<c>%lu</c>, <c>%llu</c>, <c>%08x</c>): digits only, nothing
/// before or after, in range.
/// </summary>
/// <remarks>
/// NOTE: not <c>ulong.TryParse</c>: the BCL accepts trailing NUL characters (<c>"12\0\0"</c> parses as 12, a
/// leftover of C strings), and a read whose tail is zero-filled must never pass for a counter that lost its digits.
/// PERF: a digit loop over the bytes, no culture, no allocation.
/// </remarks>
internal static class KernelNumbers
{
    /// <summary>An unsigned decimal of 1 to 20 digits that fits in 64 bits.</summary>
    public static bool TryParseDecimal(ReadOnlySpan<byte> field, out ulong value)
    {
        value = 0;
        if (field.IsEmpty || field.Length > 20)
        {
            return false;
        }

        ulong result = 0;
        foreach (byte b in field)
        {
            uint digit = (uint)(b - '0');
            if (digit > 9 || result > (ulong.MaxValue - digit) / 10)
            {
                return false;
            }

            result = result * 10 + digit;
        }

        value = result;
        return true;
    }

    /// <summary>A hex number of 1 to 8 digits (softnet_stat's <c>%08x</c> of a 32-bit counter), either case.</summary>
    public static bool TryParseHex32(ReadOnlySpan<byte> field, out uint value)
    {
        bool parsed = TryParseHex(field, maxDigits: 8, out ulong wide);
        value = (uint)wide;
        return parsed;
    }

    /// <summary>
    /// A hex number of 1 to 16 digits, either case: the <c>%08lx</c> of an <c>unsigned long</c> counter, which on a
    /// 64-bit kernel grows past eight digits (/proc/net/stat/arp_cache, neigh_stat_seq_show in net/core/neighbour.c).
    /// </summary>
    public static bool TryParseHex64(ReadOnlySpan<byte> field, out ulong value) => TryParseHex(field, maxDigits: 16, out value);

    private static bool TryParseHex(ReadOnlySpan<byte> field, int maxDigits, out ulong value)
    {
        value = 0;
        if (field.IsEmpty || field.Length > maxDigits)
        {
            return false;
        }

        ulong result = 0;
        foreach (byte b in field)
        {
            int digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return false;
            }

            result = (result << 4) | (uint)digit;
        }

        value = result;
        return true;
    }
}
