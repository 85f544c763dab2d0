using OpenTelemetry;
using OpenTelemetry.Logs;

namespace NetDrop.Tests.Telemetry;

/// <summary>
/// A log exporter standing in for a collector that can be down (every export fails), up (every export is kept), or
/// hung (an export blocks until released), recording the body of each record it was given while up, in order.
/// </summary>
internal sealed class SwitchableLogExporter : BaseExporter<LogRecord>
{
    private readonly List<string> _delivered = [];
    private readonly ManualResetEventSlim _released = new(true);
    private readonly ManualResetEventSlim _entered = new(false);

    public volatile bool Down;

    private int _failedExports;

    public int FailedExports => Volatile.Read(ref _failedExports);

    public IReadOnlyList<string> Delivered
    {
        get
        {
            lock (_delivered)
            {
                return [.. _delivered];
            }
        }
    }

    /// <summary>Makes the next exports block until <see cref="Release"/>.</summary>
    public void Hang() => _released.Reset();

    public void Release() => _released.Set();

    /// <summary>Waits until an export call has started (while hung, it is blocked inside it).</summary>
    public bool WaitUntilEntered(TimeSpan timeout) => _entered.Wait(timeout);

    public override ExportResult Export(in Batch<LogRecord> batch)
    {
        _entered.Set();
        _released.Wait(TimeSpan.FromSeconds(30));
        if (Down)
        {
            Interlocked.Increment(ref _failedExports);
            return ExportResult.Failure;
        }

        lock (_delivered)
        {
            foreach (LogRecord record in batch)
            {
                _delivered.Add(record.FormattedMessage ?? record.Body ?? "");
            }
        }

        return ExportResult.Success;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _released.Dispose();
            _entered.Dispose();
        }

        base.Dispose(disposing);
    }
}
