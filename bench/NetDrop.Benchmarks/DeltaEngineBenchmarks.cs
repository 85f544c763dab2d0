using BenchmarkDotNet.Attributes;
using NetDrop.Sources;
using NetDrop.Deltas;

using NetDrop.Model;

namespace NetDrop.Benchmarks;

/// <summary>The delta engine over two fixture samples whose every counter moved: all categories, four interfaces.</summary>
[MemoryDiagnoser]
[BenchmarkCategory("Delta")]
public class DeltaEngineBenchmarks
{
    private readonly IntervalReport _report = new(DropCategories.Table);
    private DeltaEngine _engine = null!;
    private Sample _previous = null!;
    private Sample _current = null!;

    [GlobalSetup]
    public void Setup()
    {
        var registry = new InterfaceRegistry();
        _previous = FixtureSamples.Create(registry, increment: 0);
        _current = FixtureSamples.Create(registry, increment: 7);
        _engine = new DeltaEngine(BenchPlans.Default, registry, new SeverityPolicy());
        Compute();
        if (_report.TotalDrops == 0 || _report.Interfaces.Count == 0 || _report.Events.Count != 0)
        {
            throw new InvalidOperationException("the fixture samples should give drops on every interface and no events");
        }
    }

    [Benchmark]
    public ulong Compute()
    {
        _engine.Compute(_previous, _current, _report, TimeSpan.FromSeconds(5));
        return _report.TotalDrops;
    }
}
