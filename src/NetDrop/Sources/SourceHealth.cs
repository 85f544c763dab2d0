namespace NetDrop.Sources;

/// <summary>
/// Remembers which sources are failing so each failure and each recovery is reported once, not every interval
/// (a veth without ethtool stats, or a kernel without snmp6, would otherwise fill the log).
/// </summary>
internal sealed class SourceHealth
{
    private readonly bool[] _failing = new bool[Enum.GetValues<SourceId>().Length];
    private readonly long[] _failures = new long[Enum.GetValues<SourceId>().Length];
    private readonly Action<string> _report;

    public SourceHealth(Action<string> report)
    {
        _report = report;
    }

    /// <summary>Number of source failures seen since start (a self-metric).</summary>
    public long FailureCount { get; private set; }

    /// <summary>Failed reads of one source since start (the <c>netdrop.source.errors</c> self-metric, by source).</summary>
    public long FailureCountOf(SourceId source) => _failures[(int)source];

    /// <summary>
    /// Also told every message, with its kind and the source it is about, once set (the host sets it to raise the
    /// operational log events when export is on); the stderr line is written either way.
    /// </summary>
    public Action<SourceEvent, string, string>? Observer { get; set; }

    /// <summary>Says something about a source once, at start.</summary>
    public void Say(string message) => Say(SourceEvent.Notice, "ethtool", message);

    /// <summary>Says something about a source once (the circuit breaker's open and close).</summary>
    public void Say(SourceEvent kind, string source, string message)
    {
        _report(message);
        Observer?.Invoke(kind, source, message);
    }

    public void Report(Sample sample, SourceId source, bool ok, int errno, string what)
    {
        sample.SetSourceOk(source, ok);
        bool wasFailing = _failing[(int)source];
        if (!ok)
        {
            FailureCount++;
            _failures[(int)source]++;
        }

        if (ok == !wasFailing)
        {
            return;
        }

        _failing[(int)source] = !ok;
        Say(ok ? SourceEvent.Recovered : SourceEvent.Unavailable, what, ok
            ? $"source {what} is readable again"
            : $"source {what} is unavailable ({System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)}, errno {errno}); its categories are marked in the CSV 'unavailable' column");
    }
}
