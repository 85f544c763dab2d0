using System.Text;

namespace NetDrop.Kernel.Procfs;

/// <summary>
/// Reads <c>/proc/net/snmp6</c> (net/ipv6/proc.c, <c>snmp6_seq_show</c>): one counter per line, name then value,
/// padded with spaces and a tab:
/// <code>
/// Udp6RcvbufErrors                	0
/// Udp6SndbufErrors                	0
/// </code>
/// The file is absent when IPv6 is disabled (<c>ipv6.disable=1</c>), which callers treat as "no IPv6 traffic", not as
/// a failure. As with <see cref="MibFile"/>, keys are found by name and re-resolved only when the names change.
/// </summary>
internal sealed class Snmp6File : NamedCounterFile<string>
{
    public Snmp6File(string path)
        : base(path, initialCapacity: 8 * 1024)
    {
    }

    public override void Parse(ReadOnlySpan<byte> content)
    {
        if (!NamesMatch(content))
        {
            Resolve(content);
        }

        Valid.Clear();
        int index = 0;
        var lines = new ProcLines(content);
        while (lines.MoveNext())
        {
            if (!TrySplit(lines.Current, out _, out ReadOnlySpan<byte> value))
            {
                continue;
            }

            // snmp6_seq_show_item prints "%-32s\t%lu\n": digits and a newline, nothing else. A cut-off last line may
            // have lost digits, so it counts only when terminated.
            if (index < Values.Length)
            {
                Valid[index] = lines.CurrentIsTerminated &&
                    KernelNumbers.TryParseDecimal(value, out Values[index]);
            }

            index++;
        }
    }

    private static bool TrySplit(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        int gap = line.IndexOfAny((byte)' ', (byte)'\t');
        if (gap <= 0)
        {
            name = value = default;
            return false;
        }

        name = line[..gap];
        value = line[gap..].Trim(" \t"u8);
        return true;
    }

    private bool NamesMatch(ReadOnlySpan<byte> content)
    {
        if (!HasSchema)
        {
            return false;
        }

        ReadOnlySpan<byte> schema = Schema;

        int offset = 0;
        foreach (ReadOnlySpan<byte> line in new ProcLines(content))
        {
            if (!TrySplit(line, out ReadOnlySpan<byte> name, out _))
            {
                continue;
            }

            if (offset + name.Length + 1 > schema.Length ||
                !name.SequenceEqual(schema.Slice(offset, name.Length)) ||
                schema[offset + name.Length] != (byte)'\n')
            {
                return false;
            }

            offset += name.Length + 1;
        }

        return offset == schema.Length;
    }

    private void Resolve(ReadOnlySpan<byte> content)
    {
        var slotsByName = new Dictionary<string, int>(StringComparer.Ordinal);
        using var schema = new MemoryStream();
        int fieldCount = 0;
        foreach (ReadOnlySpan<byte> line in new ProcLines(content))
        {
            if (!TrySplit(line, out ReadOnlySpan<byte> name, out _))
            {
                continue;
            }

            // One slot per line, as Parse counts them: a name seen twice (a garbled read) keeps its first position.
            slotsByName.TryAdd(Encoding.ASCII.GetString(name), fieldCount);
            fieldCount++;
            schema.Write(name);
            schema.WriteByte((byte)'\n');
        }

        Resolve(slotsByName, fieldCount, schema.ToArray());
    }
}
