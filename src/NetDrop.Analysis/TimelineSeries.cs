namespace NetDrop.Analysis;

/// <summary>
/// Drops over time in buckets of <see cref="BucketSeconds"/> (the finest the analysis kept; renderers merge them
/// further). Only buckets with drops are listed.
/// </summary>
internal sealed record TimelineSeries(long BucketSeconds, IReadOnlyList<TimelineBucket> Buckets);
