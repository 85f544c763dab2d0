using BenchmarkDotNet.Attributes;
using NetDrop.Model;
using NetDrop.Sinks.Csv;
using NetDrop.Agent;
using NetDrop.Configuration;
using NetDrop.Sources;
using NetDrop.Deltas;


namespace NetDrop.Benchmarks;

/// <summary>
/// One full sample as the agent takes it — every source (netstat, snmp, snmp6, softnet_stat, the link dump with
/// ethtool ring-full counters, the qdisc dump) for every interface of this machine — built by the agent's own
/// <see cref="SourceFactory"/>. DESIGN.md's budget: ≤ 150 µs CPU and 0 bytes allocated once warm.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("Sample")]
public class SampleBenchmarks
{
    private static readonly DateTimeOffset s_timestamp = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private readonly CsvRowFormatter _formatter = new();
    private readonly IntervalReport _report = new(DropCategories.Table);
    private Sampler _netlink = null!;
    private Sampler _sysfs = null!;
    private DeltaEngine _engine = null!;
    private InterfaceRegistry _registry = null!;
    private Sample _previous = new(BenchPlans.Default);
    private Sample _current = new(BenchPlans.Default);
    private string _label = "";
    private string _directory = "";
    private MonitorSession _session = null!;
    private int _iteration;

    [GlobalSetup]
    public void Setup()
    {
        _registry = new InterfaceRegistry();
        _netlink = CreateSampler(LinkSourceKind.Netlink, _registry);
        _sysfs = CreateSampler(LinkSourceKind.Sysfs, new InterfaceRegistry());
        _engine = new DeltaEngine(BenchPlans.Default, _registry, new SeverityPolicy());
        _netlink.Take(_previous);
        _netlink.Take(_current);
        RequireEverySource(_current);
        _label = string.Join('+', _current.Interfaces.Select(reading => _registry.NameOf(reading.Series)));
        _sysfs.Take(new Sample(BenchPlans.Default));

        _directory = Directory.CreateTempSubdirectory("netdrop-bench-session-").FullName;
        var options = new MonitorOptions
        {
            Interfaces = ["*"],
            CsvPath = Path.Join(_directory, "drops.csv"),
            CsvMaxSizeBytes = 64L << 20, // bounded disk however many intervals the benchmark runs
            CsvMaxFiles = 1,
            Color = false,
        };
        _session = new MonitorSession(options, TextWriter.Null, TextWriter.Null);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _netlink.Dispose();
        _sysfs.Dispose();
        _session.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>The budget figure: one sample with rtnetlink interface counters (the default).</summary>
    [Benchmark(Baseline = true)]
    public void Sample_Netlink() => _netlink.Take(_current);

    /// <summary>The same sample with the sysfs fallback: 25 files per interface instead of one dump.</summary>
    [Benchmark]
    public void Sample_Sysfs() => _sysfs.Take(_current);

    /// <summary>What the agent does per interval before the sinks: sample, deltas against the last sample, CSV row.</summary>
    [Benchmark]
    public int Interval_SampleDeltaCsvRow()
    {
        _netlink.Take(_current);
        _engine.Compute(_previous, _current, _report, TimeSpan.FromSeconds(5));
        _report.Timestamp = s_timestamp;
        _report.InterfaceLabel = _label;
        int length = _formatter.Format(_report).Length;
        (_previous, _current) = (_current, _previous);
        return length;
    }

    /// <summary>
    /// One whole interval of the agent without OTLP: <see cref="MonitorSession.ReportInterval"/> — sample, deltas, the
    /// console line (to a null writer) and the CSV row (appended to a file).
    /// </summary>
    [Benchmark]
    public void Interval_MonitorSession() => _session.ReportInterval(++_iteration);

    internal static Sampler CreateSampler(LinkSourceKind links, InterfaceRegistry registry)
    {
        var options = new MonitorOptions { Interfaces = ["*"], LinkSource = links };
        var health = new SourceHealth(message => System.Console.Error.WriteLine("netdrop bench: " + message));
        return SourceFactory.CreateSampler(options, BenchPlans.Default, new InterfaceSelector(options.Interfaces, options.Exclude), registry, health, TimeProvider.System);
    }

    internal static void RequireEverySource(Sample sample)
    {
        foreach (SourceId source in Enum.GetValues<SourceId>())
        {
            if (!sample.IsSourceOk(source))
            {
                throw new InvalidOperationException($"source {source} failed on this machine: the sample would be cheaper than the real one");
            }
        }
    }
}
