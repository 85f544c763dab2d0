using NetDrop.Model;
using NetDrop.Tests.GroundTruth;

namespace NetDrop.Tests.TestSupport;

/// <summary>What the kernel counted between two oracle readings.</summary>
internal sealed class KernelCounterDelta(KernelCounterSnapshot before, KernelCounterSnapshot after)
{
    public KernelCounterSnapshot Before { get; } = before;

    public KernelCounterSnapshot After { get; } = after;

    public long this[DropCategory category] => this[category.Column];

    /// <summary>A CSV column's delta, computed from <see cref="KernelCounterMap"/>.</summary>
    public long this[string column] => After.Value(column) - Before.Value(column);

    public long Raw(string key) => After.Raw(key) - Before.Raw(key);

    /// <summary>Columns that moved, as "column=delta" for failure messages.</summary>
    public string Describe() => string.Join(", ", KernelCounterMap.Columns.Keys
        .Where(column => this[column] != 0)
        .Select(column => $"{column}={this[column]}"));
}
