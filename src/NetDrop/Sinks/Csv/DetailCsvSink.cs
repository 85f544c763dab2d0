using NetDrop.Deltas;
using NetDrop.Model;

namespace NetDrop.Sinks.Csv;

/// <summary>
/// Appends each interval's detail rows (<see cref="DetailCsvSchema"/>: one per non-zero interface, slave, CPU … series)
/// to the detail CSV, with the seed CSV's file discipline: the block is formatted on the sampling thread into a
/// pre-allocated buffer of a bounded <see cref="SinkQueue{T}"/> and written by the queue's thread through
/// <see cref="CsvLogWriter"/> (<c>O_APPEND</c>, one <c>write(2)</c> per interval, header into every new or emptied
/// file, logrotate's rename followed, fsync at stop). An interval with no non-zero series writes nothing.
/// </summary>
internal sealed class DetailCsvSink : IIntervalSink, IDisposable
{
    private readonly CsvLogWriter _log;
    private readonly DetailCsvFormatter _formatter = new();
    private SinkQueue<byte>? _queue;

    /// <param name="maxSizeBytes">Rotate before a block would take the file past this size; 0 leaves rotation to logrotate.</param>
    /// <param name="maxFiles">Rotated files kept: <c>path.1</c> (newest) to <c>path.N</c>.</param>
    /// <param name="say">Where the sink says that the file failed, recovered, was moved aside (stderr).</param>
    public DetailCsvSink(string path, long maxSizeBytes = 0, int maxFiles = 5, Action<string>? say = null, TimeProvider? time = null)
    {
        _log = new CsvLogWriter(path, DetailCsvSchema.Header, seedHeader: null, "--csv-detail", maxSizeBytes, maxFiles, say ?? (_ => { }), time ?? TimeProvider.System);
    }

    public string Path => _log.Path;

    /// <summary>Intervals queued and not yet in the file.</summary>
    public long RowsPending => _queue?.Pending ?? 0;

    /// <summary>Checks and opens the file on the calling thread, so a wrong path fails at start (<see cref="CsvLogException"/>).</summary>
    public void Open()
    {
        if (_queue is not null)
        {
            return;
        }

        _log.Open();
        _queue = new SinkQueue<byte>("netdrop-detail", CsvSink.QueueCapacity, entryLength: 512, _log);
    }

    public void Write(IntervalReport report)
    {
        SinkQueue<byte> queue = _queue ?? throw new InvalidOperationException("DetailCsvSink.Write before Open");
        if (!queue.TryReserve(out int slot))
        {
            return;
        }

        // An interval without a non-zero series leaves the slot unpublished: the next interval formats into it.
        int length = _formatter.Format(report, ref queue.Entry(slot));
        if (length > 0)
        {
            queue.Publish(slot, length);
        }
    }

    /// <summary>Writes every queued block and fsyncs, waiting up to <paramref name="timeout"/>; false if the file was still busy.</summary>
    public bool Complete(TimeSpan timeout) => _queue is null || _queue.Complete(timeout);

    /// <summary>Waits until every block queued so far is in the file (tests); false on timeout.</summary>
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
        if (Complete(CsvSink.StopTimeout))
        {
            _queue?.Dispose();
            _log.Dispose();
        }
    }
}
