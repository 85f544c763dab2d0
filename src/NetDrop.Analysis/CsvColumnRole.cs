namespace NetDrop.Analysis;

/// <summary>What <see cref="CsvSampleReader"/> does with one CSV column.</summary>
/// <remarks>The integer roles come first so the reader tests "is this an integer cell" with one comparison.</remarks>
internal enum CsvColumnRole : byte
{
    Category,
    TotalDrops,
    Iteration,

    /// <summary>A column this version does not know (a newer NetDrop's): read past, reported once in the notes.</summary>
    Ignored,
    Timestamp,
    Interface,
    Severity,
    IntervalSeconds,
    Unavailable,
}
