namespace NetDrop.Analysis;

/// <summary>The rows of one <c>interface</c> cell (<c>eth0</c>, or <c>eth0+eth1</c> when several were summed).</summary>
internal sealed record InterfaceSummary(string Name, long Intervals, long IntervalsWithDrops, long TotalDrops);
