using System.Globalization;

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

    public bool TryRead(out int errno)
    {
        if (!_file.TryRead(out ReadOnlySpan<byte> content, out errno))
        {
            return false;
        }

        Parse(content);
        return true;
    }

    /// <summary>Parses content already read. Lines with fewer than three values are skipped as malformed.</summary>
    public void Parse(ReadOnlySpan<byte> content)
    {
        Count = 0;
        int row = 0;
        foreach (ReadOnlySpan<byte> line in new ProcLines(content))
        {
            var cpu = new SoftnetCpu { Cpu = row };
            int column = 0;
            bool valid = true;
            foreach (Range fieldRange in line.Split((byte)' '))
            {
                ReadOnlySpan<byte> field = line[fieldRange];
                if (field.IsEmpty)
                {
                    continue;
                }

                if (!uint.TryParse(field, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint value))
                {
                    valid = false;
                    break;
                }

                switch (column)
                {
                    case 0: cpu.Processed = value; break;
                    case 1: cpu.Dropped = value; break;
                    case 2: cpu.TimeSqueeze = value; break;
                    case CpuIdColumn: cpu.Cpu = (int)value; break;
                }

                column++;
            }

            row++;
            if (!valid || column < 3)
            {
                continue;
            }

            if (Count == _cpus.Length)
            {
                Array.Resize(ref _cpus, _cpus.Length * 2);
            }

            _cpus[Count++] = cpu;
        }
    }
}
