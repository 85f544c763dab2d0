namespace NetDrop.Kernel.Tests.Bpf;

/// <summary>The xunit collection of the root eBPF tests: they run one at a time, each loading a program on the same host-wide tracepoint.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KfreeSkbCollectionDefinition
{
    public const string Name = "bpf";
}
