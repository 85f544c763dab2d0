namespace NetDrop.Analysis;

/// <summary>
/// One drop reason summed over the analysed intervals: over every namespace (<see cref="Owner"/> null in the
/// top list), or one namespace's share (<see cref="ReasonSummary.ByOwner"/>).
/// </summary>
/// <param name="Owner">The namespace's owner as the detail CSV spells it (pod uid, container id, <c>comm/pid</c>); null for the agent's own namespace, and in the per-reason lists.</param>
/// <param name="Intervals">Intervals in which the reason moved.</param>
/// <param name="Peak">The largest count in one interval; <see cref="PeakAt"/> is that interval's end (the earliest, on a tie).</param>
internal sealed record ReasonTotal(
    string? Owner,
    string Reason,
    DetailReasonKind Kind,
    long Total,
    long Intervals,
    LocalTimestamp FirstSeen,
    LocalTimestamp LastSeen,
    long Peak,
    LocalTimestamp PeakAt);
