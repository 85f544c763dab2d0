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
        if (!HasSchema || !TryParseInLayout(content))
        {
            Resolve(content);
            _ = TryParseInLayout(content); // the layout was just read from this content: it matches
        }
    }

    /// <summary>
    /// Reads the registered values, checking each name against the current layout as it goes; false (values to be
    /// read again after a <see cref="Resolve(ReadOnlySpan{byte})"/>) as soon as a name differs.
    /// </summary>
    /// <remarks>
    /// PERF: one pass, and it ends after the last registered name. snmp6_seq_show (net/ipv6/proc.c) prints a fixed
    /// order, Ip6 (snmp6_ipstats_list), Icmp6 (snmp6_icmp6_list, then one <c>Icmp6InType%u</c>/<c>Icmp6OutType%u</c>
    /// line per type seen, snmp6_seq_show_icmpv6msg), Udp6, UdpLite6, so the lines after it can only hold names nobody
    /// asked for. The lines before it are all compared, because the Icmp6 type lines appear as types are first seen
    /// and shift everything after them. When a registered name is absent from the layout, every line is compared:
    /// it may appear further down.
    /// </remarks>
    private bool TryParseInLayout(ReadOnlySpan<byte> content)
    {
        Valid.Clear();
        ReadOnlySpan<byte> schema = Schema;
        ReadOnlySpan<bool> registered = Registered;
        int stopAfter = AllKeysFound ? LastRegisteredSlot : int.MaxValue;
        int index = 0;
        int nameStart = 0;
        var lines = new ProcLines(content);
        while (index <= stopAfter && lines.MoveNext())
        {
            ReadOnlySpan<byte> line = lines.Current;
            int nameLength = index < registered.Length ? schema[nameStart..].IndexOf((byte)'\n') : -1;
            if (nameLength < 0 || line.Length <= nameLength || !line.StartsWith(schema.Slice(nameStart, nameLength)) ||
                (line[nameLength] != (byte)' ' && line[nameLength] != (byte)'\t'))
            {
                if (!TrySplit(line, out _, out _))
                {
                    continue; // not a counter line, as Resolve skips it
                }

                return false; // another name here: the layout changed
            }

            if (registered[index])
            {
                // snmp6_seq_show_item prints "%-32s\t%lu\n": digits and a newline, nothing else. A cut-off last line
                // may have lost digits, so it counts only when terminated.
                ReadOnlySpan<byte> value = line[nameLength..].Trim(" \t"u8);
                Valid[index] = lines.CurrentIsTerminated && KernelNumbers.TryParseDecimal(value, out Values[index]);
            }

            nameStart += nameLength + 1;
            index++;
        }

        return index > stopAfter || index == registered.Length;
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
