using NetDrop.Csv;
using NetDrop.Monitoring;
using NetDrop.Sampling;
using NetDrop.Terminal;

namespace NetDrop.Tests.Sampling;

/// <summary>
/// Guards the hot path's budget of zero bytes allocated per sample once warm (DESIGN.md "Budgets"): the real sources
/// over the captured kernel root and this host's rtnetlink and ethtool, through <see cref="Sampler.Take"/>,
/// <see cref="DeltaEngine.Compute"/> and the CSV and console sinks' <c>Write</c> (the row and the console line
/// formatted into the sinks' pre-allocated queue buffers, handed to their writer threads), exactly as every interval
/// runs them. Only the sampling thread is measured: the writer threads' write(2) calls allocate nothing either, but
/// that is not what this guards.
/// Not timed: the CPU budget is measured by bench/run.sh, where a busy CI machine cannot fail it.
/// </summary>
public sealed class SamplerAllocationTests
{
    private const int SamplesPerRound = 200;

    private static readonly string s_fixtureRoot = Path.Join(AppContext.BaseDirectory, "Fixtures", "kernel");
    private static readonly string s_procRoot = Path.Join(s_fixtureRoot, "proc");
    private static readonly string s_sysRoot = Path.Join(s_fixtureRoot, "sys");

    [Fact]
    [Trait("Category", "LinuxHost")]
    public void TakeComputeFormat_FixtureProcRootAndLiveNetlink_AllocateNothingOnceWarm()
    {
        // The agent's default selection: every interface but lo, so both the include and the exclude list are walked.
        var registry = new InterfaceRegistry();
        var selector = new InterfaceSelector(["*"], ["lo"]);
        var messages = new List<string>();
        var health = new SourceHealth(messages.Add);
        using Sampler sampler = SourceFactory.CreateSampler(
            new MonitorOptions { ProcRoot = s_procRoot, SysRoot = s_sysRoot }, selector, registry, health, TimeProvider.System);

        long allocated = AllocatedPerRoundOnceWarm(sampler, registry, out Sample last, out int rowLength);

        Assert.Empty(messages);
        AssertEverySourceRead(last);
        Assert.Contains(last.Interfaces, reading => registry.NameOf(reading.Series) == "eth0");
        Assert.DoesNotContain(last.Interfaces, reading => registry.NameOf(reading.Series) == "lo");
        Assert.True(rowLength > CsvSchema.Columns.Length, "the CSV row was not formatted");
        Assert.True(0 == allocated, $"{allocated} bytes allocated over {SamplesPerRound} warm samples ({allocated / (double)SamplesPerRound:F1} per sample)");
    }

