namespace NetDrop.Kernel.Procfs;

/// <summary>
/// Reads <c>/proc/net/softnet_stat</c> (net/core/net-procfs.c, <c>softnet_seq_show</c>): one line per online CPU,
/// every value a zero-padded 32-bit hex number:
/// <code>
/// 000000ee 00000000 00000001 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000001 00000000 00000000
/// </code>
/// Column 1 is processed, 2 dropped, 3 time_squeeze. The column count grew across kernels (9 before 2.6.36,
/// 10 with received_rps, 11 with flow_limit_count, 13 with the backlog length and the CPU id, 15 with input_qlen
/// and process_qlen); offline CPUs are skipped, so the row number is the CPU id only on kernels without column 13.
/// </summary>
internal sealed class SoftnetStatFile
{
    private const int CpuIdColumn = 12; // zero-based: the 13th value

    private readonly KernelFile _file;
    private SoftnetCpu[] _cpus = new SoftnetCpu[Environment.ProcessorCount];

    public SoftnetStatFile(string path)
    {
        _file = new KernelFile(path, initialCapacity: 256 * Math.Max(4, Environment.ProcessorCount));
    }

    public string Path => _file.Path;

    /// <summary>The rows of the last read, one per online CPU.</summary>
    public ReadOnlySpan<SoftnetCpu> Cpus => _cpus.AsSpan(0, Count);

    public int Count { get; private set; }

    /// <summary>
    /// Reads and parses the file. Returns false with the errno when it cannot be read, or with <c>EBADMSG</c> when its
    /// text is not what <c>softnet_seq_show</c> prints (see <see cref="Parse"/>); <see cref="Cpus"/> is then empty.
    /// </summary>
    public bool TryRead(out int errno)
    {
        if (!_file.TryRead(out ReadOnlySpan<byte> content, out errno))
        {
            Count = 0;
            return false;
        }

        if (!Parse(content))
        {
            errno = Interop.Errno.EBADMSG;
            return false;
        }

        return true;
    }

    /// <summary>
    /// Parses content already read. Returns false, leaving no rows, unless every line is what softnet_seq_show prints:
    /// hex 32-bit values only, at least three, the same count on every line, each line ending in <c>\n</c>, and CPU ids
    /// (column 13) rising. A host always has one online CPU, so an empty file is malformed too. NOTE: one bad line
    /// spoils the whole read on purpose: a CPU row that went missing would look like a CPU going offline, and its
    /// next good row like a CPU coming back.
    /// </summary>
    public bool Parse(ReadOnlySpan<byte> content)
    {
        Count = 0;
        int row = 0;
        int columns = -1;
        var lines = new ProcLines(content);
        while (lines.MoveNext())
        {
            ReadOnlySpan<byte> line = lines.Current;
            var cpu = new SoftnetCpu { Cpu = row };
            int column = 0;
            foreach (Range fieldRange in line.Split((byte)' '))
            {
                ReadOnlySpan<byte> field = line[fieldRange];
                if (field.IsEmpty)
                {
                    continue;
                }

                if (!KernelNumbers.TryParseHex32(field, out uint value))
                {
                    return Malformed();
                }

                switch (column)
                {
                    case 0: cpu.Processed = value; break;
                    case 1: cpu.Dropped = value; break;
                    case 2: cpu.TimeSqueeze = value; break;
                    case CpuIdColumn: cpu.Cpu = (int)Math.Min(value, int.MaxValue); break;
                }

                column++;
            }

            if (!lines.CurrentIsTerminated || column < 3 || (columns >= 0 && column != columns) ||
                (Count > 0 && cpu.Cpu <= _cpus[Count - 1].Cpu))
            {
                return Malformed();
            }

            columns = column;
            row++;
            if (Count == _cpus.Length)
            {
                Array.Resize(ref _cpus, _cpus.Length * 2);
            }

            _cpus[Count++] = cpu;
        }

        return Count > 0 || Malformed();
    }

    private bool Malformed()
    {
        Count = 0;
        return false;
    }
}
