using BenchmarkDotNet.Attributes;
using NetDrop.Model;
using NetDrop.Sinks.Csv;
using NetDrop.Sources;
using NetDrop.Deltas;


namespace NetDrop.Benchmarks;

/// <summary>The CSV row of one interval: formatting alone, and formatting plus the append (statx, statx, write).</summary>
[MemoryDiagnoser]
[BenchmarkCategory("Csv")]
public class CsvBenchmarks
{
    private readonly IntervalReport _report = new(DropCategories.Table);
    private readonly CsvRowFormatter _formatter = new();
    private string _directory = "";
    private CsvSink _sink = null!;

    [GlobalSetup]
    public void Setup()
    {
        var registry = new InterfaceRegistry();
        Sample previous = FixtureSamples.Create(registry, increment: 0);
        Sample current = FixtureSamples.Create(registry, increment: 7);
        new DeltaEngine(BenchPlans.Default, registry, new SeverityPolicy()).Compute(previous, current, _report, TimeSpan.FromSeconds(5));
        _report.Iteration = 123_456;
        _report.Timestamp = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
        _report.InterfaceLabel = string.Join('+', _report.Interfaces.Select(delta => registry.NameOf(delta.Series)));

        _directory = Directory.CreateTempSubdirectory("netdrop-bench-csv-").FullName;

        // Rotation at 64 MB keeps the disk bounded however many rows the benchmark writes; it happens once per ~300k rows.
        _sink = new CsvSink(Path.Join(_directory, "drops.csv"), maxSizeBytes: 64L << 20, maxFiles: 1);
        _sink.Open();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sink.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public int CsvRowFormatter_Format() => _formatter.Format(_report).Length;

    [Benchmark]
    public void CsvSink_Write() => _sink.Write(_report);
}
