using System.Text;

namespace NetDrop.Kernel.Procfs;

/// <summary>
/// Reads a <c>/proc/net/stat/*</c> table: a header line of column names, then one line per <em>possible</em> CPU of
/// zero-padded hex values, separated by runs of spaces (or tabs, in <c>synproxy</c>):
/// <code>
/// entries  clashres found new invalid ignore delete chainlength insert insert_failed drop early_drop icmp_error  expect_new expect_create expect_delete search_restart
/// 00000000  00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000  00000000 00000000 00000000 00000000
/// </code>
/// <c>nf_conntrack</c> is printed by ct_cpu_seq_show (net/netfilter/nf_conntrack_standalone.c, <c>%08x</c> of the
/// per-CPU <c>unsigned int</c>s of struct ip_conntrack_stat, one table per network namespace); <c>arp_cache</c> and
/// <c>ndisc_cache</c> by neigh_stat_seq_show (net/core/neighbour.c, <c>%08lx</c> of the per-CPU <c>unsigned long</c>s
/// of struct neigh_statistics: up to 16 digits on a 64-bit kernel). The neighbour tables are created under
/// <c>init_net.proc_net_stat</c> only (neigh_table_init) and count for every namespace at once: inside another
/// namespace the file is absent.
/// </summary>
/// <remarks>
/// <para>
/// The header is the schema: columns are found by name (conntrack renamed <c>searched</c> to <c>clashres</c> and
/// <c>delete_list</c> to <c>chainlength</c>; neighbour tables gained <c>unresolved_discards</c> and
/// <c>table_fulls</c>), and resolved again only when the header's bytes change. A column's value is the sum over the
/// CPU lines, except the <c>entries</c> gauge: both show functions print one global count (nf_conntrack_count(net),
/// <c>atomic_read(&amp;tbl-&gt;entries)</c>) on every CPU line, so it is taken from the last line, never summed.
/// </para>
/// <para>
/// NOTE: one malformed line spoils the whole read, as in <see cref="SoftnetStatFile"/>: a CPU line that went missing
/// would make every sum fall, which the delta engine must take for a reset. Per-CPU values stay available
/// (<see cref="TryGetCpuValue"/>) because conntrack's per-CPU counters are 32-bit and wrap one CPU at a time, which
/// only a per-CPU delta can follow; a line's position is the possible-CPU index, which does not change while the
/// system runs (cpu_possible_mask is fixed at boot).
/// </para>
/// </remarks>
internal sealed class ProcNetStatFile : NamedCounterFile<string>
{
    /// <summary>The column that both kernel formats print as one global gauge on every CPU line.</summary>
    public const string EntriesColumn = "entries";

    private bool[] _isGauge = [];
    private ulong[] _cpuValues = []; // CPU line-major: _cpuValues[line * columns + column]
    private int _columnCount;

    public ProcNetStatFile(string path)
        : base(path, initialCapacity: 256 * Math.Max(4, Environment.ProcessorCount))
    {
    }

    /// <summary>CPU lines of the last parse; 0 when it failed.</summary>
    public int CpuCount { get; private set; }

    /// <summary>Whether the last parse read the whole table (every line well formed).</summary>
    public bool IsValid { get; private set; }

    /// <summary>
    /// Reads and parses the file. False with the errno when it cannot be read: <c>ENOENT</c> when it does not exist (no
    /// conntrack module loaded, no IPv6, or a neighbour table read from a namespace other than the initial one), or
    /// <c>EBADMSG</c> when the text is not what the kernel prints (see <see cref="Parse"/>).
    /// </summary>
    public bool TryReadTable(out int errno)
    {
        if (!TryRead(out errno))
        {
            IsValid = false;
            CpuCount = 0;
            return false;
        }

        if (!IsValid)
        {
            errno = Interop.Errno.EBADMSG;
            return false;
        }

        return true;
    }

    /// <summary>The column's value on one CPU line (0-based) of the last parse; false when absent or invalid.</summary>
    public bool TryGetCpuValue(int handle, int cpuLine, out ulong value)
    {
        value = 0;
        if (!IsValid || (uint)cpuLine >= (uint)CpuCount || !TryGetSlot(handle, out int column))
        {
            return false;
        }

        value = _cpuValues[(cpuLine * _columnCount) + column];
        return true;
    }

    /// <summary>
    /// Parses content already read. Every column is valid, or none is: the header must be followed by at least one
    /// CPU line (a host has one possible CPU at least), every CPU line must end in <c>\n</c> and hold exactly one hex
    /// value of 1 to 16 digits per header name, and no sum may pass 2^64.
    /// </summary>
    public override void Parse(ReadOnlySpan<byte> content)
    {
        IsValid = false;
        CpuCount = 0;
        Valid.Clear();

        var lines = new ProcLines(content);
        if (!lines.MoveNext() || !lines.CurrentIsTerminated)
        {
            return;
        }

        ReadOnlySpan<byte> header = lines.Current;
        if (!HasSchema || !header.SequenceEqual(Schema))
        {
            Resolve(header);
        }

        if (_columnCount == 0)
        {
            return;
        }

        Span<ulong> sums = Values;
        sums.Clear();
        int line = 0;
        while (lines.MoveNext())
        {
            if (!lines.CurrentIsTerminated || !ParseCpuLine(lines.Current, line, sums))
            {
                sums.Clear();
                return;
            }

            line++;
        }

        if (line == 0)
        {
            return;
        }

        CpuCount = line;
        IsValid = true;
        Valid.Fill(true);
    }

    private bool ParseCpuLine(ReadOnlySpan<byte> text, int line, Span<ulong> sums)
    {
        int needed = (line + 1) * _columnCount;
        if (_cpuValues.Length < needed)
        {
            // Grows once, to the number of possible CPUs; steady-state reads allocate nothing.
            Array.Resize(ref _cpuValues, Math.Max(needed, _cpuValues.Length * 2));
        }

        Span<ulong> row = _cpuValues.AsSpan(line * _columnCount, _columnCount);
        int column = 0;
        foreach (Range range in text.SplitAny((byte)' ', (byte)'\t'))
        {
            ReadOnlySpan<byte> field = text[range];
            if (field.IsEmpty)
            {
                continue; // the formats pad with runs of spaces
            }

            if (column == _columnCount || !KernelNumbers.TryParseHex64(field, out row[column]))
            {
                return false;
            }

            if (_isGauge[column])
            {
                sums[column] = row[column];
            }
            else if (ulong.MaxValue - sums[column] < row[column])
            {
                return false;
            }
            else
            {
                sums[column] += row[column];
            }

            column++;
        }

        return column == _columnCount;
    }

    private void Resolve(ReadOnlySpan<byte> header)
    {
        var slotsByName = new Dictionary<string, int>(StringComparer.Ordinal);
        var gauges = new List<bool>();
        foreach (Range range in header.SplitAny((byte)' ', (byte)'\t'))
        {
            if (header[range].IsEmpty)
            {
                continue;
            }

            string name = Encoding.ASCII.GetString(header[range]);
            slotsByName.TryAdd(name, gauges.Count);
            gauges.Add(name == EntriesColumn);
        }

        _isGauge = [.. gauges];
        _columnCount = gauges.Count;
        Resolve(slotsByName, _columnCount, header.ToArray());
    }
}
