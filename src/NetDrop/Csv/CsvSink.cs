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

    public CsvSink(string path)
    {
        _file = new AppendOnlyFile(path);
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
        Open();
        _file.Write(_formatter.Format(report));
    }

    public void Dispose()
    {
        _file.Flush();
        _file.Dispose();
    }
}
