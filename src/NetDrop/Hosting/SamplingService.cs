using Microsoft.Extensions.Hosting;
using NetDrop.Monitoring;

namespace NetDrop.Hosting;

/// <summary>
/// The sampling loop as a hosted service: one sample per interval on a <see cref="PeriodicTimer"/>, handed to every
/// sink, until <c>--count</c> intervals were reported or the host stops (SIGTERM, Ctrl+C, systemd stop). A stop
/// lands between intervals, so the CSV never holds half a row.
/// </summary>
internal sealed class SamplingService : BackgroundService
{
    private readonly MonitorSession _session;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly TimeProvider _time;

    public SamplingService(MonitorSession session, IHostApplicationLifetime lifetime, TimeProvider time)
    {
        _session = session;
        _lifetime = lifetime;
        _time = time;
    }

    /// <summary>The process exit code once the loop has ended: 0, or 1 if sampling failed at run time.</summary>
    public int ExitCode { get; private set; }

    // PERF: start-up (configuration, dependency injection, the host, the OpenTelemetry SDK) leaves megabytes of garbage
    // in GC regions whose pages stay resident, and the steady state allocates too little for a collection to ever give
    // them back. One aggressive collection once everything is running (after the first interval) returns them to the
    // OS: steady RSS of the AOT agent with OTLP export on went from ~22 to ~19 MB. It blocks this loop once, for a few
    // milliseconds.
    private static void ReleaseStartUpMemory() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_session.Options.Interval, _time);
        int iteration = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
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
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped between intervals: every completed interval is already written.
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Kernel.KernelSourceException)
        {
            await Console.Error.WriteLineAsync($"netdrop: stopped: {ex.Message}").ConfigureAwait(false);
            ExitCode = ExitCodes.RuntimeFailure;
        }
        finally
        {
            _lifetime.StopApplication();
        }
    }
}
