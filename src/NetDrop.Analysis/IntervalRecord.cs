namespace NetDrop.Analysis;

/// <summary>One interval as the report shows it (worst intervals, latest intervals).</summary>
/// <param name="Categories">The non-zero categories, largest first.</param>
/// <param name="File">The file the row came from; with <paramref name="Line"/>, where to look.</param>
internal sealed record IntervalRecord(
    LocalTimestamp Timestamp,
    string Interface,
    long TotalDrops,
    IntervalSeverity Severity,
    IReadOnlyList<CategoryAmount> Categories,
    string File,
    long Line);
