using NetDrop.Model;

namespace NetDrop.Tests.TestSupport;

/// <summary>What the kernel counted between two oracle readings.</summary>
internal sealed class KernelCounterDelta(KernelCounterSnapshot before, KernelCounterSnapshot after)
{
    public KernelCounterSnapshot Before { get; } = before;

    public KernelCounterSnapshot After { get; } = after;

    public long this[DropCategory category] => After.Value(category) - Before.Value(category);

    public long Raw(string key) => After.Raw(key) - Before.Raw(key);

    /// <summary>Categories that moved, as "column=delta" for failure messages.</summary>
    public string Describe() => string.Join(", ", DropCategories.All
        .Where(category => this[category] != 0)
        .Select(category => $"{category.Column}={this[category]}"));
}
