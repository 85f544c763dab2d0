using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using NetDrop.Configuration;
using NetDrop.Deltas;
using NetDrop.Kernel.Namespaces;
using NetDrop.Model;
using NetDrop.Sources;
using NetDrop.Tests.Sampling;
using NetDrop.Tests.TestSupport;

namespace NetDrop.Tests.Namespaces;

/// <summary>
/// The other namespaces read every N-th sample (<c>namespace_interval</c>), the node's every sample: a sample between
/// two reads is "not read", never "every namespace vanished"; the next read's delta covers every sample since, so each
/// drop is counted once, in the interval of the read; a namespace whose last task exits between reads is read one
/// last time at the next due read, through the files held until then, and released there. Category → counters,
/// written here: <c>udp_rcvbuf</c> = Udp RcvbufErrors (<c>net/snmp</c>) + Udp6RcvbufErrors (<c>net/snmp6</c>).
/// </summary>
[Collection(nameof(NamespaceCountingTests))]
public sealed class NamespaceCadenceTests
{
    private static readonly KernelCounter s_udp4 = KernelCounter.Udp("RcvbufErrors");
    private static readonly KernelCounter s_udp6 = KernelCounter.Snmp6("Udp6RcvbufErrors");

    [Theory]
    [InlineData(5.0, 10.0, 2)]   // the defaults: every second sample
    [InlineData(3.0, 10.0, 3)]   // 9 s: never further apart than asked
    [InlineData(5.0, 1.0, 1)]    // shorter than the interval: every sample
    [InlineData(5.0, 5.0, 1)]
    [InlineData(0.05, 0.15, 3)]  // fractions of a second are exact (ticks), not 2.9999
    [InlineData(0.01, 3600.0, 360000)]
    public void SamplesPerRead_IntervalAndNamespaceInterval_WholeIntervalsThatFitAtLeastOne(double interval, double namespaceInterval, int expected)
    {
        Assert.Equal(expected, NamespaceCounterSource.SamplesPerRead(TimeSpan.FromSeconds(interval), TimeSpan.FromSeconds(namespaceInterval)));
    }

    [Fact]
    public void Compute_NamespacesReadEveryThirdSample_EachDropOnceInTheIntervalOfTheRead()
    {
        // Samples 0, 3, 6 and 9 read the namespaces; the others do not. Pod A (id 41) moves 100/10 → 120/20 → 150/20
        // (its last read at sample 6), B (id 42) never moves, C (id 43) appears at sample 6, and D, created after A was
        // freed, gets A's id (procfs reuses the lowest free inode number) at sample 9.
        var engine = new DeltaEngine(TestPlans.Default, new InterfaceRegistry(), new SeverityPolicy());
        var report = new IntervalReport(DropCategories.Table);
        ObservedNamespace a = Pod(41), b = Pod(42), c = Pod(43), d = Pod(41);
        Sample previous = new(TestPlans.Default), current = new(TestPlans.Default);
        Fill(previous, read: true, (a, 100, 10, false), (b, 5, 0, false));
        var intervals = new List<(ulong Category, ulong A, ulong B, ulong C, ulong D, bool ALast)>();
        for (int k = 1; k <= 9; k++)
        {
            switch (k)
            {
                case 3:
                    Fill(current, read: true, (a, 120, 20, false), (b, 5, 0, false));
                    break;
                case 6:
                    Fill(current, read: true, (a, 150, 10 + 10, true), (b, 5, 0, false), (c, 1000, 0, false));
                    break;
                case 9:
                    Fill(current, read: true, (b, 5, 0, false), (c, 1004, 0, false), (d, 3, 0, false));
                    break;
                default:
                    Fill(current, read: false);
                    break;
            }

            engine.Compute(previous, current, report, TimeSpan.FromSeconds(5));
            intervals.Add((report[DropCategories.UdpRcvbuf], ShareOf(report, a), ShareOf(report, b), ShareOf(report, c), ShareOf(report, d),
                report.Namespaces.Any(delta => delta.NamespaceId == 41) && report.EndedNamespaces.Contains(41UL)));
            (previous, current) = (current, previous);
        }

        // By hand: A +20 +10 by sample 3 (30), +30 +0 by sample 6 (30, its last); C +4 by sample 9; B and D nothing.
        Assert.Equal([0UL, 0, 30, 0, 0, 30, 0, 0, 4], intervals.Select(interval => interval.Category));
        Assert.Equal([0UL, 0, 30, 0, 0, 30, 0, 0, 0], intervals.Select(interval => interval.A));
        Assert.All(intervals, interval => Assert.Equal(0UL, interval.B));
        Assert.Equal([0UL, 0, 0, 0, 0, 0, 0, 0, 4], intervals.Select(interval => interval.C));
        Assert.Equal([false, false, false, false, false, true, false, false, false], intervals.Select(interval => interval.ALast));
        Assert.Equal(60UL, intervals.Aggregate(0UL, (sum, interval) => sum + interval.A)); // 150 + 20 − (100 + 10): each drop once
    }

