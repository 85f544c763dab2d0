using System.Net;
using NetDrop.Kernel.Netlink;
using NetDrop.Kernel.Tests.TestSupport;

namespace NetDrop.Kernel.Tests.Netlink;

public sealed class QdiscDumpTests
{
    private const string QdiscFixture = "netlink/rtm_getqdisc.bin";
    private const uint Root = Interop.Rtnetlink.TC_H_ROOT;
    private const uint Ingress = Interop.Rtnetlink.TC_H_INGRESS;

    [Fact]
    public void Parse_Debian12VirtioFixture_ReturnsLoNoqueueAndEth0PfifoFast()
    {
        List<QdiscRecord> qdiscs = ParseFixture(Fixtures.CapturedKernel);

        Assert.Equal(2, qdiscs.Count);
        QdiscRecord lo = qdiscs[0];
        Assert.Equal((1, "noqueue", 0u, Root, true), (lo.IfIndex, lo.Kind.ToString(), lo.Handle, lo.Parent, lo.IsRoot));
        QdiscRecord eth0 = qdiscs[1];
        Assert.Equal((4, "pfifo_fast", 0u, Root), (eth0.IfIndex, eth0.Kind.ToString(), eth0.Handle, eth0.Parent));
        Assert.Equal((749296ul, 9472ul, 0u, 1u), (eth0.Bytes, eth0.Packets, eth0.Drops, eth0.Requeues));
    }

    [Fact]
    public void Parse_NetnsVethFixture_ReportsEveryQdiscWithHandleAndParent()
    {
        List<QdiscRecord> qdiscs = ParseFixture(Fixtures.NetnsVethQdiscs);

        // ifindex: lo 1, vb 2, va 3, vd 4, vc 5 (see the link fixture). Handles are major << 16.
        Assert.Equal(
            [
                (1, "noqueue", 0x0000_0000u, Root),
                (2, "tbf", 0x0002_0000u, Root),
                (2, "bfifo", 0x0000_0000u, 0x0002_0001u),   // tbf's inner queue: invisible, reported with TCA_DUMP_INVISIBLE
                (2, "ingress", 0xFFFF_0000u, Ingress),
                (3, "mq", 0x0001_0000u, Root),
                (3, "pfifo", 0x0014_0000u, 0x0001_0004u),
                (3, "pfifo", 0x0012_0000u, 0x0001_0002u),
                (3, "pfifo", 0x0011_0000u, 0x0001_0001u),
                (3, "pfifo", 0x0013_0000u, 0x0001_0003u),
                (3, "clsact", 0xFFFF_0000u, Ingress),
                (4, "noqueue", 0x0000_0000u, Root),
                (5, "htb", 0x0003_0000u, Root),
                (5, "pfifo", 0x0000_0000u, 0x0003_0020u),   // class 3:20's default leaf: invisible
                (5, "pfifo", 0x0030_0000u, 0x0003_0010u),
            ],
            qdiscs.Select(q => (q.IfIndex, q.Kind.ToString(), q.Handle, q.Parent)));
    }

    [Fact]
    public void Parse_NetnsVethFixture_RootsAlreadyCountTheirChildrensDrops()
    {
        List<QdiscRecord> qdiscs = ParseFixture(Fixtures.NetnsVethQdiscs);

        // mq: the root is the sum of its per-queue children, computed at dump time (sch_mq.c mq_dump).
        QdiscRecord mq = qdiscs.Single(q => q.Kind.Is("mq"u8));
        Assert.True(mq.IsRoot);
        Assert.Equal(200u, mq.Drops);
        Assert.Equal(mq.Drops, (uint)qdiscs.Where(q => q.Parent >> 16 == 1).Sum(q => q.Drops));
        Assert.Equal(200u, qdiscs.Single(q => q.Handle == 0x0014_0000u).Drops);

        // tbf and htb count a drop of their child queue on themselves too (sch_tbf.c, sch_htb.c enqueue).
        QdiscRecord tbf = qdiscs.Single(q => q.Kind.Is("tbf"u8));
        Assert.Equal((3126ul, 3ul, 197u, 201u), (tbf.Bytes, tbf.Packets, tbf.Drops, tbf.Overlimits));
        Assert.Equal(tbf.Drops, qdiscs.Single(q => q.Kind.Is("bfifo"u8)).Drops);
        QdiscRecord htb = qdiscs.Single(q => q.Kind.Is("htb"u8));
        Assert.Equal((7294ul, 7ul, 193u, 7u), (htb.Bytes, htb.Packets, htb.Drops, htb.Overlimits));
        Assert.Equal(htb.Drops, qdiscs.Single(q => q.Handle == 0x0030_0000u).Drops);

        Assert.All(qdiscs.Where(q => q.Kind.Is("ingress"u8) || q.Kind.Is("clsact"u8)), q => Assert.True(q.IsIngress && !q.IsRoot));
        Assert.All(qdiscs, q => Assert.Equal((0u, 0u), (q.QueueLength, q.Backlog)));
    }

