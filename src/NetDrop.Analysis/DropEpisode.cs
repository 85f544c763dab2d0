using NetDrop.Model;

namespace NetDrop.Analysis;

/// <summary>
/// A run of consecutive intervals with drops on one interface: when it started and ended, how bad it got, and which
/// categories dropped together (the first is the dominant one).
/// </summary>
/// <param name="End">Timestamp of the last interval with drops.</param>
/// <param name="DurationSeconds">From the start of the first interval to the end of the last: <c>End − Start + interval</c>.</param>
/// <param name="Categories">Every category with a non-zero sum in the episode, largest first.</param>
/// <param name="Ongoing">The log ends while the episode is still dropping.</param>
internal sealed record DropEpisode(
    string Interface,
    LocalTimestamp Start,
    LocalTimestamp End,
    long DurationSeconds,
    long Intervals,
    long TotalDrops,
    long Peak,
    LocalTimestamp PeakAt,
    IReadOnlyList<CategoryAmount> Categories,
    bool Ongoing)
{
    public DropCategory? Dominant => Categories.Count > 0 ? Categories[0].Category : null;
}
