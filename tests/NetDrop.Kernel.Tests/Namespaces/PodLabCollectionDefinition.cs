namespace NetDrop.Kernel.Tests.Namespaces;

/// <summary>The tests that start PodLab pods run one after another: each spawns processes and scans the whole <c>/proc</c>.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PodLabCollectionDefinition
{
    public const string Name = "PodLab";
}
