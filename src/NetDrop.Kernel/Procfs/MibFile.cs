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
internal sealed class MibFile
{
    private readonly KernelFile _file;
    private readonly List<MibKey> _keys = [];
    private readonly List<int> _slots = []; // per key: index into _values, -1 if this kernel lacks the field
    private byte[] _headers = []; // every header line of the last schema, concatenated, to detect a change
    private int _headersLength = -1;
    private ulong[] _values = [];

    public MibFile(string path)
    {
        _file = new KernelFile(path, initialCapacity: 16 * 1024);
    }

    public string Path => _file.Path;

    /// <summary>Incremented whenever the header changed and the keys were resolved again.</summary>
    public int SchemaVersion { get; private set; }

    /// <summary>Registers a counter to read; returns the handle for <see cref="TryGetValue"/>.</summary>
    public int Register(MibKey key)
    {
        _keys.Add(key);
        _slots.Add(-1);
        _headersLength = -1; // resolve the new key at the next read
        return _keys.Count - 1;
    }

    /// <summary>Whether the last successful read found the key in this kernel's header.</summary>
    public bool IsPresent(int handle) => _slots[handle] >= 0;

    public bool TryGetValue(int handle, out ulong value)
    {
        int slot = _slots[handle];
        value = slot >= 0 ? _values[slot] : 0;
        return slot >= 0;
    }

    /// <summary>Reads the file and parses every registered key. Returns false with the errno if it cannot be read.</summary>
    public bool TryRead(out int errno)
    {
        if (!_file.TryRead(out ReadOnlySpan<byte> content, out errno))
        {
            return false;
        }

        Parse(content);
        return true;
    }

    /// <summary>Parses content already read (fixtures and benchmarks feed bytes directly).</summary>
    public void Parse(ReadOnlySpan<byte> content)
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

            if (valueIndex >= _values.Length)
            {
                break; // a truncated header with more values than names: ignore the extra values
            }

            // "Tcp: MaxConn" is signed (-1 means dynamic); it is a setting, not a counter, and nothing deltas it.
            if (!ulong.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out _values[valueIndex]))
            {
                _values[valueIndex] = long.TryParse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long signed)
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
        if (_headersLength < 0)
        {
            return false;
        }

        int offset = 0;
        bool isHeader = true;
        foreach (ReadOnlySpan<byte> line in new ProcLines(content))
        {
            if (isHeader)
            {
                if (offset + line.Length > _headersLength ||
                    !line.SequenceEqual(_headers.AsSpan(offset, line.Length)))
                {
                    return false;
                }

                offset += line.Length;
            }

            isHeader = !isHeader;
        }

        return offset == _headersLength;
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

        _headers = headers.ToArray();
        _headersLength = _headers.Length;
        _values = new ulong[fieldCount];
        for (int i = 0; i < _keys.Count; i++)
        {
            _slots[i] = slotsByKey.TryGetValue(_keys[i], out int slot) ? slot : -1;
        }

        SchemaVersion++;
    }
}
