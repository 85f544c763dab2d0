using NetDrop.Model;

namespace NetDrop.Analysis;

/// <summary>
/// One parsed CSV row. Each reader owns one instance and overwrites it row after row (no allocation per row); the
/// analyzer copies out what it keeps.
/// </summary>
internal sealed class DropSample
{
    public DropSample(int categoryCount)
    {
        Categories = new long[categoryCount];
    }

    public LocalTimestamp Timestamp { get; set; }

    /// <summary>Index into <see cref="InterfaceTable"/>.</summary>
    public int InterfaceId { get; set; }

    /// <summary>The row's <c>total_drops</c> cell as written (in seed files it includes tcp_collapsed).</summary>
    public long TotalDrops { get; set; }

    /// <summary>Per-category deltas indexed by <see cref="DropCategory.Id"/>; only the file's present categories are set.</summary>
    public long[] Categories { get; }

    /// <summary>
    /// False when every category cell of the row is zero (most rows of a healthy host): the analyzer then skips the
    /// per-category work. True is always safe.
    /// </summary>
    public bool AnyCategory { get; set; } = true;

    public IntervalSeverity Severity { get; set; }

    /// <summary>The <c>interval_s</c> cell in milliseconds, or 0 when the file has none.</summary>
    public long IntervalMilliseconds { get; set; }

    /// <summary>Bit per <see cref="DropCategory.Id"/> (a table holds at most 64 rows): categories the monitor could not read this interval.</summary>
    public ulong UnavailableMask { get; set; }

    /// <summary>Cells holding a negative number (the seed's deltas went negative on a counter reset).</summary>
    public int NegativeCells { get; set; }

    public int FileIndex { get; set; }

    /// <summary>One-based line number in its file.</summary>
    public long Line { get; set; }
}
