namespace NetDrop.Analysis;

/// <summary>One interface's running sums while the rows stream by; becomes an <see cref="InterfaceSummary"/>.</summary>
internal sealed class InterfaceCounters
{
    public long Intervals { get; set; }

    public long IntervalsWithDrops { get; set; }

    public long TotalDrops { get; set; }
}
