using System.Text;

namespace NetDrop.Tests.Faults;

/// <summary>
/// Ways a kernel file's text can come out wrong (issue 15 item 4): each turns a good file into bytes that no parser
/// may read as a number. None of them can produce a different well-formed number — that would be undetectable by
/// anyone — so "exact or unavailable" is the only right outcome for every one.
/// </summary>
public enum MutationKind
{
    Crlf,
    Nul,
    TwoToThe64,
    ThirtyDigits,
    Negative,
    TruncatedLine,
    EmptyFile,
    BinaryGarbage,
}

/// <summary>Applies a <see cref="MutationKind"/> at a position of a file's text.</summary>
internal static class Mutations
{
    /// <summary>Bytes that are none of digit, letter, space, tab, newline, '-' or ':' — garbage that can only break a number.</summary>
    private static readonly byte[] s_garbage =
        [.. Enumerable.Range(0, 256).Where(b => b is (< 0x09) or (> 0x0a and < 0x20) or (>= 0x7f)).Select(b => (byte)b)];

    /// <summary>
    /// The mutated bytes. <paramref name="start"/>/<paramref name="length"/> is the number the mutation aims at;
    /// <paramref name="hex"/> says the file is softnet_stat (its numbers are hex, so 2^64 is 17 hex digits).
    /// </summary>
    public static byte[] Apply(MutationKind kind, string text, int start, int length, bool hex, Random random)
    {
        string before = text[..start], number = text.Substring(start, length), after = text[(start + length)..];
        return kind switch
        {
            MutationKind.Crlf => Ascii(text.Replace("\n", "\r\n", StringComparison.Ordinal)),
            MutationKind.Nul => Ascii(before + number[..((length + 1) / 2)] + "\0" + number[((length + 1) / 2)..] + after),
            MutationKind.TwoToThe64 => Ascii(before + (hex ? "10000000000000000" : "18446744073709551616") + after),
            MutationKind.ThirtyDigits => Ascii(before + "123456789012345678901234567890" + after),
            MutationKind.Negative => Ascii(before + "-5" + after),

            // Cut inside the number: the line loses its end (and the file everything after it), as a short read would.
            MutationKind.TruncatedLine => Ascii(before + number[..Math.Max(1, length / 2)]),
            MutationKind.EmptyFile => [],
            MutationKind.BinaryGarbage => [.. Ascii(before), .. Garbage(random, Math.Max(1, length)), .. Ascii(after)],
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    /// <summary>
    /// A random mutation anywhere in the file, for the fuzz loop: a random kind at a random number token (or, for
    /// CRLF, NUL and garbage, a random byte offset). A cut is always inside a line, never at its end (a file cut at a
    /// line boundary of softnet_stat is a real kernel state: a CPU gone offline).
    /// </summary>
    public static byte[] ApplyRandom(string text, bool hex, Random random, out string description)
    {
        var kind = (MutationKind)random.Next(Enum.GetValues<MutationKind>().Length);
        List<(int Start, int Length)> tokens = MutationFixtureRoot.NumberTokens(text);
        (int start, int length) = tokens.Count > 0 ? tokens[random.Next(tokens.Count)] : (0, 0);
        switch (kind)
        {
            case MutationKind.Crlf:
                {
                    int[] newlines = [.. Enumerable.Range(0, text.Length).Where(i => text[i] == '\n')];
                    int at = newlines.Length > 0 ? newlines[random.Next(newlines.Length)] : text.Length;
                    description = $"CRLF at {at}";
                    return Ascii(text[..at] + "\r" + text[at..]);
                }

            case MutationKind.Nul:
                {
                    int at = random.Next(text.Length + 1);
                    description = $"NUL at {at}";
                    return Ascii(text[..at] + "\0" + text[at..]);
                }

            case MutationKind.BinaryGarbage:
                {
                    int at = random.Next(text.Length);
                    int span = Math.Min(text.Length - at, 1 + random.Next(16));
                    description = $"garbage over {at}..{at + span}";
                    return [.. Ascii(text[..at]), .. Garbage(random, span), .. Ascii(text[(at + span)..])];
                }

            case MutationKind.TruncatedLine:
                {
                    int[] insideLines = [.. Enumerable.Range(1, Math.Max(0, text.Length - 1)).Where(i => text[i - 1] != '\n' && text[i] != '\n')];
                    int at = insideLines.Length > 0 ? insideLines[random.Next(insideLines.Length)] : 0;
                    description = $"cut at {at}";
                    return Ascii(text[..at]);
                }

            default:
                description = $"{kind} at token {start}";
                return length == 0 ? [] : Apply(kind, text, start, length, hex, random);
        }
    }

    private static byte[] Garbage(Random random, int count) => [.. Enumerable.Range(0, count).Select(_ => s_garbage[random.Next(s_garbage.Length)])];

    private static byte[] Ascii(string text) => Encoding.Latin1.GetBytes(text);
}
