using System.Globalization;
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

        int valueIndex = 0;
        bool isHeader = true;
        foreach (ReadOnlySpan<byte> line in new ProcLines(content))
        {
            if (!isHeader)
            {
                valueIndex = ParseValues(line, valueIndex);
            }

            isHeader = !isHeader;
        }
    }

    private int ParseValues(ReadOnlySpan<byte> line, int valueIndex)
    {
        int colon = line.IndexOf((byte)':');
        ReadOnlySpan<byte> rest = colon < 0 ? default : line[(colon + 1)..];
        foreach (Range range in rest.Split((byte)' '))
        {
            ReadOnlySpan<byte> field = rest[range];
            if (field.IsEmpty)
            {
                continue;
            }

            if (valueIndex >= Values.Length)
            {
                break; // a truncated header with more values than names: ignore the extra values
            }

            // "Tcp: MaxConn" is signed (-1 means dynamic); it is a setting, not a counter, and nothing deltas it.
            if (!ulong.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out Values[valueIndex]))
            {
                Values[valueIndex] = long.TryParse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long signed)
                    ? unchecked((ulong)signed)
                    : 0;
            }

            valueIndex++;
        }

        return valueIndex;
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
