namespace NetDrop.Sources;

/// <summary>
/// Takes one sample: every source in turn through its <see cref="SourceRunner"/>, each failing on its own (a missing
/// snmp6 or a driver without ethtool stats never costs the rest of the sample). Link sources come before the
/// sources that add to the interfaces they found (ethtool, qdiscs).
/// </summary>
internal sealed class Sampler : IDisposable
{
    private readonly SourceRunner[] _runners;
    private readonly SourceHealth _health;
    private readonly TimeProvider _time;
    private readonly IDisposable?[] _owned;

    public Sampler(ILinkSource links, SourceRunner[] runners, SourceHealth health, TimeProvider time, params IDisposable?[] owned)
    {
        Links = links;
        _runners = runners;
        _health = health;
        _time = time;
        _owned = owned;
    }

    public ILinkSource Links { get; }

    public void Take(Sample sample)
    {
        sample.Clear();
        sample.Timestamp = _time.GetTimestamp();
        foreach (SourceRunner runner in _runners)
        {
            runner.Read(sample, _health);
        }
    }

    public void Dispose()
    {
        foreach (IDisposable? owned in _owned)
        {
            owned?.Dispose();
        }
    }
}
