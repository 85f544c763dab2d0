using NetDrop.Model;
using NetDrop.Sources;

namespace NetDrop.Tests.Sampling;

/// <summary>The product's category table compiled once for tests that build samples, engines and samplers by hand.</summary>
internal static class TestPlans
{
    public static CounterPlan Default { get; } = new(DropCategories.Table);
}
