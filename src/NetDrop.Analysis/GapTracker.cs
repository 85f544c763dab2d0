namespace NetDrop.Analysis;

/// <summary>
/// Finds the silences in a log: more than three intervals (and at least 15 s) between consecutive rows. The interval
/// is the row's <c>interval_s</c>, or for seed files (which have none) the smallest step between rows seen so far.
/// </summary>
internal sealed class GapTracker
{
    private const int MaxGapsKept = 200;

    private readonly List<MonitoringGap> _gaps = [];
    private long _count;
    private long _smallestStep = long.MaxValue;

    public long Count => _count;

    /// <summary>The first gaps found, at most <see cref="MaxGapsKept"/>.</summary>
    public IReadOnlyList<MonitoringGap> Kept => _gaps;

    public void Note(LocalTimestamp before, LocalTimestamp now, long intervalMilliseconds)
    {
        long step = now.Seconds - before.Seconds;
        if (step <= 0)
        {
            return;
        }

        if (step < _smallestStep)
        {
            _smallestStep = step;
        }

        long interval = intervalMilliseconds > 0 ? (intervalMilliseconds + 999) / 1000 : _smallestStep;
        if (step > Math.Max(15, 3 * interval))
        {
            _count++;
            if (_gaps.Count < MaxGapsKept)
            {
                _gaps.Add(new MonitoringGap(before, now));
            }
        }
    }

    public GapSummary ToSummary() => new(_count, _gaps);
}
