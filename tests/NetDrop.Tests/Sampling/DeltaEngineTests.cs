using NetDrop.Kernel.Snapshots;
using NetDrop.Model;
using NetDrop.Sources;
using NetDrop.Deltas;

namespace NetDrop.Tests.Sampling;

public class DeltaEngineTests
{
    private const uint RootParent = 0xFFFFFFFF;

    private readonly InterfaceRegistry _registry = new();
    private readonly int _eth0;
    private readonly int _eth1;

    public DeltaEngineTests()
    {
        _eth0 = _registry.GetOrAdd("eth0");
        _eth1 = _registry.GetOrAdd("eth1");
    }

    [Fact]
    public void Compute_SynAndAcceptQueue_UseTheirOwnCountersWithoutDoubleCounting()
    {
        // The seed read ListenDrops for syn_queue, which already holds every ListenOverflows: 30 accept-queue drops
        // made it report 30 + 30. Here: ListenOverflows +30, TCPReqQFullDrop +4, ListenDrops +36 (30 + 4 + 2 other).
        IntervalReport report = Compute(
            new SampleBuilder().Host(HostCounter.TcpListenOverflows, 100).Host(HostCounter.TcpReqQFullDrop, 10).Host(HostCounter.TcpListenDrops, 200),
            new SampleBuilder().Host(HostCounter.TcpListenOverflows, 130).Host(HostCounter.TcpReqQFullDrop, 14).Host(HostCounter.TcpListenDrops, 236));

        Assert.Equal(30UL, report[DropCategories.AcceptQueue]);
        Assert.Equal(4UL, report[DropCategories.SynQueue]);
        Assert.Equal(2UL, report[DropCategories.ListenOther]);
        Assert.Equal(36UL, report.TotalDrops);
    }

    [Fact]
    public void Compute_UdpBufferErrors_AddIPv4AndIPv6()
    {
        IntervalReport report = Compute(
            new SampleBuilder().Host(HostCounter.UdpRcvbufErrors, 5).Host(HostCounter.Udp6RcvbufErrors, 50),
            new SampleBuilder().Host(HostCounter.UdpRcvbufErrors, 8).Host(HostCounter.Udp6RcvbufErrors, 60));

        Assert.Equal(13UL, report[DropCategories.UdpRcvbuf]);
    }

    [Fact]
    public void Compute_CollapsedAndSqueeze_ArePressureNotDrops()
    {
        IntervalReport report = Compute(
            new SampleBuilder().Host(HostCounter.TcpRcvCollapsed, 0).Softnet((0, 0, 0)),
            new SampleBuilder().Host(HostCounter.TcpRcvCollapsed, 500).Softnet((0, 0, 40)));

        Assert.Equal(500UL, report[DropCategories.TcpCollapsed]);
        Assert.Equal(40UL, report[DropCategories.SoftnetSqueeze]);
        Assert.Equal(0UL, report.TotalDrops);
        Assert.Equal(Severity.Ok, report.Severity);
    }

    [Fact]
    public void Compute_SoftnetPerCpu_WrapsAt32BitsAndMatchesCpuById()
    {
        // CPU 1 went offline between samples (rows shift); CPU 3's counter wrapped.
        IntervalReport report = Compute(
            new SampleBuilder().Softnet((0, 10, 0), (1, 20, 0), (3, uint.MaxValue - 1, 0)),
            new SampleBuilder().Softnet((0, 15, 0), (3, 2, 0)));

        Assert.Equal([new SoftnetDelta(0, 5, 0), new SoftnetDelta(3, 4, 0)], report.Cpus);
        Assert.Equal(9UL, report[DropCategories.Softirq]);
    }

    [Fact]
    public void Compute_SoftnetCpuBroughtOnline_StartsABaselineNotItsTotalSinceBoot()
    {
        // CPU 1 comes back online with the 7,000 drops it counted before it went offline (its softnet_data is never
        // reset): those are not this interval's.
        IntervalReport report = Compute(
            new SampleBuilder().Softnet((0, 10, 0)),
            new SampleBuilder().Softnet((0, 15, 0), (1, 7_000, 30)));

        Assert.Equal([new SoftnetDelta(0, 5, 0), new SoftnetDelta(1, 0, 0)], report.Cpus);
        Assert.Equal(5UL, report[DropCategories.Softirq]);
        Assert.Equal(0UL, report[DropCategories.SoftnetSqueeze]);
    }

    [Fact]
    public void Compute_InterfaceCounterReset_CountsNewValueNotNegative()
    {
        IntervalReport report = Compute(
            new SampleBuilder().Interface(_eth0, ifIndex: 2, rxDropped: 1_000_000),
            new SampleBuilder().Interface(_eth0, ifIndex: 2, rxDropped: 12));

        Assert.Equal(12UL, report[DropCategories.NicRx]);
    }

