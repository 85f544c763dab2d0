using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace NetDrop.Sinks.Telemetry;

/// <summary>
/// Exports log records (CRIT and recovery records, operational events) on a thread of its own, and keeps what a failed
/// export could not deliver: the records wait in a bounded queue, oldest first, and are sent again, in order and ahead
/// of newer ones, when the collector answers again.
/// </summary>
/// <remarks>
/// <para>
/// Why not the SDK's batch processor: it drops a batch the exporter failed to send. The OTLP exporter's own
/// <c>OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY=in_memory</c> retries a request only until the export timeout
/// (OtlpExporterRetryTransmissionHandler: the deadline is the request's), so it covers a blip, not an outage;
/// <c>=disk</c> needs a writable directory (the DaemonSet's root is read-only), retries every 60 s, and resends stored
/// blobs in directory order after newer records have gone straight through: out of order.
/// </para>
/// <para>
/// The bound: <see cref="Capacity"/> records (1000 by default: 83 minutes of CRIT intervals at the default 5 s, 10
/// minutes at 0.6 s; a CRIT record is ~3 KB with its copied strings, so ~3 MB, plus one batch in flight). When it is full the oldest record is dropped, counted, and
/// said once per outage (event <see cref="LogEventIds.ExportRecordsDropped"/>, on stderr and, once delivered, over
/// OTLP with the count).
/// </para>
/// <para>
/// The logging thread (for CRIT records, the sampling thread) only copies the record and enqueues it under a lock the
/// export thread holds for queue operations only, never across a network call; it never waits for the collector.
/// After a failure the export thread waits <see cref="InitialBackoff"/>, doubling to <see cref="MaxBackoff"/>, before
/// the next attempt; records arriving meanwhile just queue.
/// </para>
/// </remarks>
internal sealed class RetainingLogRecordProcessor : BaseExportProcessor<LogRecord>
{
    public const int DefaultCapacity = 1000;

    // The OTLP exporter sends one request per batch; 512 is the SDK batch processor's default batch size.
    private const int MaxBatchSize = 512;

    // A plain object, not System.Threading.Lock: flushes wait on it with Monitor.Wait.
    private readonly object _gate = new();
    private readonly Queue<LogRecord> _pending = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly AutoResetEvent _flush = new(false);
    private readonly ManualResetEvent _stop = new(false);
    private readonly ExportHealth _health;
    private readonly OperationalLog _log;
    private readonly Thread _thread;
    private int _inFlight;
    private long _attempts;
    private bool _lastAttemptFailed;
    private long _droppedInOutage;
    private bool _dropSaid;
    private bool _disposed;

    public RetainingLogRecordProcessor(BaseExporter<LogRecord> exporter, ExportHealth health, OperationalLog log,
        int capacity = DefaultCapacity, TimeSpan? initialBackoff = null, TimeSpan? maxBackoff = null)
        : base(exporter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _health = health;
        _log = log;
        Capacity = capacity;
        InitialBackoff = initialBackoff ?? TimeSpan.FromSeconds(1);
        MaxBackoff = maxBackoff ?? TimeSpan.FromSeconds(10);
        _thread = new Thread(Run) { IsBackground = true, Name = "NetDrop log export" };
        _thread.Start();
    }

    /// <summary>Most records kept while the collector is unreachable.</summary>
    public int Capacity { get; }

    /// <summary>The wait after the first failed attempt. The default value is 1 second.</summary>
    public TimeSpan InitialBackoff { get; }

    /// <summary>The longest wait between attempts while failing. The default value is 10 seconds.</summary>
    public TimeSpan MaxBackoff { get; }

