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
    private int[] _nameCounts = []; // per header line of the current layout: how many names it has

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
        int pair = 0;
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
                int nameCount = pair < _nameCounts.Length ? _nameCounts[pair] : 0;
                ParseValues(header, line, lines.CurrentIsTerminated, valueIndex, nameCount);
                valueIndex += nameCount;
                pair++;
            }

            isHeader = !isHeader;
        }
    }

    /// <summary>
    /// Parses one value line into the fields <paramref name="first"/> … <paramref name="first"/> + <paramref name="count"/>
    /// of its header. The values count only when the line is the header's partner: same group, exactly as many values
    /// as names, and a terminating <c>\n</c> (netstat_seq_show prints both lines whole). Otherwise the whole group stays
    /// invalid: a cut-off or split line cannot say which of its numbers lost digits.
    /// </summary>
    /// <remarks>
    /// PERF: only the registered fields' numbers are parsed, and a group with none (<c>MPTcpExt</c>, <c>IcmpMsg</c>)
    /// is not walked at all: nothing ever asks for its values. The others are stepped over to the next space, still
    /// counted, so "as many values as names" holds as before. Skipping what nobody reads took a namespace's netstat +
    /// snmp parse from ~300 numbers parsed to the ~25 registered ones.
    /// </remarks>
    private void ParseValues(ReadOnlySpan<byte> header, ReadOnlySpan<byte> line, bool terminated, int first, int count)
    {
        int colon = line.IndexOf((byte)':');
        int end = first + count;
        if (count == 0 || !terminated || colon <= 0 || end > Values.Length ||
            header.Length <= colon || header[colon] != (byte)':' || !line[..colon].SequenceEqual(header[..colon]))
        {
            return;
        }

        ReadOnlySpan<bool> registered = Registered.Slice(first, count);
        if (!registered.Contains(true))
        {
            return;
        }

        // Fields are split on single spaces and empty ones skipped, as netstat_seq_show's " %lu" prints them (and as
        // a Split on ' ' would read a line with doubled spaces).
        ReadOnlySpan<byte> rest = line[(colon + 1)..];
        int field = 0;
        int position = 0;
        while (true)
        {
            while (position < rest.Length && rest[position] == (byte)' ')
            {
                position++;
            }

            if (position == rest.Length)
            {
                break;
            }

            if (field == count)
            {
                field++; // more values than names
                break;
            }

            int length = rest[position..].IndexOf((byte)' ');
            int stop = length < 0 ? rest.Length : position + length;
            if (registered[field])
            {
                // Digits only. "Tcp: MaxConn" is signed (-1 means dynamic, snmp_seq_show_tcp_udp prints it with %ld);
                // it is a setting, not a counter, so it reads as invalid like any other non-counter text.
                Valid[first + field] = KernelNumbers.TryParseDecimal(rest[position..stop], out Values[first + field]);
            }

            field++;
            position = stop;
        }

        if (field != count)
        {
            Valid[first..end].Clear();
        }
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
        var nameCounts = new List<int>();
        using var headers = new MemoryStream();
        int fieldCount = 0;
        bool isHeader = true;
        foreach (ReadOnlySpan<byte> line in new ProcLines(content))
        {
            if (isHeader)
            {
                headers.Write(line);
                int colon = line.IndexOf((byte)':');
                int before = fieldCount;
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

                nameCounts.Add(fieldCount - before);
            }

            isHeader = !isHeader;
        }

        _nameCounts = [.. nameCounts];
        Resolve(slotsByKey, fieldCount, headers.ToArray());
    }
}
