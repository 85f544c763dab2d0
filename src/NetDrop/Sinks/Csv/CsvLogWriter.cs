using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using NetDrop.Kernel;
using NetDrop.Model;

namespace NetDrop.Sinks.Csv;

/// <summary>
/// The file end of the CSV sink, run on the sink's own thread: follows the path (logrotate's rename-and-create, a
/// removed file or directory), writes the header into every new or emptied file, rotates by size when asked, and
/// when the file cannot be written (disk full, read-only, directory gone) says so once, keeps the row for the next
/// try, and says so again when rows go through. No row is ever torn or glued (see <see cref="AppendOnlyFile"/>).
/// </summary>
internal sealed class CsvLogWriter : ISinkWriter<byte>, IDisposable
{
    private readonly byte[] _header;
    private readonly byte[]? _seedHeader;
    private readonly string _option;

    private readonly AppendOnlyFile _file;
    private readonly long _maxSizeBytes;
    private readonly int _maxFiles;
    private readonly Action<string> _say;
    private readonly TimeProvider _time;
    private int _failingErrno;
    private bool _rotationFailing;

    /// <summary>The seed-compatible CSV of <paramref name="schema"/>, chosen by <c>--csv</c>.</summary>
    public CsvLogWriter(string path, CsvSchema schema, long maxSizeBytes, int maxFiles, Action<string> say, TimeProvider time)
        : this(path, schema.Header, string.Join(',', schema.Columns[..(CsvSchema.SeverityIndex + 1)]), "--csv", maxSizeBytes, maxFiles, say, time)
    {
    }

    /// <param name="header">The file's header line, without its newline; a file that starts with another is moved aside.</param>
    /// <param name="seedHeader">The header that marks a file as the seed's (moved to <c>.seed-…</c>, not <c>.old-…</c>); null for none.</param>
    /// <param name="option">The flag that names the path, quoted when the path cannot be used.</param>
    public CsvLogWriter(string path, string header, string? seedHeader, string option, long maxSizeBytes, int maxFiles, Action<string> say, TimeProvider time)
    {
        _header = Encoding.ASCII.GetBytes(header + "\n");
        _seedHeader = seedHeader is null ? null : Encoding.ASCII.GetBytes(seedHeader + "\n");
        _option = option;
        _file = new AppendOnlyFile(path);
        _maxSizeBytes = maxSizeBytes;
        _maxFiles = maxFiles;
        _say = say;
        _time = time;
    }

    public string Path => _file.Path;

    /// <summary>Whether the last attempt to write failed (the rows are waiting in the queue).</summary>
    public bool IsFailing => Volatile.Read(ref _failingErrno) != 0;

    /// <summary>Rows that were lost: dropped from a full queue, or still queued when the agent stopped.</summary>
    public long RowsLost { get; private set; }

    /// <summary>
    /// Start-up, on the caller's thread: moves a file of another format aside (never appends under a foreign header),
    /// then opens the file and writes the header into a new one. Throws <see cref="CsvLogException"/> when the path
    /// cannot work; a full or read-only disk only starts the sink in its failing state, retried every interval.
    /// </summary>
    public void Open()
    {
        MoveAsideIfForeign();
        int errno = _file.Refresh();
        if (errno == 0 && _file.Length == 0)
        {
            errno = _file.AppendLine(_header);
        }

        if (errno == 0)
        {
            return;
        }

        if (IsPathMistake(errno))
        {
            throw new CsvLogException($"cannot write the CSV log '{Path}'", errno);
        }

        Fail(errno);
    }

    public bool TryWrite(ReadOnlySpan<byte> row)
    {
        int errno = _file.Refresh();
        if (errno == 0 && _maxSizeBytes > 0 && _file.IsRegular && _file.Length > _header.Length && _file.Length + row.Length > _maxSizeBytes)
        {
            Rotate();
            errno = _file.Refresh(); // the path is free now: a new file, which gets the header below
        }

        if (errno == 0 && _file.Length == 0)
        {
            errno = _file.AppendLine(_header);
        }

        if (errno == 0)
        {
            errno = _file.AppendLine(row);
        }

        if (errno != 0)
        {
            Fail(errno);
            return false;
        }

        if (_failingErrno != 0)
        {
            Volatile.Write(ref _failingErrno, 0);
            _say($"csv: writing {Path} again");
        }

        return true;
    }

