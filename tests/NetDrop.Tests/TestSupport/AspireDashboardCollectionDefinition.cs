namespace NetDrop.Tests.TestSupport;

/// <summary>
/// Tests that talk to the real OTLP backend join this collection (<c>[Collection(AspireDashboardCollectionDefinition.Name)]</c>)
/// and take an <see cref="AspireDashboardFixture"/> in their constructor, so the suite starts one dashboard.
/// Telemetry from every test lands in the same dashboard: give each test its own service.name (or another unique
/// attribute) and filter on it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AspireDashboardCollectionDefinition : ICollectionFixture<AspireDashboardFixture>
{
    public const string Name = "Aspire Dashboard";
}