    [Theory]
    [InlineData(Fixtures.CapturedKernel)]
    [InlineData(Fixtures.NetnsVethQdiscs)]
    public void Parse_CapturedFixture_MatchesTcForEveryQdisc(string fixture)
    {
        List<QdiscRecord> qdiscs = ParseFixture(fixture);
        List<TcQdisc> tc = TcQdiscs.Parse(Fixtures.ReadText(fixture, "netlink/oracle/tc-qdisc.json"));
        var ifIndexes = SysfsStatistics.Parse(Fixtures.ReadText(fixture, "netlink/oracle/sysfs-statistics.before.txt"))
            .ToDictionary(i => i.Key, i => (int)i.Value["ifindex"], StringComparer.Ordinal);

        // tc read the counters a moment after the dump: equal in a quiet namespace; on the host eth0 may have moved on.
        bool quiet = fixture == Fixtures.NetnsVethQdiscs;
        Assert.Equal(tc.Count, qdiscs.Count);
        foreach (TcQdisc expected in tc)
        {
            QdiscRecord actual = Assert.Single(
                qdiscs, q => q.IfIndex == ifIndexes[expected.Dev] && q.Handle == expected.Handle && q.Parent == expected.Parent);
            Assert.Equal(expected.Kind, actual.Kind.ToString());
            var parsed = (actual.Bytes, actual.Packets, (ulong)actual.Drops, (ulong)actual.Overlimits, (ulong)actual.Requeues);
            var oracle = (expected.Bytes, expected.Packets, expected.Drops, expected.Overlimits, expected.Requeues);
            if (quiet)
            {
                Assert.Equal(oracle, parsed);
                Assert.Equal((expected.Backlog, expected.Qlen), (actual.Backlog, actual.QueueLength));
            }
            else
            {
                Assert.True(
                    parsed.Bytes <= oracle.Bytes && parsed.Packets <= oracle.Packets && parsed.Item3 <= oracle.Drops,
                    $"{expected.Dev} {expected.Kind}: netlink {parsed}, tc afterwards {oracle}");
            }
        }
    }

    [Fact]
    public void Parse_OnlyLegacyTcStats_FallsBackToStructTcStats()
    {
        var legacy = new Interop.TcStats { bytes = 9000, packets = 9, drops = 4, overlimits = 5, qlen = 2, backlog = 3000 };
        byte[] replies = QdiscMessage(NetlinkBytes.Attribute(Interop.Rtnetlink.TCA_STATS, NetlinkBytes.Struct(legacy)));

        var qdiscs = new List<QdiscRecord>();
        QdiscDump.Parse(replies, qdiscs);

        QdiscRecord q = Assert.Single(qdiscs);
        Assert.Equal((9000ul, 9ul, 4u, 5u, 0u, 2u, 3000u), (q.Bytes, q.Packets, q.Drops, q.Overlimits, q.Requeues, q.QueueLength, q.Backlog));
    }