    [Fact]
    public void Compute_IdReusedRightAfterALastRead_TheNewNamespaceIsABaseline()
    {
        // Every sample reads: A's last read at sample 1, D with A's freed id at sample 2 is new, not A reset to 3.
        var engine = new DeltaEngine(TestPlans.Default, new InterfaceRegistry(), new SeverityPolicy());
        var report = new IntervalReport(DropCategories.Table);
        ObservedNamespace a = Pod(41), d = Pod(41);
        Sample previous = new(TestPlans.Default), current = new(TestPlans.Default);
        Fill(previous, read: true, (a, 100, 0, false));
        Fill(current, read: true, (a, 107, 0, true));
        engine.Compute(previous, current, report, TimeSpan.FromSeconds(5));
        Assert.Equal(7UL, report[DropCategories.UdpRcvbuf]);
        (previous, current) = (current, previous);

        Fill(current, read: true, (d, 3, 0, false));
        engine.Compute(previous, current, report, TimeSpan.FromSeconds(5));

        Assert.Equal(0UL, report[DropCategories.UdpRcvbuf]);
        Assert.Empty(report.Namespaces);
    }

    [Fact]
    [Trait("Category", "RequiresRoot")]
    public void Sampler_EveryThirdSampleOverRealPods_DropsCountedAtTheReadAndADeadPodHeldUntilItsLastRead()
    {
        using var dropping = new NamespaceSandbox();
        using var quiet = new NamespaceSandbox();
        var time = new FakeTimeProvider();
        var registry = new InterfaceRegistry();
        CounterPlan plan = TestPlans.Default;
        using Sampler sampler = SourceFactory.CreateSampler(
            new MonitorOptions { Interfaces = ["lo"], EthtoolEnabled = false, Interval = TimeSpan.FromSeconds(5), NamespaceInterval = TimeSpan.FromSeconds(15) },
            plan, new InterfaceSelector(["lo"], []), registry, new SourceHealth(_ => { }), time);
        var engine = new DeltaEngine(plan, registry, new SeverityPolicy(100, new Dictionary<string, long>(), DropCategories.Table));
        var report = new IntervalReport(DropCategories.Table);
        Sample previous = new(plan), current = new(plan);
        ulong droppingId = dropping.Inode(), quietId = quiet.Inode();
        var share = new List<ulong>();

        sampler.Take(previous); // sample 0 reads: both pods' baselines
        Assert.True(previous.NamespacesRead);
        long kernelBefore = dropping.UdpRcvbufErrors();
        DropWitness first = DropInducers.FloodUnreadUdpSockets(dropping.Namespace, datagramsPerFamily: 300);
        Assert.Equal(dropping.UdpRcvbufErrors() - kernelBefore, first["udp_rcvbuf"]);
        for (int k = 1; k <= 3; k++)
        {
            Next(sampler, engine, ref previous, ref current, report, time);
            Assert.Equal(k == 3, previous.NamespacesRead);
            share.Add(ShareOf(report, droppingId));
            Assert.DoesNotContain(report.Namespaces, delta => delta.NamespaceId == quietId);
        }

        Assert.Equal([0UL, 0, (ulong)first["udp_rcvbuf"]], share);
        NetworkNamespaceFiles files = Assert.Single(previous.Namespaces.ToArray(), reading => reading.Id == droppingId).Namespace.Files!;

        // Sample 4 (not due); then the pod's last drops and its only task exits; sample 5 (not due) holds its files.
        Next(sampler, engine, ref previous, ref current, report, time);
        kernelBefore = dropping.UdpRcvbufErrors();
        DropWitness last = DropInducers.FloodUnreadUdpSockets(dropping.Namespace, datagramsPerFamily: 200);
        Assert.Equal(dropping.UdpRcvbufErrors() - kernelBefore, last["udp_rcvbuf"]);
        dropping.Kill();
        Next(sampler, engine, ref previous, ref current, report, time);
        Assert.DoesNotContain(report.Namespaces, delta => delta.NamespaceId == droppingId);
        Assert.False(files.IsReleased, "between reads the dead pod's files are held for its last read");

        Next(sampler, engine, ref previous, ref current, report, time); // sample 6: due, the last read, then released
        NamespaceDelta final = Assert.Single(report.Namespaces, delta => delta.NamespaceId == droppingId);
        Assert.Equal((ulong)last["udp_rcvbuf"], IntervalReport.ValueOf(final, DropCategories.UdpRcvbuf));
        Assert.Contains(droppingId, report.EndedNamespaces);
        Assert.True(files.IsReleased, "the dead pod's descriptors are still open after its last read");
        Assert.True(report[DropCategories.UdpRcvbuf] >= (ulong)last["udp_rcvbuf"], "the pod's drops are part of the node's value in the interval of the read");

        for (int k = 7; k <= 9; k++)
        {
            Next(sampler, engine, ref previous, ref current, report, time);
            Assert.DoesNotContain(report.Namespaces, delta => delta.NamespaceId == droppingId);
        }
    }