    [Fact]
    public void Compute_InterfaceRecreatedWithNewIfIndex_IsABaselineAndSaysSo()
    {
        // Same name, new device: 40 > 30 would look like +10, and counting its whole 40 could be a moved-in device's
        // lifetime. A new ifindex is a baseline; the next interval counts from it.
        var first = new SampleBuilder().Interface(_eth0, ifIndex: 2, txDropped: 30).Build();
        var second = new SampleBuilder().Interface(_eth0, ifIndex: 9, txDropped: 40).Build();
        IntervalReport report = Compute(first, second);

        Assert.Equal(0UL, report[DropCategories.NicTx]);
        Assert.Contains(report.Events, message => message.Contains("eth0 was re-created (ifindex 2 -> 9)", StringComparison.Ordinal));

        IntervalReport next = Compute(second, new SampleBuilder().Interface(_eth0, ifIndex: 9, txDropped: 43).Build());
        Assert.Equal(3UL, next[DropCategories.NicTx]);
    }

    [Fact]
    public void Compute_InterfaceVanished_ReportedAndSkipped()
    {
        IntervalReport report = Compute(
            new SampleBuilder().Interface(_eth0, 2, rxDropped: 5).Interface(_eth1, 3, rxDropped: 7),
            new SampleBuilder().Interface(_eth0, 2, rxDropped: 6));

        Assert.Equal(1UL, report[DropCategories.NicRx]);
        Assert.Single(report.Interfaces);
        Assert.Contains(report.Events, message => message.Contains("eth1 disappeared", StringComparison.Ordinal));
    }

    [Fact]
    public void Compute_InterfaceAppeared_IsABaselineItsQdiscsToo()
    {
        // An interface moved in from another namespace carries its lifetime counters (dev_change_net_namespace keeps
        // them): its first sample is a baseline, never this interval's drops.
        var first = new SampleBuilder().Interface(_eth0, 2).Build();
        var second = new SampleBuilder().Interface(_eth0, 2).Interface(_eth1, 3, rxDropped: 4000).Qdisc(3, 0, RootParent, 700).Build();
        IntervalReport report = Compute(first, second);

        Assert.Equal(0UL, report[DropCategories.NicRx]);
        Assert.Equal(0UL, report[DropCategories.Qdisc]);
        Assert.Contains(report.Events, message => message.Contains("eth1 appeared (ifindex 3)", StringComparison.Ordinal));

        IntervalReport next = Compute(
            second, new SampleBuilder().Interface(_eth0, 2).Interface(_eth1, 3, rxDropped: 4004).Qdisc(3, 0, RootParent, 702).Build());
        Assert.Equal(4UL, next[DropCategories.NicRx]);
        Assert.Equal(2UL, next[DropCategories.Qdisc]);
    }

    [Fact]
    public void Compute_InterfaceRenamed_KeepsCountingByIfIndex()
    {
        // ip link set eth0 name wan0: same ifindex, same counters. Only the 20 new drops are this interval's.
        int wan0 = _registry.GetOrAdd("wan0");
        IntervalReport report = Compute(
            new SampleBuilder().Interface(_eth0, 2, rxDropped: 30),
            new SampleBuilder().Interface(wan0, 2, rxDropped: 50));

        Assert.Equal(20UL, report[DropCategories.NicRx]);
        Assert.Equal(wan0, Assert.Single(report.Interfaces).Series);
        Assert.Contains(report.Events, message => message.Contains("eth0 (ifindex 2) was renamed to wan0", StringComparison.Ordinal));
    }

    [Fact]
    public void Compute_BridgePort_KeepsItsOwnLinkDrops()
    {
        // A bridge does not fold its ports' counters into its own (only bond_get_stats does): a port's 50 rx drops
        // are the port's, and the bridge's 3 are the bridge's.
        int br0 = _registry.GetOrAdd("br0");
        IntervalReport report = Compute(
            new SampleBuilder().Interface(br0, 10).Interface(_eth0, 2, master: 10, masterKind: LinkKind.Bridge).Qdisc(2, 0, RootParent, 0),
            new SampleBuilder().Interface(br0, 10, rxDropped: 3).Interface(_eth0, 2, rxDropped: 50, master: 10, masterKind: LinkKind.Bridge).Qdisc(2, 0, RootParent, 4));

        Assert.Equal(53UL, report[DropCategories.NicRx]);
        Assert.Equal(4UL, report[DropCategories.Qdisc]);
        Assert.Empty(report.Slaves);
        Assert.Equal(2, report.Interfaces.Count);
    }