    [Fact]
    public void Parse_Stats2AndLegacyTcStats_PrefersStats2()
    {
        var legacy = new Interop.TcStats { bytes = 1, packets = 1, drops = 1 };
        var queue = new Interop.GnetStatsQueue { qlen = 1, backlog = 1500, drops = 4_000_000_000, requeues = 6, overlimits = 7 };
        byte[] stats2 = NetlinkBytes.Concat(
            NetlinkBytes.Attribute(Interop.Rtnetlink.TCA_STATS_BASIC, NetlinkBytes.Struct(new Interop.GnetStatsBasic { bytes = 1L << 40, packets = 123 })),
            NetlinkBytes.Attribute(Interop.Rtnetlink.TCA_STATS_QUEUE, NetlinkBytes.Struct(queue)));
        byte[] replies = QdiscMessage(
            NetlinkBytes.Attribute(Interop.Rtnetlink.TCA_STATS2, stats2),
            NetlinkBytes.Attribute(Interop.Rtnetlink.TCA_STATS, NetlinkBytes.Struct(legacy)));

        var qdiscs = new List<QdiscRecord>();
        QdiscDump.Parse(replies, qdiscs);

        QdiscRecord q = Assert.Single(qdiscs);
        Assert.Equal((1ul << 40, 123ul, 4_000_000_000u, 7u, 6u, 1u, 1500u), (q.Bytes, q.Packets, q.Drops, q.Overlimits, q.Requeues, q.QueueLength, q.Backlog));
    }

    [Fact]
    public void Parse_Stats2WithPacketCountPast32Bits_UsesTcaStatsPkt64()
    {
        ulong packets = (1ul << 32) + 5;
        byte[] stats2 = NetlinkBytes.Concat(
            NetlinkBytes.Attribute(Interop.Rtnetlink.TCA_STATS_BASIC, NetlinkBytes.Struct(new Interop.GnetStatsBasic { bytes = 10, packets = 5 })),
            NetlinkBytes.Attribute(Interop.Rtnetlink.TCA_STATS_PKT64, NetlinkBytes.Struct(packets)));
        byte[] replies = QdiscMessage(NetlinkBytes.Attribute(Interop.Rtnetlink.TCA_STATS2, stats2));

        var qdiscs = new List<QdiscRecord>();
        QdiscDump.Parse(replies, qdiscs);

        Assert.Equal(packets, Assert.Single(qdiscs).Packets);
    }

    [Fact]
    public void Parse_ReplyCutMidMessage_ThrowsMalformedWithErrnoZero()
    {
        byte[] replies = Fixtures.ReadBytes(Fixtures.NetnsVethQdiscs, QdiscFixture);

        var qdiscs = new List<QdiscRecord>();
        var error = Assert.Throws<KernelSourceException>(() => QdiscDump.Parse(replies.AsSpan(0, replies.Length - 30), qdiscs));

        Assert.Equal(0, error.Errno);
    }

