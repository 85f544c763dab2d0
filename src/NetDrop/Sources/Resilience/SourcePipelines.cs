using NetDrop.Kernel;
using Polly;
using Polly.Retry;

namespace NetDrop.Sources.Resilience;

/// <summary>
/// The resilience of one kernel source: an immediate retry for transient errnos (EINTR, EAGAIN, and ENOBUFS, which
/// means "restart the netlink dump"), and a circuit breaker that stops touching a source that keeps failing (an
/// EACCES on a hardened host, a netlink socket seccomp forbids), says so once, and probes it again later
/// (<see cref="ConsecutiveFailureBreaker"/>).
/// </summary>
/// <remarks>
/// Deliberately not around the sampling loop (Polly's "retry for periodic execution" anti-pattern: the next tick is
/// the retry) and not around the OTLP exporter, which retries by itself.
/// </remarks>
internal static class SourcePipelines
{
    /// <summary>How long a broken source is left alone before one probing read. The default value is 60 seconds.</summary>
    public static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(60);

    /// <summary>Failed reads in a row that open the circuit.</summary>
    public const int FailuresToBreak = 3;

    /// <param name="report">Told the circuit's opening and closing, once each time (stderr and the operational log).</param>
    public static ResiliencePipeline Create(string source, TimeProvider time, Action<SourceEvent, string, string> report) =>
        new ResiliencePipelineBuilder { TimeProvider = time, Name = "netdrop.source." + source }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<KernelSourceException>(static ex => Interop.Errno.IsTransient(ex.Errno)),
                MaxRetryAttempts = 2,
                Delay = TimeSpan.Zero,
                BackoffType = DelayBackoffType.Constant,
            })
            .AddStrategy(context => new ConsecutiveFailureBreaker(
                FailuresToBreak,
                BreakDuration,
                context.TimeProvider,
                opened: breakDuration => report(SourceEvent.CircuitOpened, source, $"source {source} failed {FailuresToBreak} samples in a row; not reading it for {breakDuration.TotalSeconds:0} s, then trying once more"),
                closed: () => report(SourceEvent.CircuitClosed, source, $"source {source} is readable again; reading it every sample")))
            .Build();
}