    [Fact]
    public void Compute_QdiscDeletedAndReAddedAtTheSameHandle_CountsTheNewInstanceFromZero()
    {
        // tc qdisc del dev eth0 root; tc qdisc add dev eth0 root handle 1: htb — within one interval. The old tbf 1:
        // had dropped 388 in its life; the new htb 1: has dropped 1494. Diffing them would report 1106.
        IntervalReport kindChanged = Compute(
            new SampleBuilder().Interface(_eth0, 2).Qdisc(2, 0x10000, RootParent, 388, kind: "tbf", packets: 9000, bytes: 900_000),
            new SampleBuilder().Interface(_eth0, 2).Qdisc(2, 0x10000, RootParent, 1494, kind: "htb", packets: 12000, bytes: 1_200_000));
        Assert.Equal(1494UL, kindChanged[DropCategories.Qdisc]);

        // The same kind again: its packets and bytes went down, so it is a new instance too.
        IntervalReport sameKind = Compute(
            new SampleBuilder().Interface(_eth0, 2).Qdisc(2, 0x10000, RootParent, 388, kind: "tbf", packets: 9000, bytes: 900_000),
            new SampleBuilder().Interface(_eth0, 2).Qdisc(2, 0x10000, RootParent, 1494, kind: "tbf", packets: 100, bytes: 10_000));
        Assert.Equal(1494UL, sameKind[DropCategories.Qdisc]);

        // The same instance: counters only grew, so the delta is the difference.
        IntervalReport same = Compute(
            new SampleBuilder().Interface(_eth0, 2).Qdisc(2, 0x10000, RootParent, 388, kind: "tbf", packets: 9000, bytes: 900_000),
            new SampleBuilder().Interface(_eth0, 2).Qdisc(2, 0x10000, RootParent, 1494, kind: "tbf", packets: 9100, bytes: 910_000));
        Assert.Equal(1106UL, same[DropCategories.Qdisc]);
    }

    [Fact]
    public void Compute_QdiscReplaced_NewHandleCountsFromZero()
    {
        // "tc qdisc replace": the old root 1: vanished with 900 drops, the new 2: has 15.
        IntervalReport report = Compute(
            new SampleBuilder().Interface(_eth0, 2).Qdisc(2, 0x10000, RootParent, 900),
            new SampleBuilder().Interface(_eth0, 2).Qdisc(2, 0x20000, RootParent, 15));

        Assert.Equal(15UL, report[DropCategories.Qdisc]);
    }

    [Fact]
    public void Compute_QdiscDrops_OnlyForMonitoredInterfaces()
    {
        IntervalReport report = Compute(
            new SampleBuilder().Interface(_eth0, 2).Qdisc(2, 0, RootParent, 10).Qdisc(5, 0, RootParent, 10),
            new SampleBuilder().Interface(_eth0, 2).Qdisc(2, 0, RootParent, 13).Qdisc(5, 0, RootParent, 500));

        Assert.Equal(3UL, report[DropCategories.Qdisc]);
    }

    [Fact]
    public void Compute_FailedSource_MarksItsCategoriesUnavailableAndLeavesOthers()
    {
        IntervalReport report = Compute(
            new SampleBuilder().Interface(_eth0, 2).Host(HostCounter.UdpRcvbufErrors, 1),
            new SampleBuilder().Interface(_eth0, 2).Host(HostCounter.UdpRcvbufErrors, 4).Failed(SourceId.Qdisc).MissingHost(HostCounter.TcpRcvQDrop));

        Assert.True(report.IsUnavailable(DropCategories.Qdisc));
        Assert.True(report.IsUnavailable(DropCategories.TcpRcvQueue));
        Assert.False(report.IsUnavailable(DropCategories.UdpRcvbuf));
        Assert.Equal(3UL, report[DropCategories.UdpRcvbuf]);
    }

    [Fact]
    public void Compute_LinkSourceFailed_MakesQdiscUnavailableTooRatherThanShort()
    {
        // eth1's statistics did not parse, so the link source failed and eth1 is missing from the sample: its qdisc's
        // 40 drops cannot be attributed, and a qdisc column of eth0's 2 alone would be neither exact nor marked.
        IntervalReport report = Compute(
            new SampleBuilder().Interface(_eth0, 2).Interface(_eth1, 3).Qdisc(2, 0, RootParent, 0).Qdisc(3, 0, RootParent, 0),
            new SampleBuilder().Interface(_eth0, 2).Qdisc(2, 0, RootParent, 2).Qdisc(3, 0, RootParent, 40).Failed(SourceId.Links));

        Assert.True(report.IsUnavailable(DropCategories.NicRx));
        Assert.True(report.IsUnavailable(DropCategories.Qdisc));
        Assert.Equal(0UL, report[DropCategories.Qdisc]);
    }