    [Fact]
    public void Parse_EveryFixtureAfterWarmUp_AllocatesNothing()
    {
        byte[] host = Fixtures.ReadBytes(Fixtures.CapturedKernel, QdiscFixture);
        byte[] netns = Fixtures.ReadBytes(Fixtures.NetnsVethQdiscs, QdiscFixture);
        var qdiscs = new List<QdiscRecord>();
        for (int i = 0; i < 100; i++)
        {
            QdiscDump.Parse(host, qdiscs);
            QdiscDump.Parse(netns, qdiscs);
        }

        long start = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            QdiscDump.Parse(host, qdiscs);
            QdiscDump.Parse(netns, qdiscs);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - start);
    }

    [Fact]
    [Trait("Category", "LinuxHost")]
    public void Read_TbfFloodedInsideATestNamespace_DropsEqualTc()
    {
        using var a = NetworkNamespace.Create("ndnla");
        using var b = NetworkNamespace.Create("ndnlb");
        foreach (NetworkNamespace ns in (NetworkNamespace[])[a, b])
        {
            ns.Shell("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 && sysctl -qw net.ipv6.conf.default.disable_ipv6=1");
        }

        a.Shell($"ip link add va type veth peer name vb netns {b.Name}");
        a.Shell("tc qdisc add dev va root handle 1: tbf rate 1mbit burst 1600 limit 3000");
        a.Shell("ip addr add 10.205.0.1/30 dev va && ip link set va up");
        b.Shell("ip addr add 10.205.0.2/30 dev vb && ip link set vb up");
        a.Shell("ping -c 1 -W 2 10.205.0.2 >/dev/null || true"); // resolve the neighbour before the flood

        int sent = a.Run(() => UdpFlood.Send(IPAddress.Parse("10.205.0.2"), 2000, 1000, TimeSpan.FromSeconds(10)));
        QdiscLab.WaitUntilIdle(a);

        List<QdiscRecord> qdiscs = a.Run(() =>
        {
            using var socket = new NetlinkSocket();
            var result = new List<QdiscRecord>();
            new QdiscDump(socket).Read(result);
            return result;
        });
        TcQdisc tc = Assert.Single(TcQdiscs.Parse(a.Shell("tc -s -j qdisc show")), q => q.Dev == "va");

        int va = int.Parse(a.Shell("cat /sys/class/net/va/ifindex"), System.Globalization.CultureInfo.InvariantCulture);
        QdiscRecord tbf = Assert.Single(qdiscs, q => q.IfIndex == va && q.IsRoot);
        Assert.Equal("tbf", tbf.Kind.ToString());
        Assert.Equal(0x0001_0000u, tbf.Handle);
        Assert.True(tbf.Drops > 0 && tbf.Drops < sent, $"tbf dropped {tbf.Drops} of {sent}");
        Assert.Equal(
            (tc.Drops, tc.Overlimits, tc.Packets, tc.Bytes, tc.Requeues),
            ((ulong)tbf.Drops, (ulong)tbf.Overlimits, tbf.Packets, tbf.Bytes, (ulong)tbf.Requeues));
    }

    [Fact]
    [Trait("Category", "LinuxHost")]
    public void Read_WithoutInvisible_OmitsTheKernelsDefaultChildQueues()
    {
        using var ns = NetworkNamespace.Create("ndnli");
        ns.Shell("ip link add va type veth peer name vb");
        ns.Shell("tc qdisc add dev va root handle 1: tbf rate 1mbit burst 1600 limit 3000");

        (List<QdiscRecord> all, List<QdiscRecord> visible) = ns.Run(() =>
        {
            using var socket = new NetlinkSocket();
            var withInvisible = new List<QdiscRecord>();
            var withoutInvisible = new List<QdiscRecord>();
            new QdiscDump(socket, includeInvisible: true).Read(withInvisible);
            new QdiscDump(socket, includeInvisible: false).Read(withoutInvisible);
            return (withInvisible, withoutInvisible);
        });

        Assert.Equal(TcQdiscs.Parse(ns.Shell("tc -s -j qdisc show invisible")).Count, all.Count);
        Assert.Equal(TcQdiscs.Parse(ns.Shell("tc -s -j qdisc show")).Count, visible.Count);
        Assert.Contains(all, q => q.Kind.Is("bfifo"u8) && q.Parent == 0x0001_0001u);
        Assert.DoesNotContain(visible, q => q.Kind.Is("bfifo"u8));
    }

    [Fact]
    [Trait("Category", "LinuxHost")]
    public void Read_OpenSocketAfterWarmUp_1000DumpsAllocateNothing()
    {
        using var socket = new NetlinkSocket();
        var dump = new QdiscDump(socket);
        var qdiscs = new List<QdiscRecord>();
        for (int i = 0; i < 100; i++)
        {
            dump.Read(qdiscs);
        }

        long start = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            dump.Read(qdiscs);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - start);
        Assert.NotEmpty(qdiscs);
    }

    private static List<QdiscRecord> ParseFixture(string fixture)
    {
        var qdiscs = new List<QdiscRecord>();
        QdiscDump.Parse(Fixtures.ReadBytes(fixture, QdiscFixture), qdiscs);
        return qdiscs;
    }

    private static byte[] QdiscMessage(params byte[][] attributes) =>
        NetlinkBytes.Message(
            Interop.Rtnetlink.RTM_NEWQDISC,
            NetlinkBytes.Struct(new Interop.TcMsg { tcm_ifindex = 2, tcm_handle = 0x0001_0000, tcm_parent = Root }),
            [NetlinkBytes.Attribute(Interop.Rtnetlink.TCA_KIND, "tbf\0"u8), .. attributes]);
}
