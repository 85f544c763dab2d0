namespace NetDrop.Analysis;

/// <summary>Drops in one time bucket of the timeline, per category (indexed by category id).</summary>
internal sealed record TimelineBucket(LocalTimestamp Start, long TotalDrops, IReadOnlyList<long> Categories);
