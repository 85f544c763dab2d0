namespace NetDrop.Analysis;

/// <summary>
/// A stretch with no rows at all where rows were expected: the monitor was stopped or the host was down. Not the
/// same as "no drops", and a report that hides it would claim a quiet period it never saw.
/// </summary>
/// <param name="After">The last row before the gap.</param>
/// <param name="Before">The first row after it.</param>
internal sealed record MonitoringGap(LocalTimestamp After, LocalTimestamp Before)
{
    public long Seconds => Before.Seconds - After.Seconds;
}
