namespace NetDrop.Analysis;

/// <summary>Every monitoring gap counted; the first ones kept.</summary>
internal sealed record GapSummary(long Count, IReadOnlyList<MonitoringGap> First);