    private static void Next(Sampler sampler, DeltaEngine engine, ref Sample previous, ref Sample current, IntervalReport report, FakeTimeProvider time)
    {
        time.Advance(TimeSpan.FromSeconds(5));
        sampler.Take(current);
        engine.Compute(previous, current, report, TimeSpan.FromSeconds(5));
        (previous, current) = (current, previous);
    }

    private static ObservedNamespace Pod(ulong id) =>
        new(id, (int)id + 1000, isNode: false, new NamespaceOwner(null, null, "pod" + id.ToString(CultureInfo.InvariantCulture), (int)id + 1000), files: null);

    // As Sampler.Take leaves a sample: cleared, then every node counter read (at 0), and the namespaces if due.
    private static void Fill(Sample sample, bool read, params (ObservedNamespace Namespace, ulong Udp, ulong Udp6, bool Last)[] namespaces)
    {
        sample.Clear();
        for (int slot = 0; slot < TestPlans.Default.ScalarCounters.Count; slot++)
        {
            sample.SetCounter(slot, true, 0);
        }

        foreach (SourceId source in Enum.GetValues<SourceId>())
        {
            sample.SetSourceOk(source, true);
        }

        if (!read)
        {
            return;
        }

        sample.MarkNamespacesRead();
        foreach ((ObservedNamespace observed, ulong udp, ulong udp6, bool last) in namespaces)
        {
            NamespaceReading reading = sample.AddNamespace(observed, last);
            reading.SetCounter(TestPlans.Default.IndexOf(s_udp4), true, udp);
            reading.SetCounter(TestPlans.Default.IndexOf(s_udp6), true, udp6);
        }
    }

    private static ulong ShareOf(IntervalReport report, ObservedNamespace observed) =>
        report.Namespaces.Where(delta => delta.Owner == observed.Owner).Aggregate(0UL, (sum, delta) => sum + IntervalReport.ValueOf(delta, DropCategories.UdpRcvbuf));

    private static ulong ShareOf(IntervalReport report, ulong id) =>
        report.Namespaces.Where(delta => delta.NamespaceId == id).Aggregate(0UL, (sum, delta) => sum + IntervalReport.ValueOf(delta, DropCategories.UdpRcvbuf));
}
