using System.Globalization;
using System.Runtime.CompilerServices;

namespace NetDrop.Analysis;

/// <summary>The numbers of a CSV cell, read from its UTF-8 bytes as awk reads them (invariant, no locale).</summary>
internal static class CsvNumbers
{
    /// <summary>
    /// An optionally negative decimal integer at the start of <paramref name="text"/>, up to the first byte that is not
    /// a digit (<paramref name="length"/>: the bytes it took). No digits at all is 0, as awk reads an empty cell; false
    /// for a lone minus sign or a number beyond a long.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseIntegerPrefix(ReadOnlySpan<byte> text, out long value, out int length)
    {
        bool negative = !text.IsEmpty && text[0] == (byte)'-';
        int i = negative ? 1 : 0;
        ulong accumulated = 0;
        while ((uint)i < (uint)text.Length && (uint)(text[i] - '0') <= 9)
        {
            accumulated = (accumulated * 10) + (uint)(text[i] - '0');
            i++;
        }

        length = i;
        int digits = negative ? i - 1 : i;
        value = negative ? -(long)accumulated : (long)accumulated;
        if (digits > 18)
        {
            // PERF: 18 digits always fit, so the loop checks no overflow; the rare longer run is parsed again by the BCL.
            return long.TryParse(text[..i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
        }

        return !(negative && digits == 0);
    }

    /// <summary><c>5</c>, <c>5.0</c>, <c>4.998</c> → milliseconds; empty → 0 (unknown).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseMilliseconds(ReadOnlySpan<byte> text, out long milliseconds)
    {
        milliseconds = 0;
        if (text.IsEmpty)
        {
            return true;
        }

        int dot = text.IndexOf((byte)'.');
        ReadOnlySpan<byte> whole = dot < 0 ? text : text[..dot];
        ReadOnlySpan<byte> fraction = dot < 0 ? default : text[(dot + 1)..];
        if (whole.IsEmpty || !TryParseIntegerPrefix(whole, out long seconds, out int used) || used != whole.Length || seconds < 0)
        {
            return false;
        }

        long thousandths = 0;
        for (int i = 0; i < fraction.Length; i++)
        {
            uint digit = (uint)(fraction[i] - '0');
            if (digit > 9)
            {
                return false;
            }

            if (i < 3)
            {
                thousandths += digit * (i == 0 ? 100 : i == 1 ? 10 : 1);
            }
        }

        milliseconds = (seconds * 1000) + thousandths;
        return true;
    }
}
