using NetDrop.Model;

namespace NetDrop.Analysis;

/// <summary>
/// Everything <c>netdrop analyze</c> found, ready for any renderer. Sums are plain sums of the CSV columns, so they
/// equal what awk prints over the same rows.
/// </summary>
/// <param name="Table">The category table the inputs were read with: every renderer lists its rows.</param>
/// <param name="Intervals">Well-formed rows kept by the filter.</param>
/// <param name="IntervalsWithDrops">Rows whose <c>total_drops</c> is above zero (the seed's <c>$4 &gt; 0</c>).</param>
/// <param name="TotalDrops">Sum of the <c>total_drops</c> column. In seed files that column also counted tcp_collapsed.</param>
/// <param name="DropCategorySum">Sum of the drop (not pressure) category columns present; differs from
/// <see cref="TotalDrops"/> when a seed file counted tcp_collapsed, when columns are missing, or by the part of
/// tcp_pruned that the monitor left out of total_drops because tcp_rcvq or tcp_ofo holds the same segments.</param>
/// <param name="Categories">Categories that have a column in at least one input, in catalogue order.</param>
/// <param name="ByHour">Sum of <c>total_drops</c> per hour of day, 0–23.</param>
/// <param name="Top">Worst intervals by <c>total_drops</c>, worst first (only intervals with drops).</param>
/// <param name="Latest">The last intervals of the log, oldest first.</param>
/// <param name="LeftOut">Well-formed rows the filter left out.</param>
/// <param name="Detail">What the detail CSVs among the inputs say (which interface, slave, CPU); null when none was given.</param>
internal sealed record DropReport(
    DropCategoryTable Table,
    IReadOnlyList<InputFileSummary> Files,
    ReportFilter Filter,
    long Intervals,
    long IntervalsWithDrops,
    long TotalDrops,
    long DropCategorySum,
    IReadOnlyList<CategoryTotal> Categories,
    SeverityCounts Severity,
    IReadOnlyList<long> ByHour,
    IReadOnlyList<IntervalRecord> Top,
    IReadOnlyList<IntervalRecord> Latest,
    EpisodeSummary Episodes,
    GapSummary Gaps,
    IReadOnlyList<InterfaceSummary> Interfaces,
    TimelineSeries Timeline,
    IReadOnlyList<HeatmapDay> Heatmap,
    LocalTimestamp? FirstTimestamp,
    LocalTimestamp? LastTimestamp,
    long LeftOut,
    long MalformedLines,
    IReadOnlyList<MalformedLine> MalformedExamples,
    IReadOnlyList<string> Notes,
    int TopLimit,
    int LastLimit,
    DetailSummary? Detail = null)
{
    public double PercentWithDrops => Intervals == 0 ? 0 : IntervalsWithDrops * 100.0 / Intervals;

    public IEnumerable<CategoryTotal> DropCategories => Categories.Where(c => c.Category.IsDrop);

    public IEnumerable<CategoryTotal> PressureCategories => Categories.Where(c => !c.Category.IsDrop);

    /// <summary>The drop category with the largest sum, if any dropped.</summary>
    public CategoryTotal? Dominant =>
        DropCategories.Where(c => c.Total > 0).OrderByDescending(c => c.Total).ThenBy(c => c.Category.Id).FirstOrDefault();
}
