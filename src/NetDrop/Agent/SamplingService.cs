using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NetDrop.Sinks.Telemetry;

namespace NetDrop.Agent;

/// <summary>
/// The sampling loop as a hosted service: one sample per interval, on the interval's beat since start, handed to every
/// sink, until <c>--count</c> intervals were reported or the host stops (SIGTERM, Ctrl+C, systemd stop). A stop
/// lands between intervals, so the CSV never holds half a row.
/// </summary>
/// <remarks>
/// PERF: the loop runs on a thread of its own that sleeps until the next tick. With a <see cref="PeriodicTimer"/> every
/// tick woke the timer thread (two or three times: it waits in whole milliseconds and wakes early) and then a
/// thread-pool worker, which woke a second worker looking for more work: ~8.6 context switches per interval, measured
/// with perf, which cost more CPU than the sample itself (480 µs per interval for the AOT agent against ~100 µs of
/// sampling). This thread wakes once per tick.
/// </remarks>
internal sealed class SamplingService : BackgroundService
{
    private readonly MonitorSession _session;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly TimeProvider _time;
    private readonly OperationalLog _operational;

    public SamplingService(MonitorSession session, IHostApplicationLifetime lifetime, TimeProvider time, OperationalLog operational)
    {
        _session = session;
        _lifetime = lifetime;
        _time = time;
        _operational = operational;
    }

    /// <summary>
    /// How the loop sleeps between ticks: waits up to the given milliseconds, returning true if the host is stopping.
    /// The stop token's wait handle in the agent; a test drives the schedule on a fake clock by advancing the clock here
    /// instead (the only seam the scheduler has: the tick arithmetic reads the injected <see cref="TimeProvider"/>).
    /// </summary>
    internal Func<int, CancellationToken, bool> Sleep { get; init; } =
        static (milliseconds, stoppingToken) => stoppingToken.WaitHandle.WaitOne(milliseconds);

    /// <summary>Once the loop has ended: whether sampling stopped on a runtime failure (the command then exits 1).</summary>
    public bool Failed { get; private set; }

    // PERF: start-up (configuration, dependency injection, the host, the OpenTelemetry SDK) leaves megabytes of garbage
    // in GC regions whose pages stay resident, and the steady state allocates too little for a collection to ever give
    // them back. One aggressive collection once everything is running (after the first interval) returns them to the
    // OS: steady RSS of the AOT agent with OTLP export on went from ~22 to ~19 MB. It blocks this loop once, for a few
    // milliseconds.
    private static void ReleaseStartUpMemory() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        long next = _time.GetTimestamp();
        int iteration = 0;
        try
        {
            while (WaitForNextTick(ref next, stoppingToken))
            {
                _session.ReportInterval(++iteration);
                if (_session.Options.Count > 0 && iteration >= _session.Options.Count)
                {
                    break;
                }

                if (iteration == 1)
                {
                    ReleaseStartUpMemory();
                }
            }

            // Stopped between intervals: every completed interval is already written.
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Kernel.KernelSourceException)
        {
            // Said on stderr and as a log record; the host's stop then gives the exporter its last push.
            _operational.Write(LogLevel.Critical, LogEventIds.SamplingStopped, $"stopped: {ex.Message}");
            Failed = true;
        }
        finally
        {
            // Every completed interval goes into the CSV, fsynced, before the host stops (bounded: a disk may hang).
            _session.CompleteSinks();
            _lifetime.StopApplication();
        }
    }

    /// <summary>
    /// Sleeps until one interval after <paramref name="next"/> (and moves it there); false when the host is stopping.
    /// A tick that is already late (the machine stalled) is taken at once, and ticks missed meanwhile are dropped rather
    /// than run in a burst, as a <see cref="PeriodicTimer"/> coalesces them.
    /// </summary>
    private bool WaitForNextTick(ref long next, CancellationToken stoppingToken)
    {
        long period = Math.Max(1, (long)(_session.Options.Interval.TotalSeconds * _time.TimestampFrequency));
        next += period;
        while (true)
        {
            long now = _time.GetTimestamp();
            if (now >= next)
            {
                // Late by a whole period or more: keep the beat, drop the ticks that were missed.
                next = now - ((now - next) % period);
                return !stoppingToken.IsCancellationRequested;
            }

            // Waits are whole milliseconds: round up so the loop never spins on a sub-millisecond remainder.
            int milliseconds = (int)Math.Ceiling(_time.GetElapsedTime(now, next).TotalMilliseconds);
            if (Sleep(milliseconds, stoppingToken))
            {
                return false;
            }
        }
    }
}
