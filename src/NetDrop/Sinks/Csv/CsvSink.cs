using NetDrop.Deltas;
using NetDrop.Model;

namespace NetDrop.Sinks.Csv;

/// <summary>
/// Appends one row per interval to the seed-compatible CSV without ever delaying the sampling thread: the row is
/// formatted there, into a pre-allocated buffer of a bounded queue, and written by the queue's own thread
/// (<see cref="CsvLogWriter"/>), one <c>write(2)</c> per row. A hung NFS mount or a full disk holds up only that
/// thread; rows wait in the queue (up to <see cref="QueueCapacity"/>) and are written, in order, when the file can
/// be written again. When the queue is full the newest row is dropped, counted and said.
/// </summary>
internal sealed class CsvSink : IIntervalSink, IDisposable
{
    /// <summary>Rows kept while the file cannot be written: 85 minutes at the default 5 s interval.</summary>
    public const int QueueCapacity = 1024;

    /// <summary>How long stopping waits for the queued rows and the fsync (bounded: the file may hang).</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly CsvLogWriter _log;
    private readonly CsvRowFormatter _formatter = new();
    private SinkQueue<byte>? _queue;

    /// <param name="maxSizeBytes">Rotate before a row would take the file past this size; 0 leaves rotation to logrotate.</param>
    /// <param name="maxFiles">Rotated files kept: <c>path.1</c> (newest) to <c>path.N</c>.</param>
    /// <param name="say">Where the sink says that the file failed, recovered, was moved aside (stderr).</param>
    /// <param name="schema">The columns; <see cref="CsvSchema.Default"/> (the product's categories) when null.</param>
    public CsvSink(string path, long maxSizeBytes = 0, int maxFiles = 5, Action<string>? say = null, TimeProvider? time = null, CsvSchema? schema = null)
    {
        _log = new CsvLogWriter(path, schema ?? CsvSchema.Default, maxSizeBytes, maxFiles, say ?? (_ => { }), time ?? TimeProvider.System);
    }

    public string Path => _log.Path;

    /// <summary>Whether the file could not be written at the last try (its rows are waiting in the queue).</summary>
    public bool IsFailing => _log.IsFailing;

    /// <summary>Rows dropped so far because the queue was full.</summary>
    public long RowsDropped => _queue?.Dropped ?? 0;

    /// <summary>Rows queued and not yet in the file.</summary>
    public long RowsPending => _queue?.Pending ?? 0;

    /// <summary>
    /// Checks and opens the file on the calling thread, so a wrong path fails at start (<see cref="CsvLogException"/>);
    /// moves a file with another header aside; then starts the writer thread.
    /// </summary>
    public void Open()
    {
        if (_queue is not null)
        {
            return;
        }

        _log.Open();
        _queue = new SinkQueue<byte>("netdrop-csv", QueueCapacity, entryLength: 512, _log);
    }

    public void Write(IntervalReport report)
    {
        SinkQueue<byte> queue = _queue ?? throw new InvalidOperationException("CsvSink.Write before Open");
        if (queue.TryReserve(out int slot))
        {
            queue.Publish(slot, _formatter.Format(report, ref queue.Entry(slot)));
        }
    }

    /// <summary>
    /// Writes every queued row and fsyncs, waiting up to <paramref name="timeout"/>; no row is taken after this.
    /// Returns false if the file was still busy (a hung write) when the time was up.
    /// </summary>
    public bool Complete(TimeSpan timeout) => _queue is null || _queue.Complete(timeout);

    /// <summary>Waits until every row queued so far is in the file (tests); false on timeout or while failing.</summary>
    public bool WaitUntilWritten(TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (RowsPending > 0)
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            Thread.Sleep(1);
        }

        return true;
    }

    public void Dispose()
    {
        if (Complete(StopTimeout))
        {
            _queue?.Dispose();
            _log.Dispose();
        }
    }
}