    public void OnDropped(long count)
    {
        RowsLost += count;
        _say(string.Create(CultureInfo.InvariantCulture, $"csv: {count} rows were dropped (the queue holds {CsvSink.QueueCapacity}) while {Path} could not be written"));
    }

    public void OnStopped(long unwritten)
    {
        if (unwritten > 0)
        {
            RowsLost += unwritten;
            _say(string.Create(CultureInfo.InvariantCulture, $"csv: {unwritten} rows could not be written to {Path} before exit"));
        }

        int errno = _file.Sync();
        if (errno != 0 && _failingErrno == 0)
        {
            _say($"csv: fsync {Path} failed: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }

    public void Dispose() => _file.Dispose();

    // The configuration is wrong, not the disk: retrying would not help, so the start fails with exit code 2.
    private static bool IsPathMistake(int errno) => errno is Interop.Errno.ENOENT or Interop.Errno.ENOTDIR or Interop.Errno.EISDIR
        or Interop.Errno.EACCES or Interop.Errno.EPERM or Interop.Errno.ELOOP or Interop.Errno.ENAMETOOLONG or Interop.Errno.EINVAL;

    private void Fail(int errno)
    {
        if (_failingErrno == 0)
        {
            _say(string.Create(CultureInfo.InvariantCulture,
                $"csv: cannot write {Path}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}); monitoring goes on, rows are kept (up to {CsvSink.QueueCapacity}) and the file is tried again every interval"));
        }

        Volatile.Write(ref _failingErrno, errno);
    }

    /// <summary>
    /// A file whose first line is not this version's header (the seed's 16 columns, an older NetDrop, something else)
    /// is renamed to <c>PATH.seed-yyyyMMdd-HHmmss</c> (or <c>.old-</c>) and a new file started: appending our rows
    /// under its header would make every row malformed to <c>analyze</c>. The name matches neither logrotate's
    /// <c>PATH.N</c> nor its dateext <c>PATH-DATE</c> patterns, nor a <c>*.log</c> glob, so no rotation deletes it.
    /// </summary>
    private void MoveAsideIfForeign()
    {
        Span<byte> head = stackalloc byte[_header.Length];
        int errno = _file.ReadHead(head, out int read);
        if (errno != 0)
        {
            return; // unreadable: Refresh says why (EACCES is a path mistake)
        }

        ReadOnlySpan<byte> start = head[..read];
        if (read == 0 || _header.AsSpan().StartsWith(start))
        {
            return; // empty, ours, or ours with a torn header (AppendOnlyFile cuts that off)
        }

        bool seed = _seedHeader is not null && start.StartsWith(_seedHeader.AsSpan(0, Math.Min(read, _seedHeader.Length)));
        string stamp = _time.GetLocalNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        string aside = $"{Path}.{(seed ? "seed" : "old")}-{stamp}";
        for (int attempt = 2; File.Exists(aside); attempt++)
        {
            aside = string.Create(CultureInfo.InvariantCulture, $"{Path}.{(seed ? "seed" : "old")}-{stamp}-{attempt}");
        }

        try
        {
            File.Move(Path, aside);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CsvLogException($"'{Path}' is not a NetDrop {VersionInfo.Version} CSV and cannot be moved aside ({ex.Message}); move it away or choose another {_option} path", ex);
        }

        _say($"csv: {Path} has {(seed ? "the seed's 16-column" : "another")} header; moved it to {aside} (netdrop analyze reads both) and started a new file");
    }

    // In a pod nothing runs logrotate: shift PATH.N-1 → PATH.N … PATH → PATH.1; the next Refresh creates a new file.
    private void Rotate()
    {
        try
        {
            File.Delete($"{Path}.{_maxFiles}");
            for (int i = _maxFiles - 1; i >= 1; i--)
            {
                if (File.Exists($"{Path}.{i}"))
                {
                    File.Move($"{Path}.{i}", $"{Path}.{i + 1}");
                }
            }

            File.Move(Path, Path + ".1");
            _rotationFailing = false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // FileNotFound included: the file was removed meanwhile, and Refresh creates a new one anyway.
            if (!_rotationFailing && ex is not FileNotFoundException)
            {
                _say($"csv: cannot rotate {Path} ({ex.Message}); appending past csv.max_size_mb until it can");
            }

            _rotationFailing = ex is not FileNotFoundException;
        }
    }
}
