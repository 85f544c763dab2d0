using System.Text;

namespace NetDrop.Kernel.Procfs;

/// <summary>
/// Reads the header/value line pairs of <c>/proc/net/netstat</c> and <c>/proc/net/snmp</c>
/// (net/ipv4/proc.c, <c>netstat_seq_show</c> and <c>snmp_seq_show</c>):
/// <code>
/// TcpExt: SyncookiesSent SyncookiesRecv SyncookiesFailed EmbryonicRsts PruneCalled RcvPruned ...
/// TcpExt: 0 0 0 0 30 0 ...
/// Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors
/// Udp: 1841 12 0 1853 0 0 0 0 0
/// </code>
/// The header is the schema: fields are added between kernel versions (and <c>IcmpMsg:</c> grows as new ICMP types
/// are seen), so a counter is found by name, never by position. Callers register the keys they want once; each
/// read re-resolves them only when the header bytes change.
/// </summary>
internal sealed class MibFile : NamedCounterFile<MibKey>
{
    public MibFile(string path)
        : base(path, initialCapacity: 16 * 1024)
    {
    }

    public override void Parse(ReadOnlySpan<byte> content)
    {
        if (!HeadersMatch(content))
        {
            Resolve(content);
        }

        Valid.Clear();
        int valueIndex = 0;
        bool isHeader = true;
        ReadOnlySpan<byte> header = default;
        var lines = new ProcLines(content);
        while (lines.MoveNext())
        {
            ReadOnlySpan<byte> line = lines.Current;
            if (isHeader)
            {
                header = line;
            }
            else
            {
                valueIndex = ParseValues(header, line, lines.CurrentIsTerminated, valueIndex);
            }

            isHeader = !isHeader;
        }
    }

    /// <summary>
    /// Parses one value line against its header and returns the index of the next group's first field. The line's
    /// values count only when it is the header's partner: same group, as many values as names, and a terminating
    /// <c>\n</c> (netstat_seq_show prints both lines whole). Otherwise the whole group stays invalid: a cut-off or
    /// split line cannot say which of its numbers lost digits.
    /// </summary>
    private int ParseValues(ReadOnlySpan<byte> header, ReadOnlySpan<byte> line, bool terminated, int valueIndex)
    {
        int headerColon = header.IndexOf((byte)':');
        if (headerColon <= 0)
        {
            return valueIndex; // Resolve counted no fields for a header without a group
        }

        ReadOnlySpan<byte> names = header[(headerColon + 1)..];
        int nameCount = CountFields(names);
        int colon = line.IndexOf((byte)':');
        if (!terminated || colon != headerColon || !line[..colon].SequenceEqual(header[..headerColon]))
        {
            return valueIndex + nameCount;
        }

        ReadOnlySpan<byte> rest = line[(colon + 1)..];
        if (CountFields(rest) != nameCount || valueIndex + nameCount > Values.Length)
        {
            return valueIndex + nameCount;
        }

        int index = valueIndex;
        foreach (Range range in rest.Split((byte)' '))
        {
            ReadOnlySpan<byte> field = rest[range];
            if (field.IsEmpty)
            {
                continue;
            }

            // Digits only. "Tcp: MaxConn" is signed (-1 means dynamic, snmp_seq_show_tcp_udp prints
            // it with %ld); it is a setting, not a counter, so it reads as invalid like any other non-counter text.
            Valid[index] = KernelNumbers.TryParseDecimal(field, out Values[index]);
            index++;
        }

        return valueIndex + nameCount;
    }

    private static int CountFields(ReadOnlySpan<byte> fields)
    {
        int count = 0;
        foreach (Range range in fields.Split((byte)' '))
        {
            if (!fields[range].IsEmpty)
            {
                count++;
            }
        }

        return count;
    }

    // PERF: the header lines are compared byte for byte with the last schema's; parsing names only happens when the
    // kernel's layout changes (practically never), so steady-state reads allocate nothing.
    private bool HeadersMatch(ReadOnlySpan<byte> content)
    {
        if (!HasSchema)
        {
            return false;
        }

        ReadOnlySpan<byte> headers = Schema;

        int offset = 0;
        bool isHeader = true;
        foreach (ReadOnlySpan<byte> line in new ProcLines(content))
        {
            if (isHeader)
            {
                if (offset + line.Length > headers.Length ||
                    !line.SequenceEqual(headers.Slice(offset, line.Length)))
                {
                    return false;
                }

                offset += line.Length;
            }

            isHeader = !isHeader;
        }

        return offset == headers.Length;
    }

    private void Resolve(ReadOnlySpan<byte> content)
    {
        var slotsByKey = new Dictionary<MibKey, int>();
        using var headers = new MemoryStream();
        int fieldCount = 0;
        bool isHeader = true;
        foreach (ReadOnlySpan<byte> line in new ProcLines(content))
        {
            if (isHeader)
            {
                headers.Write(line);
                int colon = line.IndexOf((byte)':');
                if (colon > 0)
                {
                    string group = Encoding.ASCII.GetString(line[..colon]);
                    ReadOnlySpan<byte> names = line[(colon + 1)..];
                    foreach (Range range in names.Split((byte)' '))
                    {
                        if (names[range].IsEmpty)
                        {
                            continue;
                        }

                        slotsByKey.TryAdd(new MibKey(group, Encoding.ASCII.GetString(names[range])), fieldCount);
                        fieldCount++;
                    }
                }
            }

            isHeader = !isHeader;
        }

        Resolve(slotsByKey, fieldCount, headers.ToArray());
    }
}
