namespace NetDrop.Analysis;

/// <summary>The whole-log counts <see cref="DataNotes"/> words its notes from.</summary>
internal readonly record struct DropReportFigures(long Intervals, long TotalDrops, long DropCategorySum, long NegativeRows, long BackwardSteps, long LeftOut);