    [Fact]
    [Trait("Category", "LinuxHost")]
    public void TakeComputeFormat_FixtureSysfsLinksByName_AllocateNothingOnceWarm()
    {
        // The sysfs fallback with interfaces named exactly (no glob: the directory is not listed every sample).
        var registry = new InterfaceRegistry();
        var selector = new InterfaceSelector(["eth0", "lo"], []);
        var messages = new List<string>();
        var health = new SourceHealth(messages.Add);
        using Sampler sampler = SourceFactory.CreateSampler(
            new MonitorOptions { ProcRoot = s_procRoot, SysRoot = s_sysRoot, LinkSource = LinkSourceKind.Sysfs, EthtoolEnabled = false },
            selector, registry, health, TimeProvider.System);

        long allocated = AllocatedPerRoundOnceWarm(sampler, registry, out Sample last, out int rowLength);

        Assert.Empty(messages);
        Assert.Equal(["eth0", "lo"], last.Interfaces.Select(reading => registry.NameOf(reading.Series)));
        ulong fixtureRxPackets = ulong.Parse(File.ReadAllText(Path.Join(s_sysRoot, "class/net/eth0/statistics/rx_packets")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(fixtureRxPackets, last.Interfaces[0].Counters.RxPackets); // the fixture's eth0, not this host's
        Assert.True(rowLength > CsvSchema.Columns.Length, "the CSV row was not formatted");
        Assert.True(0 == allocated, $"{allocated} bytes allocated over {SamplesPerRound} warm samples ({allocated / (double)SamplesPerRound:F1} per sample)");
    }

    [Fact]
    public void AllocatedPerRound_AnAllocatingSource_IsCounted()
    {
        // The measurement itself must see an allocation on the sampling thread, or the tests above prove nothing.
        var registry = new InterfaceRegistry();
        using Sampler sampler = SourceFactory.CreateSampler(
            new MonitorOptions { ProcRoot = s_procRoot, SysRoot = s_sysRoot, LinkSource = LinkSourceKind.Sysfs, EthtoolEnabled = false },
            new InterfaceSelector(["eth*"], []), // a glob: the sysfs source lists the directory every sample
            registry, new SourceHealth(_ => { }), TimeProvider.System);

        long allocated = AllocatedPerRoundOnceWarm(sampler, registry, out _, out _);

        Assert.True(allocated >= SamplesPerRound, $"only {allocated} bytes seen over {SamplesPerRound} samples that list a directory");
    }

    private static void AssertEverySourceRead(Sample sample)
    {
        foreach (SourceId source in Enum.GetValues<SourceId>())
        {
            Assert.True(sample.IsSourceOk(source), $"source {source} was not read: a failing source would make the sample cheaper than the real one");
        }
    }

    /// <summary>
    /// Bytes allocated on this thread by one round of <see cref="SamplesPerRound"/> intervals, measured after a second
    /// of warm-up rounds through this same method (so tiered JIT and on-stack replacement are done before the measured
    /// round). A round in which an interface appeared or vanished is measured again: those events are rare and
    /// allowed to allocate their message.
    /// </summary>
    private static long AllocatedPerRoundOnceWarm(Sampler sampler, InterfaceRegistry registry, out Sample last, out int rowLength)
    {
        var engine = new DeltaEngine(registry, new SeverityPolicy());
        string csvDirectory = Directory.CreateTempSubdirectory("netdrop-alloc-").FullName;
        using var csv = new CsvSink(Path.Join(csvDirectory, "drops.log"));
        csv.Open();
        using var console = new ConsoleSink(TextWriter.Null, color: true, registry);
        var sinks = new Sinks(csv, console);
        var report = new IntervalReport { InterfaceLabel = "eth0", Timestamp = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero) };
        Sample previous = new(), current = new();
        sampler.Take(previous);
        rowLength = 0;

        // Tiered JIT starts counting calls only after 100 ms without new tier-0 code and promotes in the background,
        // so warm up for a while, not for a number of calls: 200 fixture samples take a few milliseconds.
        var warmUp = System.Diagnostics.Stopwatch.StartNew();
        for (int round = 0; round < 3 || (warmUp.Elapsed < TimeSpan.FromSeconds(1) && round < 500); round++)
        {
            Round(sampler, engine, sinks, report, ref previous, ref current);
        }

        long allocated = 0;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            int events = Round(sampler, engine, sinks, report, ref previous, ref current);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (events == 0)
            {
                break;
            }
        }

        last = previous;
        Assert.True(csv.WaitUntilWritten(TimeSpan.FromSeconds(60)), "the CSV writer thread did not catch up");
        rowLength = File.ReadLines(csv.Path).Skip(1).First().Length;
        Directory.Delete(csvDirectory, recursive: true);
        return allocated;
    }

    private sealed record Sinks(CsvSink Csv, ConsoleSink Console);

    private static int Round(Sampler sampler, DeltaEngine engine, Sinks sinks, IntervalReport report, ref Sample previous, ref Sample current)
    {
        int events = 0;
        for (int i = 0; i < SamplesPerRound; i++)
        {
            sampler.Take(current);
            engine.Compute(previous, current, report, TimeSpan.FromSeconds(5));
            report.Iteration = i;
            sinks.Csv.Write(report);
            sinks.Console.Write(report);
            events += report.Events.Count;
            (previous, current) = (current, previous);
        }

        return events;
    }
}
