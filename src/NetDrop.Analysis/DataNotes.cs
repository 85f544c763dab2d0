using System.Globalization;
using NetDrop.Model;

namespace NetDrop.Analysis;

/// <summary>
/// The report's notes about the data itself, each a sentence a person can act on: an empty log, totals that do not add
/// up (and why), negative deltas, time going backwards, gaps, rows left out, categories the monitor could not read.
/// </summary>
internal static class DataNotes
{
    public static void Add(List<string> notes, IReadOnlyList<CsvSampleReader> readers, DropReportFigures figures, CategorySums sums, GapTracker gaps)
    {
        CultureInfo invariant = CultureInfo.InvariantCulture;
        if (readers.Count > 0 && readers.All(r => r.IsEmptyFile || r.Rows == 0))
        {
            notes.Add(readers.All(r => r.IsEmptyFile)
                ? "The log is empty: no header and no intervals."
                : "The log holds no intervals: only a header line.");
        }

        bool seedTotals = readers.Any(r => r.Map?.Layout is CsvInputLayout.SeedHeader or CsvInputLayout.HeaderlessSeed);
        long totalDrops = figures.TotalDrops;
        long dropCategorySum = figures.DropCategorySum;
        if (totalDrops != dropCategorySum && figures.Intervals > 0)
        {
            long collapsed = sums.TotalOf(DropCategories.TcpCollapsed.Column);
            notes.Add(seedTotals && collapsed != 0
                ? string.Create(invariant, $"total_drops is the sum of the file's total_drops column ({totalDrops:N0}), as awk gives it. In seed files that column also counted tcp_collapsed, which is pressure, not a drop: without it the drops are {dropCategorySum:N0}.")
                : string.Create(invariant, $"total_drops is the sum of the file's total_drops column ({totalDrops:N0}); the drop category columns add up to {dropCategorySum:N0}."));
        }

        long negativeRows = figures.NegativeRows;
        if (negativeRows > 0)
        {
            notes.Add(string.Create(invariant, $"{negativeRows:N0} {(negativeRows == 1 ? "interval holds" : "intervals hold")} negative numbers (the seed's deltas went negative when a counter was reset); they are summed as written, as awk does."));
        }

        if (figures.BackwardSteps > 0)
        {
            notes.Add(string.Create(invariant, $"Time went backwards {figures.BackwardSteps:N0} times between consecutive rows (a clock change or daylight-saving time); rows were kept in file order."));
        }

        if (gaps.Count > 0)
        {
            long seconds = gaps.Kept.Sum(g => g.Seconds);
            MonitoringGap longest = gaps.Kept.MaxBy(g => g.Seconds)!;
            string shown = gaps.Count > gaps.Kept.Count ? $" (the first {gaps.Kept.Count} add up to {ReportFormatting.Duration(seconds)})" : $", {ReportFormatting.Duration(seconds)} in all";
            notes.Add(string.Create(invariant, $"The log has {gaps.Count:N0} {(gaps.Count == 1 ? "gap" : "gaps")} with no rows{shown}; the longest from {longest.After} to {longest.Before} ({ReportFormatting.Duration(longest.Seconds)}). No data there is not the same as no drops."));
        }

        long leftOut = figures.LeftOut;
        if (leftOut > 0)
        {
            notes.Add(string.Create(invariant, $"{leftOut:N0} {(leftOut == 1 ? "interval" : "intervals")} outside the requested time range or interfaces {(leftOut == 1 ? "was" : "were")} left out."));
        }

        sums.AddUnavailableNotes(notes, figures.Intervals);
    }
}
