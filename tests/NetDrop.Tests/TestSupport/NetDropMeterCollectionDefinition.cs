namespace NetDrop.Tests.TestSupport;

/// <summary>
/// Tests that read the <c>NetDrop</c> meter through an in-process <c>MeterProvider</c> and assert on every point it
/// exported. A provider listens to the meter by name, process-wide: a test that wrote NetDrop metrics in parallel (with
/// other options, per_cpu off for one) would add its points to this one's export. The collection runs alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NetDropMeterCollectionDefinition
{
    public const string Name = "NetDrop meter, exclusive";
}
