using NetDrop.Configuration;
using NetDrop.Model;

namespace NetDrop.Deltas;

/// <summary>
/// The seed's rule — CRIT at <see cref="Threshold"/> drops or more per interval, WARN below it, OK at none — plus
/// optional per-category thresholds: one category alone reaching its own threshold also makes the interval CRIT.
/// </summary>
internal sealed class SeverityPolicy
{
    private readonly long[] _categoryThresholds;

    /// <summary>The configuration's default threshold (<see cref="ConfigKeys.Threshold"/>), no per-category ones.</summary>
    public SeverityPolicy()
        : this(ConfigKeys.Threshold.Default ?? throw new InvalidOperationException("the threshold key has a default"))
    {
    }

    public SeverityPolicy(long threshold, IReadOnlyDictionary<string, long>? categoryThresholds = null, DropCategoryTable? table = null)
    {
        table ??= DropCategories.Table;
        Threshold = threshold;
        _categoryThresholds = new long[table.Count];
        foreach ((string column, long value) in categoryThresholds ?? new Dictionary<string, long>())
        {
            DropCategory category = table.Find(column)
                ?? throw new ArgumentException($"unknown category '{column}'", nameof(categoryThresholds));
            _categoryThresholds[category.Id] = value;
        }
    }

    public long Threshold { get; }

    public Severity Classify(IntervalReport report)
    {
        if (report.TotalDrops == 0)
        {
            return Severity.Ok;
        }

        if (report.TotalDrops >= (ulong)Threshold)
        {
            return Severity.Crit;
        }

        foreach (DropCategory category in report.Table)
        {
            long threshold = _categoryThresholds[category.Id];
            if (category.IsDrop && threshold > 0 && report[category] >= (ulong)threshold)
            {
                return Severity.Crit;
            }
        }

        return Severity.Warn;
    }
}
