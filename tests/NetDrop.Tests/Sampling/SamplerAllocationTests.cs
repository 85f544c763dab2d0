using System.Runtime;
using Microsoft.Extensions.Time.Testing;
using NetDrop.Model;
using NetDrop.Sinks.Csv;
using NetDrop.Configuration;
using NetDrop.Sources;
using NetDrop.Deltas;
using NetDrop.Sinks.Terminal;
using NetDrop.Tests.TestSupport;


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

    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(5); // the agent's default

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
        var time = new FakeTimeProvider();
        using Sampler sampler = SourceFactory.CreateSampler(
            new MonitorOptions { ProcRoot = s_procRoot, SysRoot = s_sysRoot }, TestPlans.Default, selector, registry, health, time);

        long allocated = AllocatedPerRoundOnceWarm(sampler, time, registry, out Sample last, out int rowLength);

        Assert.Empty(messages);
        AssertEverySourceRead(last);
        Assert.Contains(last.Interfaces, reading => registry.NameOf(reading.Series) == "eth0");
        Assert.DoesNotContain(last.Interfaces, reading => registry.NameOf(reading.Series) == "lo");
        Assert.True(rowLength > CsvSchema.Default.Columns.Length, "the CSV row was not formatted");
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
        var time = new FakeTimeProvider();
        using Sampler sampler = SourceFactory.CreateSampler(
            new MonitorOptions { ProcRoot = s_procRoot, SysRoot = s_sysRoot, LinkSource = LinkSourceKind.Sysfs, EthtoolEnabled = false }, TestPlans.Default,
            selector, registry, health, time);

        long allocated = AllocatedPerRoundOnceWarm(sampler, time, registry, out Sample last, out int rowLength);

        Assert.Empty(messages);
        Assert.Equal(["eth0", "lo"], last.Interfaces.Select(reading => registry.NameOf(reading.Series)));
        ulong fixtureRxPackets = ulong.Parse(File.ReadAllText(Path.Join(s_sysRoot, "class/net/eth0/statistics/rx_packets")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(fixtureRxPackets, last.Interfaces[0].Counters.RxPackets); // the fixture's eth0, not this host's
        Assert.True(rowLength > CsvSchema.Default.Columns.Length, "the CSV row was not formatted");
        Assert.True(0 == allocated, $"{allocated} bytes allocated over {SamplesPerRound} warm samples ({allocated / (double)SamplesPerRound:F1} per sample)");
    }

    [Fact]
    [Trait("Category", "LinuxHost")]
    public void TakeComputeFormat_DropReasonsOn_AllocateNothingOnceWarm()
    {
        // Root, real kernel: the eBPF counter attached and its map read every sample, the reasons through the engine
        // and the console. All on a thread inside a namespace of the test's own, which the source reads (its
        // thread's namespace) and where nothing else drops: the warm-up rounds drop packets (UDP to a closed port on
        // the namespace's lo), so the reason lines were formatted, and the measured rounds see no stray reason.
        using NetworkNamespace ns = NetworkNamespace.Create("ndralloc");
        ns.Ip("link", "set", "lo", "up");
        (long allocated, bool read, int slots, string messages) = ns.Run(() =>
        {
            var registry = new InterfaceRegistry();
            var messages = new List<string>();
            var time = new FakeTimeProvider();
            using Sampler sampler = SourceFactory.CreateSampler(
                new MonitorOptions { ProcRoot = s_procRoot, SysRoot = "/sys", EthtoolEnabled = false, DropReasons = true },
                TestPlans.Default, new InterfaceSelector(["lo"], []), registry, new SourceHealth(messages.Add), time);
            long allocated = AllocatedPerRoundOnceWarm(sampler, time, registry, out Sample last, out _, dropSome: true);
            return (allocated, last.IsSourceOk(SourceId.DropReasons), last.DropReasonSlots, string.Join(" | ", messages));
        });

        Assert.True(read, "the drop-reason map was not read: " + messages);
        Assert.NotEqual(0, slots);
        Assert.True(0 == allocated, $"{allocated} bytes allocated over {SamplesPerRound} warm samples ({allocated / (double)SamplesPerRound:F1} per sample)");
    }

    [Fact]
    public void AllocatedPerRound_AnAllocatingSource_IsCounted()
    {
        // The measurement itself must see an allocation on the sampling thread, or the tests above prove nothing.
        var registry = new InterfaceRegistry();
        var time = new FakeTimeProvider();
        using Sampler sampler = SourceFactory.CreateSampler(
            new MonitorOptions { ProcRoot = s_procRoot, SysRoot = s_sysRoot, LinkSource = LinkSourceKind.Sysfs, EthtoolEnabled = false }, TestPlans.Default,
            new InterfaceSelector(["eth*"], []), // a glob: the sysfs source lists the directory every sample
            registry, new SourceHealth(_ => { }), time);

        long allocated = AllocatedPerRoundOnceWarm(sampler, time, registry, out _, out _);

        Assert.True(allocated >= SamplesPerRound, $"only {allocated} bytes seen over {SamplesPerRound} samples that list a directory");
    }

    [Fact]
    public void ReportInterval_EveryCounterMovingWithTheDetailCsvOn_AllocatesNothingOnceWarm()
    {
        // The fixture root's counters move every sample (MutationFixtureRoot: sample k = base + k × step), so every
        // interval has non-zero interface and CPU series: the detail CSV formats rows each time, through the whole
        // session (sources, delta engine, seed CSV, detail CSV, console), as the agent runs it.
        using var monitor = new FixtureMonitor(options => options.CsvDetailPath = Path.Join(Path.GetTempPath(), "netdrop-alloc-detail-" + Guid.NewGuid().ToString("N") + ".log"));
        string detailPath = monitor.Options.CsvDetailPath!;
        try
        {
            int k = 0;
            long RoundOfSession(out int events)
            {
                events = 0;
                long allocated = 0;
                for (int i = 0; i < SamplesPerRound; i++)
                {
                    monitor.Root.Write(++k); // outside the measurement: the test moves the kernel's counters
                    monitor.Time.Advance(monitor.Options.Interval);
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    IntervalReport report = monitor.Session.ReportInterval(k);
                    allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                    events += report.Events.Count;
                }

                return allocated;
            }

            for (int round = 0; round < 3; round++)
            {
                RoundOfSession(out _);
            }

            long measured = -1;
            for (int round = 0; round < 200 && measured < 0; round++)
            {
                long compiledBefore = JitInfo.GetCompiledMethodCount(currentThread: true);
                long allocated = RoundOfSession(out int events);
                if (events == 0 && JitInfo.GetCompiledMethodCount(currentThread: true) == compiledBefore)
                {
                    measured = allocated;
                }
            }

            monitor.Complete();
            string[] rows = File.ReadAllLines(detailPath);
            Assert.True(rows.Length > SamplesPerRound, $"the detail CSV has {rows.Length} lines: its rows were not formatted");
            Assert.Contains(rows, row => row.Contains(",interface,eth0,nic_rx,", StringComparison.Ordinal));
            Assert.Contains(rows, row => row.Contains(",cpu,", StringComparison.Ordinal));
            Assert.True(measured == 0, $"{measured} bytes allocated over {SamplesPerRound} warm intervals with the detail CSV on");
        }
        finally
        {
            File.Delete(detailPath);
        }
    }

    private static void AssertEverySourceRead(Sample sample)
    {
        foreach (SourceId source in Enum.GetValues<SourceId>().Where(source => source != SourceId.DropReasons)) // opt-in: its own test
        {
            Assert.True(sample.IsSourceOk(source), $"source {source} was not read: a failing source would make the sample cheaper than the real one");
        }
    }

    /// <summary>
    /// Bytes allocated on this thread by one round of <see cref="SamplesPerRound"/> intervals once warm, counting only
    /// what <see cref="Sampler.Take"/>, <see cref="DeltaEngine.Compute"/> and <see cref="CsvRowFormatter.Format(NetDrop.Deltas.IntervalReport)"/>
    /// allocate (the sinks' Write included). Deterministic on a loaded machine:
    /// <list type="bullet">
    /// <item>Time is a <see cref="FakeTimeProvider"/> that moves one 5 s interval per sample, as the agent's clock does,
    /// so whatever the sources do with time (the resilience pipelines' circuit-breaker windows) happens on the same
    /// sample every run, however slow the host.</item>
    /// <item>A round in which this thread compiled code is warm-up, not measurement, and runs again. Measured under
    /// load: the stray 32 bytes came exactly in the samples where this thread JIT-compiled one to three
    /// <c>IL_STUB_PInvoke</c> stubs (signatures <c>int(int)</c>, <c>void(int)</c>, <c>int()</c>: the file reads'
    /// close and errno calls), late, once the background compiler had installed tier-1 code; a busy machine starves
    /// that compiler, so it landed inside the measured round one run in three however long the warm-up lasted.
    /// Native AOT, what ships, has no JIT.</item>
    /// <item>A round in which an interface appeared or vanished runs again: those events are rare and allowed to
    /// allocate their message.</item>
    /// </list>
    /// A per-sample allocation shows in every round, so a retried round never hides one.
    /// </summary>
    private static long AllocatedPerRoundOnceWarm(Sampler sampler, FakeTimeProvider time, InterfaceRegistry registry, out Sample last, out int rowLength, bool dropSome = false)
    {
        var engine = new DeltaEngine(TestPlans.Default, registry, new SeverityPolicy());
        string csvDirectory = Directory.CreateTempSubdirectory("netdrop-alloc-").FullName;
        using var csv = new CsvSink(Path.Join(csvDirectory, "drops.log"));
        csv.Open();
        using var detail = new DetailCsvSink(Path.Join(csvDirectory, "drops.detail.log"));
        detail.Open();
        using var console = new ConsoleSink(TextWriter.Null, color: true, registry);
        var sinks = new Sinks(csv, detail, console);
        var report = new IntervalReport(DropCategories.Table, registry) { InterfaceLabel = "eth0", Timestamp = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero) };
        Sample previous = new(TestPlans.Default), current = new(TestPlans.Default);
        sampler.Take(previous);
        rowLength = 0;
        for (int round = 0; round < 3; round++)
        {
            if (dropSome)
            {
                DropToClosedPort();
            }

            Round(sampler, time, engine, sinks, report, ref previous, ref current, out _);
        }

        const int MaxRounds = 200; // each is a few milliseconds; tiering settles within a handful even under load
        for (int round = 0; round < MaxRounds; round++)
        {
            long compiledBefore = JitInfo.GetCompiledMethodCount(currentThread: true);
            long allocated = Round(sampler, time, engine, sinks, report, ref previous, ref current, out int events);
            if (events == 0 && JitInfo.GetCompiledMethodCount(currentThread: true) == compiledBefore)
            {
                last = previous;
                Assert.True(csv.WaitUntilWritten(TimeSpan.FromSeconds(60)), "the CSV writer thread did not catch up");
                rowLength = File.ReadLines(csv.Path).Skip(1).First().Length;
                Directory.Delete(csvDirectory, recursive: true);
                return allocated;
            }
        }

        throw new Xunit.Sdk.XunitException($"no round of {SamplesPerRound} samples ran without JIT compiling or interface events in {MaxRounds} rounds");
    }

    private sealed record Sinks(CsvSink Csv, DetailCsvSink Detail, ConsoleSink Console);

    // A few NO_SOCKET drops on this namespace's loopback: 127.0.0.1:9, where nothing listens.
    private static void DropToClosedPort()
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        for (int i = 0; i < 10; i++)
        {
            socket.SendTo(new byte[8], new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 9));
        }
    }

    private static long Round(
        Sampler sampler, FakeTimeProvider time, DeltaEngine engine, Sinks sinks, IntervalReport report,
        ref Sample previous, ref Sample current, out int events)
    {
        events = 0;
        long allocated = 0;
        for (int i = 0; i < SamplesPerRound; i++)
        {
            time.Advance(s_interval); // outside the measurement: the clock is the test's, not the agent's
            long before = GC.GetAllocatedBytesForCurrentThread();
            sampler.Take(current);
            engine.Compute(previous, current, report, s_interval);
            report.Iteration = i;
            sinks.Csv.Write(report);
            sinks.Detail.Write(report);
            sinks.Console.Write(report);
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            events += report.Events.Count;
            (previous, current) = (current, previous);
        }

        return allocated;
    }
}
