using NetDrop.Model;
using NetDrop.Sources;

namespace NetDrop.Benchmarks;

/// <summary>The product's category table compiled once, as the monitor compiles it at start.</summary>
internal static class BenchPlans
{
    public static CounterPlan Default { get; } = new(DropCategories.Table);
}
