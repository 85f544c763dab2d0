using NetDrop.Kernel;
using Polly;
using Polly.CircuitBreaker;

namespace NetDrop.Sources.Resilience;

/// <summary>
/// A circuit breaker for one kernel source: after <c>failuresToBreak</c> failed reads in a row (a
/// <see cref="KernelSourceException"/>; anything else is a bug and counts as a read) it rejects reads with
/// <see cref="BrokenCircuitException"/> for the break duration, then lets one read through: a success closes it, a
/// failure opens it again.
/// </summary>
/// <remarks>
/// PERF: this replaces Polly's circuit breaker, whose rolling health metrics allocate a 40-byte window object every
/// tenth of the sampling duration (<c>RollingHealthMetrics.UpdateCurrentWindow</c>): at the default 5 s interval
/// that was a new window on every sample of every source, 240 bytes per sample. Counting reads in a row needs no
/// window, and is what "failed 3 samples in a row" says.
/// </remarks>
internal sealed class ConsecutiveFailureBreaker : ResilienceStrategy
{
    private readonly int _failuresToBreak;
    private readonly TimeSpan _breakDuration;
    private readonly TimeProvider _time;
    private readonly Action<TimeSpan> _opened;
    private readonly Action _closed;
    private int _failures;
    private bool _open;
    private DateTimeOffset _openUntil;

    public ConsecutiveFailureBreaker(int failuresToBreak, TimeSpan breakDuration, TimeProvider time, Action<TimeSpan> opened, Action closed)
    {
        _failuresToBreak = failuresToBreak;
        _breakDuration = breakDuration;
        _time = time;
        _opened = opened;
        _closed = closed;
    }

    protected override ValueTask<Outcome<TResult>> ExecuteCore<TResult, TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback, ResilienceContext context, TState state)
    {
        if (_open)
        {
            TimeSpan left = _openUntil - _time.GetUtcNow();
            if (left > TimeSpan.Zero)
            {
                return Outcome.FromExceptionAsValueTask<TResult>(new BrokenCircuitException("the source's circuit is open", left));
            }

            // Half-open: this read is the probe.
        }

        // PERF: the sources read synchronously, so the outcome is already there: no state machine on the hot path.
        ValueTask<Outcome<TResult>> pending = callback(context, state);
        if (!pending.IsCompletedSuccessfully)
        {
            return RecordWhenDone(pending);
        }

        Outcome<TResult> outcome = pending.Result;
        Record(outcome.Exception);
        return new ValueTask<Outcome<TResult>>(outcome);
    }

    private async ValueTask<Outcome<TResult>> RecordWhenDone<TResult>(ValueTask<Outcome<TResult>> pending)
    {
        Outcome<TResult> outcome = await pending.ConfigureAwait(false);
        Record(outcome.Exception);
        return outcome;
    }

    private void Record(Exception? exception)
    {
        if (exception is not KernelSourceException)
        {
            _failures = 0;
            if (_open)
            {
                _open = false;
                _closed();
            }

            return;
        }

        _failures++;
        if (_open || _failures >= _failuresToBreak)
        {
            _open = true;
            _openUntil = _time.GetUtcNow() + _breakDuration;
            _opened(_breakDuration);
        }
    }
}
