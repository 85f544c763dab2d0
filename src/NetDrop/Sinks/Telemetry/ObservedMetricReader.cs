using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace NetDrop.Sinks.Telemetry;

/// <summary>
/// Collects and exports metrics every export interval on a thread of its own, as the SDK's
/// <see cref="PeriodicExportingMetricReader"/> does, and tells <see cref="ExportHealth"/> whether each export got
/// through (<see cref="MetricReader.Collect"/> returns the exporter's result), so a dead endpoint or a 401 is said.
/// </summary>
/// <remarks>
/// NOTE: observing the result by wrapping the exporter instead would lose the resource: the reader hands its provider
/// (where the exporter reads <c>service.name</c> and the rest) to the exporter it holds through an internal setter.
/// Metrics need no retention with cumulative temporality (the default): the first export after an outage carries the
/// totals. With delta temporality the deltas of a failed export are lost, as with the SDK's own reader.
/// </remarks>
internal sealed class ObservedMetricReader : BaseExportingMetricReader
{
    private readonly ManualResetEvent _stop = new(false);
    private readonly Thread _thread;
    private readonly ExportHealth _health;
    private readonly int _intervalMilliseconds;
    private readonly int _timeoutMilliseconds;
    private bool _disposed;

    public ObservedMetricReader(BaseExporter<Metric> exporter, ExportHealth health, int intervalMilliseconds, int timeoutMilliseconds)
        : base(exporter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(intervalMilliseconds, 1);
        _health = health;
        _intervalMilliseconds = intervalMilliseconds;
        _timeoutMilliseconds = timeoutMilliseconds;
        _thread = new Thread(Run) { IsBackground = true, Name = "NetDrop metric export" };
        _thread.Start();
    }

    // The last push: the base collects once more and shuts the exporter down, within the host's stop timeout.
    protected override bool OnShutdown(int timeoutMilliseconds)
    {
        _stop.Set();
        _thread.Join(timeoutMilliseconds == Timeout.Infinite ? Timeout.Infinite : Math.Max(0, timeoutMilliseconds));
        return base.OnShutdown(timeoutMilliseconds);
    }

    protected override void Dispose(bool disposing)
    {
        if (!_disposed && disposing)
        {
            _disposed = true;
            _stop.Set();
            _thread.Join(TimeSpan.FromSeconds(1));
            _stop.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Run()
    {
        while (!_stop.WaitOne(_intervalMilliseconds))
        {
            _health.Report(Collect(_timeoutMilliseconds));
        }
    }
}
