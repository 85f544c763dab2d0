namespace NetDrop.Sampling;

/// <summary>Adds driver ring-full counters (ethtool) to the interfaces already in a sample.</summary>
internal interface IRingFullSource
{
    void Read(Sample sample, SourceHealth health);
}
