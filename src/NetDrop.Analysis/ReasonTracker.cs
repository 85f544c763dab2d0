namespace NetDrop.Analysis;

/// <summary>
/// One reason series as its rows arrive: total, intervals, first and last seen, and the peak interval. Rows of one
/// interval arrive together (the monitor writes an interval's rows in one <c>write(2)</c>), so the interval in progress
/// is summed until a row of another interval comes: memory per series, not per interval.
/// </summary>
internal sealed class ReasonTracker(string? owner, string reason, DetailReasonKind kind)
{
    private (LocalTimestamp Timestamp, long Iteration)? _current;
    private long _currentSum;
    private long _total;
    private long _intervals;
    private LocalTimestamp _first;
    private LocalTimestamp _last;
    private long _peak;
    private LocalTimestamp _peakAt;

    public DetailReasonKind Kind => kind;

    public void Add(LocalTimestamp timestamp, long iteration, long value)
    {
        if (_current != (timestamp, iteration))
        {
            CloseInterval();
            _current = (timestamp, iteration);
            _currentSum = 0;
            if (_intervals == 0 || timestamp < _first)
            {
                _first = timestamp;
            }

            if (_intervals == 0 || timestamp > _last)
            {
                _last = timestamp;
            }

            _intervals++;
        }

        _currentSum += value;
        _total += value;
    }

    public ReasonTotal ToTotal()
    {
        CloseInterval();
        _current = null;
        return new ReasonTotal(owner, reason, kind, _total, _intervals, _first, _last, _peak, _peakAt);
    }

    // The earliest of equal peaks, whatever order the files were given in.
    private void CloseInterval()
    {
        if (_current is not { } current)
        {
            return;
        }

        if (_currentSum > _peak || (_currentSum == _peak && current.Timestamp < _peakAt))
        {
            _peak = _currentSum;
            _peakAt = current.Timestamp;
        }
    }
}
