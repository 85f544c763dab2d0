using System.Text;
using NetDrop.Kernel;
using NetDrop.Sampling;

namespace NetDrop.Csv;

/// <summary>
/// Appends one row per interval to the seed-compatible CSV, writing the header whenever the file is new or was
/// emptied (first start, logrotate <c>copytruncate</c>, rename-and-create). Each row is one <c>write(2)</c>, so a
/// reader never sees half a row and the row is in the file when the interval is reported.
/// </summary>
internal sealed class CsvSink : IIntervalSink, IDisposable
{
    private static readonly byte[] s_header = Encoding.ASCII.GetBytes(CsvSchema.Header + "\n");

    private readonly AppendOnlyFile _file;
    private readonly CsvRowFormatter _formatter = new();
    private readonly long _maxSizeBytes;
    private readonly int _maxFiles;

    /// <param name="maxSizeBytes">Rotate before a row would take the file past this size; 0 leaves rotation to logrotate.</param>
    /// <param name="maxFiles">Rotated files kept: <c>path.1</c> (newest) to <c>path.N</c>.</param>
    public CsvSink(string path, long maxSizeBytes = 0, int maxFiles = 5)
    {
        _file = new AppendOnlyFile(path);
        _maxSizeBytes = maxSizeBytes;
        _maxFiles = maxFiles;
    }

    public string Path => _file.Path;

    /// <summary>Opens (or creates) the file and writes the header if it is empty: a bad path fails at start, not later.</summary>
    public void Open()
    {
        if (_file.EnsureOpen())
        {
            _file.Write(s_header);
        }
    }

    public void Write(IntervalReport report)
    {
        ReadOnlySpan<byte> row = _formatter.Format(report);
        if (_maxSizeBytes > 0 && _file.Length + row.Length > _maxSizeBytes)
        {
            Rotate();
        }

        Open();
        _file.Write(row);
    }

    // In a pod nothing runs logrotate: shift path.N-1 → path.N … path → path.1, and start a new file with its header.
    // The rename is noticed by AppendOnlyFile, which reopens the path at the next write.
    private void Rotate()
    {
        string path = _file.Path;
        File.Delete($"{path}.{_maxFiles}");
        for (int i = _maxFiles - 1; i >= 1; i--)
        {
            if (File.Exists($"{path}.{i}"))
            {
                File.Move($"{path}.{i}", $"{path}.{i + 1}");
            }
        }

        File.Move(path, path + ".1");
    }

    public void Dispose()
    {
        _file.Flush();
        _file.Dispose();
    }
}