    [Fact]
    public void Compute_BondWithSlaves_TakesLinkCountersFromMasterAndAddsSlaveQdiscsAndRings()
    {
        // bond_get_stats() already folds slave counters into the bond's: adding the slaves again would double count.
        int bond0 = _registry.GetOrAdd("bond0");
        IntervalReport report = Compute(
            new SampleBuilder()
                .Interface(bond0, 10, rxDropped: 100).Interface(_eth0, 2, rxDropped: 60, master: 10, ringFull: 1, masterKind: LinkKind.Bond)
                .Interface(_eth1, 3, rxDropped: 40, master: 10, masterKind: LinkKind.Bond)
                .Qdisc(2, 0, RootParent, 0).Qdisc(3, 0, RootParent, 0),
            new SampleBuilder()
                .Interface(bond0, 10, rxDropped: 130).Interface(_eth0, 2, rxDropped: 80, master: 10, ringFull: 6, masterKind: LinkKind.Bond)
                .Interface(_eth1, 3, rxDropped: 50, master: 10, masterKind: LinkKind.Bond)
                .Qdisc(2, 0, RootParent, 7).Qdisc(3, 0, RootParent, 2));

        Assert.Equal(30UL, report[DropCategories.NicRx]);
        Assert.Equal(9UL, report[DropCategories.Qdisc]);
        Assert.Equal(5UL, report[DropCategories.NicMissed]);
        Assert.Single(report.Interfaces);
        Assert.Equal([20UL, 10UL], report.Slaves.Select(slave => report.ValueOf(slave, DropCategories.NicRx)));
        Assert.All(report.Slaves, slave => Assert.Equal(bond0, slave.MasterSeries));
    }

    [Theory]
    [InlineData(0, "OK")]
    [InlineData(1, "WARN")]
    [InlineData(99, "WARN")]
    [InlineData(100, "CRIT")]
    [InlineData(523, "CRIT")]
    public void Compute_SeverityFollowsSeedThresholds(ulong drops, string expected)
    {
        IntervalReport report = Compute(
            new SampleBuilder().Host(HostCounter.TcpListenOverflows, 0).Host(HostCounter.TcpListenDrops, 0),
            new SampleBuilder().Host(HostCounter.TcpListenOverflows, drops).Host(HostCounter.TcpListenDrops, drops));

        Assert.Equal(expected, SeverityNames.Text(report.Severity));
    }

    [Fact]
    public void Compute_PerCategoryThreshold_MakesCritBelowTotalThreshold()
    {
        var engine = new DeltaEngine(TestPlans.Default, _registry, new SeverityPolicy(100, new Dictionary<string, long> { ["udp_rcvbuf"] = 10 }));
        var report = new IntervalReport(DropCategories.Table);

        engine.Compute(new SampleBuilder().Build(), new SampleBuilder().Host(HostCounter.UdpRcvbufErrors, 12).Build(), report, TimeSpan.FromSeconds(5));

        Assert.Equal(Severity.Crit, report.Severity);
    }

    [Fact]
    public void Compute_TotalIsSumOfDropColumnsOnly()
    {
        IntervalReport report = Compute(
            new SampleBuilder().Interface(_eth0, 2).Softnet((0, 0, 0)),
            new SampleBuilder().Interface(_eth0, 2, rxDropped: 1, txDropped: 2, missed: 3)
                .Softnet((0, 4, 1000)).Host(HostCounter.TcpRcvCollapsed, 1000).Host(HostCounter.TcpPruneCalled, 1000)
                .Host(HostCounter.UdpSndbufErrors, 5).Host(HostCounter.TcpBacklogDrop, 6));

        // nic_rx 1 + nic_tx 2 + nic_missed 3 + softirq 4 + udp_sndbuf 5 + tcp_backlog 6; not the 3000 of pressure.
        Assert.Equal(21UL, report.TotalDrops);
    }

    private IntervalReport Compute(SampleBuilder previous, SampleBuilder current) => Compute(previous.Build(), current.Build());

    private IntervalReport Compute(Sample previous, Sample current)
    {
        var engine = new DeltaEngine(TestPlans.Default, _registry, new SeverityPolicy());
        var report = new IntervalReport(DropCategories.Table);
        engine.Compute(previous, current, report, TimeSpan.FromSeconds(5));
        return report;
    }
}
