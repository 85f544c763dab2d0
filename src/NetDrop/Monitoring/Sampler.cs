using NetDrop.Sampling;

namespace NetDrop.Monitoring;

/// <summary>
/// Takes one sample: every source in turn, each failing on its own (a missing snmp6 or a driver without ethtool
/// stats never costs the rest of the sample).
/// </summary>
internal sealed class Sampler : IDisposable
{
    private readonly MibSource _mib;
    private readonly SoftnetSource _softnet;
    private readonly ILinkSource _links;
    private readonly IQdiscSource _qdiscs;
    private readonly SourceHealth _health;
    private readonly TimeProvider _time;
    private readonly IDisposable?[] _owned;

    public Sampler(MibSource mib, SoftnetSource softnet, ILinkSource links, IQdiscSource qdiscs, SourceHealth health, TimeProvider time, params IDisposable?[] owned)
    {
        _owned = owned;
        _mib = mib;
        _softnet = softnet;
        _links = links;
        _qdiscs = qdiscs;
        _health = health;
        _time = time;
    }

    public ILinkSource Links => _links;

    public void Take(Sample sample)
    {
        sample.Clear();
        sample.Timestamp = _time.GetTimestamp();
        _health.Begin(sample);
        _mib.Read(sample, _health);
        _softnet.Read(sample, _health);
        _links.Read(sample, _health);
        _qdiscs.Read(sample, _health);
    }

    public void Dispose()
    {
        _links.Dispose();
        _qdiscs.Dispose();
        foreach (IDisposable? owned in _owned)
        {
            owned?.Dispose();
        }
    }
}
