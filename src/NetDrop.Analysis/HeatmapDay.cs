namespace NetDrop.Analysis;

/// <summary>One row of the day×hour heatmap: per hour of <see cref="Date"/>, drops and how many intervals were recorded.</summary>
internal sealed record HeatmapDay(LocalTimestamp Date, IReadOnlyList<long> Drops, IReadOnlyList<int> Intervals, IReadOnlyList<int> IntervalsWithDrops);
