namespace NetDrop.Analysis;

/// <summary>The <c>severity</c> cell: the seed's three levels, and whatever else a hand-edited file may hold.</summary>
internal enum IntervalSeverity : byte
{
    Ok,
    Warn,
    Crit,
    Other,
}
