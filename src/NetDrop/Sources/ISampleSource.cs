namespace NetDrop.Sources;

/// <summary>
/// One independent kernel source of a sample. It either fills its part of the sample or throws
/// <see cref="Kernel.KernelSourceException"/> with the errno; <see cref="SourceRunner"/> decides about retries, the
/// circuit breaker and what is reported, so every source fails the same way.
/// </summary>
internal interface ISampleSource
{
    SourceId Id { get; }

    /// <summary>What is read, for messages: <c>/proc/net/netstat</c>, <c>rtnetlink RTM_GETQDISC</c>.</summary>
    string Description { get; }

    void Read(Sample sample);
}
