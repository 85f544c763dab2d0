namespace NetDrop.Sampling;

/// <summary>
/// Remembers which sources are failing so each failure and each recovery is reported once, not every interval
/// (a veth without ethtool stats, or a kernel without snmp6, would otherwise fill the log).
/// </summary>
internal sealed class SourceHealth
{
    private readonly bool[] _failing = new bool[Enum.GetValues<SourceId>().Length];
    private readonly Action<string> _report;

    public SourceHealth(Action<string> report)
    {
        _report = report;
    }

    /// <summary>Number of source failures seen since start (a self-metric).</summary>
    public long FailureCount { get; private set; }

    /// <summary>Says something about a source once (the circuit breaker's open and close).</summary>
    public void Say(string message) => _report(message);

    public void Report(Sample sample, SourceId source, bool ok, int errno, string what)
    {
        sample.SetSourceOk(source, ok);
        bool wasFailing = _failing[(int)source];
        if (!ok)
        {
            FailureCount++;
        }

        if (ok == !wasFailing)
        {
            return;
        }

        _failing[(int)source] = !ok;
        _report(ok
            ? $"source {what} is readable again"
            : $"source {what} is unavailable ({System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)}, errno {errno}); its categories are marked in the CSV 'unavailable' column");
    }
}