    /// <summary>Records waiting to be delivered (queued or in the request being sent).</summary>
    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count + _inFlight;
            }
        }
    }

    /// <summary>Records dropped by the bound since start.</summary>
    public long DroppedCount { get; private set; }

    protected override void OnExport(LogRecord data)
    {
        LogRecord copy = LogRecordCopy.Of(data);
        lock (_gate)
        {
            _pending.Enqueue(copy);
            TrimToCapacity();
        }

        _wake.Set();
    }

    protected override bool OnForceFlush(int timeoutMilliseconds)
    {
        long started = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            long attemptsBefore = _attempts;
            _wake.Set();
            _flush.Set();
            while (_pending.Count + _inFlight > 0 && !(_attempts > attemptsBefore && _lastAttemptFailed))
            {
                int remaining = Remaining(timeoutMilliseconds, started);
                if (remaining == 0 || !Monitor.Wait(_gate, remaining))
                {
                    break;
                }
            }

            if (_pending.Count + _inFlight > 0)
            {
                return false;
            }
        }

        return exporter.ForceFlush(Remaining(timeoutMilliseconds, started));
    }

    // The export thread makes one last attempt with what is queued, then the exporter shuts down in the time left.
    protected override bool OnShutdown(int timeoutMilliseconds)
    {
        long started = Stopwatch.GetTimestamp();
        _stop.Set();
        bool joined = timeoutMilliseconds == Timeout.Infinite ? _thread.Join(Timeout.Infinite) : _thread.Join(timeoutMilliseconds);
        bool delivered = PendingCount == 0;
        return exporter.Shutdown(Remaining(timeoutMilliseconds, started)) && joined && delivered;
    }

    protected override void Dispose(bool disposing)
    {
        if (!_disposed && disposing)
        {
            _disposed = true;
            _stop.Set();
            _thread.Join(TimeSpan.FromSeconds(1));
            _wake.Dispose();
            _flush.Dispose();
            _stop.Dispose();
        }

        base.Dispose(disposing);
    }

    private static int Remaining(int timeoutMilliseconds, long started) =>
        timeoutMilliseconds == Timeout.Infinite
            ? Timeout.Infinite
            : (int)Math.Max(0, timeoutMilliseconds - Stopwatch.GetElapsedTime(started).TotalMilliseconds);

    private void Run()
    {
        WaitHandle[] idle = [_stop, _wake];
        WaitHandle[] backingOff = [_stop, _flush];
        TimeSpan backoff = TimeSpan.Zero;
        bool stopping = false;
        LogRecord[] batch = new LogRecord[MaxBatchSize];
        while (true)
        {
            if (!stopping)
            {
                // While failing only a stop or a flush cuts the wait short: new records just queue.
                int signalled = backoff == TimeSpan.Zero
                    ? WaitHandle.WaitAny(idle)
                    : WaitHandle.WaitAny(backingOff, backoff);
                stopping = signalled == 0;
            }

            bool delivered = true;
            while (delivered && TakeBatch(batch) is int count and > 0)
            {
                delivered = Send(batch, count);
                backoff = delivered ? TimeSpan.Zero : NextBackoff(backoff);
            }

            if (delivered)
            {
                SayDroppedAfterRecovery();
            }

            if (stopping)
            {
                return;
            }
        }
    }

    private TimeSpan NextBackoff(TimeSpan backoff) =>
        backoff == TimeSpan.Zero ? InitialBackoff : TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));

    private int TakeBatch(LogRecord[] batch)
    {
        lock (_gate)
        {
            int count = 0;
            while (count < batch.Length && _pending.TryDequeue(out LogRecord? record))
            {
                batch[count++] = record;
            }

            _inFlight = count;
            return count;
        }
    }

    private bool Send(LogRecord[] batch, int count)
    {
        ExportResult result;
        try
        {
            result = exporter.Export(new Batch<LogRecord>(batch, count));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The OTLP exporter catches its own transport errors; anything else must not kill the export thread.
            result = ExportResult.Failure;
        }

        bool delivered = result == ExportResult.Success;

        // Before the records are released, so a flush that sees them delivered also sees the event said. Outside the
        // lock: the health event is a log record itself and comes back through OnExport.
        _health.Report(delivered);
        bool sayDropped = false;
        lock (_gate)
        {
            _inFlight = 0;
            if (!delivered)
            {
                // Back to the front, ahead of what arrived meanwhile, so order is kept; then the oldest go if over.
                LogRecord[] newer = [.. _pending];
                _pending.Clear();
                for (int i = 0; i < count; i++)
                {
                    _pending.Enqueue(batch[i]);
                }

                foreach (LogRecord record in newer)
                {
                    _pending.Enqueue(record);
                }

                TrimToCapacity();
                sayDropped = _droppedInOutage > 0 && !_dropSaid;
                _dropSaid |= sayDropped;
            }

            Array.Clear(batch, 0, count);
            _attempts++;
            _lastAttemptFailed = !delivered;
            Monitor.PulseAll(_gate);
        }

        if (sayDropped)
        {
            _log.Write(LogLevel.Warning, LogEventIds.ExportRecordsDropped,
                string.Create(CultureInfo.InvariantCulture, $"the collector is still unreachable and {Capacity} log records are waiting for it: the oldest are being dropped (CRIT records included); the count is said when it recovers"),
                KeyValuePair.Create<string, object?>(NetDropSemanticConventions.AttributeRetentionCapacity, (long)Capacity));
        }

        return delivered;
    }

    private void SayDroppedAfterRecovery()
    {
        long dropped;
        lock (_gate)
        {
            dropped = _droppedInOutage;
            _droppedInOutage = 0;
            _dropSaid = false;
        }

        if (dropped > 0)
        {
            _log.Write(LogLevel.Warning, LogEventIds.ExportRecordsDropped,
                string.Create(CultureInfo.InvariantCulture, $"{dropped} log records (the oldest, CRIT records included) were dropped during the collector outage: at most {Capacity} are kept"),
                KeyValuePair.Create<string, object?>(NetDropSemanticConventions.AttributeDroppedRecords, dropped),
                KeyValuePair.Create<string, object?>(NetDropSemanticConventions.AttributeRetentionCapacity, (long)Capacity));
        }
    }

    // Called under _gate. A batch in flight is not counted (its records are older than everything queued): it is
    // trimmed, oldest first, if it fails and comes back, so memory holds at most Capacity plus one batch meanwhile.
    private void TrimToCapacity()
    {
        while (_pending.Count > Capacity)
        {
            _pending.Dequeue();
            _droppedInOutage++;
            DroppedCount++;
        }
    }
}
