namespace NetDrop.Analysis;

/// <summary>Intervals per <c>severity</c> cell.</summary>
internal sealed record SeverityCounts(long Ok, long Warn, long Crit, long Other);
