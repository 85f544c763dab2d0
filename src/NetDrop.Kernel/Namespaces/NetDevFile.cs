using System.Globalization;
using NetDrop.Kernel.Procfs;

namespace NetDrop.Kernel.Namespaces;

/// <summary>
/// Reads <c>/proc/net/dev</c> (net/core/net-procfs.c, <c>dev_seq_show</c>): two header lines, then one line per
/// interface of the reading task's network namespace, name right-aligned before a colon, then 16 counters:
/// <code>
/// Inter-|   Receive                                                |  Transmit
///  face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
///   eth0:  123456     789    0    3    0     0          0         0    98765     432    0    0    0     0       0          0
/// </code>
/// Through <c>/proc/PID/net/dev</c> it is the only per-interface source for another namespace's interfaces (the pod
/// side of a veth): sysfs shows the namespace of whoever mounted it.
/// </summary>
/// <remarks>
/// NOTE: a name never contains <c>:</c> or white space (net/core/dev.c, <c>dev_valid_name</c>), so the first colon
/// ends it; kernels before 3.x printed <c>"%6s:%8lu"</c> with no space after it, so numbers are split on spaces
/// after the colon, not at fixed columns. A line that is not a name and exactly 16 numbers, or that is cut off (no
/// <c>\n</c>), is skipped: its numbers cannot be trusted, and a missing interface is "not read", never 0.
/// </remarks>
internal sealed class NetDevFile
{
    private const int NameCapacity = 16; // IFNAMSIZ, including the NUL the file does not print

    private readonly KernelFile _file;
    private byte[] _names = new byte[8 * NameCapacity];
    private int[] _nameLengths = new int[8];
    private NetDevCounters[] _counters = new NetDevCounters[8];

    public NetDevFile(string path)
    {
        _file = new KernelFile(path, initialCapacity: 4096);
    }

    public string Path => _file.Path;

    /// <summary>How many interfaces the last parse read.</summary>
    public int Count { get; private set; }

    public ReadOnlySpan<byte> NameAt(int index) => _names.AsSpan(index * NameCapacity, _nameLengths[index]);

    public ref readonly NetDevCounters CountersAt(int index) => ref _counters[index];

    /// <summary>The index of the interface named <paramref name="name"/> (UTF-8) in the last parse, or -1.</summary>
    public int IndexOf(ReadOnlySpan<byte> name)
    {
        for (int i = 0; i < Count; i++)
        {
            if (NameAt(i).SequenceEqual(name))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Reads and parses the file. Returns false with the errno if it cannot be read.</summary>
    public bool TryRead(out int errno)
    {
        if (!_file.TryRead(out ReadOnlySpan<byte> content, out errno))
        {
            return false;
        }

        Parse(content);
        return true;
    }

    /// <summary>How many bytes the read buffer holds between reads.</summary>
    public int BufferCapacity => _file.Capacity;

    /// <summary>Shrinks the read buffer to fit the last read (<see cref="KernelFile.FitToLastRead"/>).</summary>
    public void FitBufferToLastRead() => _file.FitToLastRead();

    /// <summary>Closes the kept descriptor for good (<see cref="KernelFile.Close"/>): later reads fail with <c>EBADF</c>.</summary>
    public void Close() => _file.Close();

    public void Parse(ReadOnlySpan<byte> content)
    {
        Count = 0;
        var lines = new ProcLines(content);
        while (lines.MoveNext())
        {
            ReadOnlySpan<byte> line = lines.Current;
            int colon = line.IndexOf((byte)':');
            if (!lines.CurrentIsTerminated || colon < 0 || line.IndexOf((byte)'|') >= 0)
            {
                continue; // the two header lines have '|' and no colon-terminated name
            }

            ReadOnlySpan<byte> name = line[..colon].Trim((byte)' ');
            if (name.IsEmpty || name.Length >= NameCapacity || name.IndexOfAny((byte)' ', (byte)'\t') >= 0)
            {
                continue;
            }

            EnsureCapacity(Count + 1);
            ref NetDevCounters counters = ref _counters[Count];
            if (!TryParseCounters(line[(colon + 1)..], ref counters))
            {
                continue;
            }

            name.CopyTo(_names.AsSpan(Count * NameCapacity, NameCapacity));
            _nameLengths[Count] = name.Length;
            Count++;
        }
    }

    private static bool TryParseCounters(ReadOnlySpan<byte> rest, ref NetDevCounters counters)
    {
        int column = 0;
        foreach (Range range in rest.Split((byte)' '))
        {
            ReadOnlySpan<byte> field = rest[range];
            if (field.IsEmpty)
            {
                continue;
            }

            if (column == NetDevCounters.FieldCount ||
                !ulong.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value))
            {
                return false;
            }

            counters.Set(column++, value);
        }

        return column == NetDevCounters.FieldCount;
    }

    private void EnsureCapacity(int count)
    {
        if (count <= _counters.Length)
        {
            return;
        }

        int capacity = _counters.Length * 2;
        Array.Resize(ref _counters, capacity);
        Array.Resize(ref _nameLengths, capacity);
        Array.Resize(ref _names, capacity * NameCapacity);
    }
}
