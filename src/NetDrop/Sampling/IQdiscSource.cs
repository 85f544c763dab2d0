namespace NetDrop.Sampling;

/// <summary>Reads the drop counters of the monitored interfaces' root and ingress qdiscs into a sample.</summary>
internal interface IQdiscSource : IDisposable
{
    void Read(Sample sample, SourceHealth health);
}
