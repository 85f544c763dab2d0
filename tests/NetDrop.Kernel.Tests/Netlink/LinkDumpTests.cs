using System.Net;
using System.Runtime.InteropServices;
using NetDrop.Kernel.Netlink;
using NetDrop.Kernel.Snapshots;
using NetDrop.Kernel.Tests.TestSupport;

namespace NetDrop.Kernel.Tests.Netlink;

public sealed class LinkDumpTests
{
    private const string LinkFixture = "netlink/rtm_getlink.bin";

    [Fact]
    public void Parse_Debian12VirtioFixture_ReturnsEveryInterfaceInIndexOrder()
    {
        List<LinkRecord> links = ParseFixture(Fixtures.CapturedKernel);

        Assert.Equal(
            [(1, "lo", Interop.Rtnetlink.IF_OPER_UNKNOWN), (2, "ifb0", Interop.Rtnetlink.IF_OPER_DOWN),
             (3, "ifb1", Interop.Rtnetlink.IF_OPER_DOWN), (4, "eth0", Interop.Rtnetlink.IF_OPER_UP)],
            links.Select(l => (l.IfIndex, l.Name.ToString(), l.OperState)));
        Assert.All(links, l => Assert.Equal(0, l.MasterIfIndex));
        Assert.All(links, l => Assert.True(l.HasStats));
    }

    [Fact]
    public void Parse_Debian12VirtioFixture_CountersMatchGoldenValues()
    {
        List<LinkRecord> links = ParseFixture(Fixtures.CapturedKernel);

        LinkCounters eth0 = links.Single(l => l.Name.ToString() == "eth0").Counters;
        Assert.Equal(13995ul, eth0.RxPackets);
        Assert.Equal(563633734ul, eth0.RxBytes);
        Assert.Equal(9471ul, eth0.TxPackets);
        Assert.Equal(749230ul, eth0.TxBytes);
        Assert.Equal(0ul, eth0.RxDropped);
        LinkCounters lo = links.Single(l => l.Name.ToString() == "lo").Counters;
        Assert.Equal(50ul, lo.RxPackets);
        Assert.Equal(7969ul, lo.TxBytes);
    }

    [Theory]
    [InlineData(Fixtures.CapturedKernel)]
    [InlineData(Fixtures.NetnsVethQdiscs)]
    public void Parse_CapturedFixture_EveryCounterLiesBetweenSysfsReadsAroundTheDump(string fixture)
    {
        List<LinkRecord> links = ParseFixture(fixture);
        var before = SysfsStatistics.Parse(Fixtures.ReadText(fixture, "netlink/oracle/sysfs-statistics.before.txt"));
        var after = SysfsStatistics.Parse(Fixtures.ReadText(fixture, "netlink/oracle/sysfs-statistics.after.txt"));

        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), links.Select(l => l.Name.ToString()).Order(StringComparer.Ordinal));
        foreach (LinkRecord link in links)
        {
            string name = link.Name.ToString();
            Assert.Equal((ulong)link.IfIndex, before[name]["ifindex"]);
            foreach (string counter in SysfsStatistics.CounterNames)
            {
                ulong parsed = SysfsStatistics.Get(link.Counters, counter);
                Assert.True(
                    before[name][counter] <= parsed && parsed <= after[name][counter],
                    $"{fixture} {name} {counter}: netlink {parsed}, sysfs before {before[name][counter]}, after {after[name][counter]}");
            }
        }
    }

    [Fact]
    public void Parse_NetnsVethFixture_ReturnsVethPairsUpAndTheirTraffic()
    {
        List<LinkRecord> links = ParseFixture(Fixtures.NetnsVethQdiscs);

        Assert.Equal(
            [(1, "lo"), (2, "vb"), (3, "va"), (4, "vd"), (5, "vc")],
            links.Select(l => (l.IfIndex, l.Name.ToString())));
        Assert.All(links.Where(l => l.IfIndex > 1), l => Assert.Equal(Interop.Rtnetlink.IF_OPER_UP, l.OperState));

        // The tbf on vb let 3 datagrams through and the htb on vc 7: qdisc drops never show in tx_dropped.
        LinkCounters vb = links.Single(l => l.Name.ToString() == "vb").Counters;
        Assert.Equal((3ul, 3126ul, 0ul), (vb.TxPackets, vb.TxBytes, vb.TxDropped));
        LinkCounters vc = links.Single(l => l.Name.ToString() == "vc").Counters;
        Assert.Equal((7ul, 7294ul, 0ul), (vc.TxPackets, vc.TxBytes, vc.TxDropped));
        LinkCounters va = links.Single(l => l.Name.ToString() == "va").Counters;
        Assert.Equal((0ul, 0ul, 3ul), (va.TxPackets, va.TxDropped, va.RxPackets));
    }

    [Fact]
    public void Parse_Stats64ShorterThanLinkCounters_ZeroFillsTheMissingFields()
    {
        // An older kernel's rtnl_link_stats64 ends before rx_nohandler (added in 4.6): 23 fields.
        ulong[] fields = Enumerable.Range(1, 23).Select(i => (ulong)i * 1000).ToArray();
        byte[] replies = NetlinkBytes.Concat(
            LinkMessage(7, "old0", NetlinkBytes.Attribute(Interop.Rtnetlink.IFLA_STATS64, MemoryMarshal.AsBytes(fields.AsSpan()))),
            NetlinkBytes.Done());

        var links = new List<LinkRecord>();
        LinkDump.Parse(replies, links);

        LinkRecord link = Assert.Single(links);
        Assert.True(link.HasStats);
        Assert.Equal(1000ul, link.Counters.RxPackets);
        Assert.Equal(23000ul, link.Counters.TxCompressed);
        Assert.Equal(0ul, link.Counters.RxNoHandler);
    }

    [Fact]
    public void Parse_Stats64LongerThanLinkCounters_IgnoresTheFieldsAfterRxNoHandler()
    {
        ulong[] fields = Enumerable.Range(1, 26).Select(i => (ulong)i).ToArray();
        byte[] replies = LinkMessage(7, "new0", NetlinkBytes.Attribute(Interop.Rtnetlink.IFLA_STATS64, MemoryMarshal.AsBytes(fields.AsSpan())));

        var links = new List<LinkRecord>();
        LinkDump.Parse(replies, links);

        Assert.Equal(24ul, Assert.Single(links).Counters.RxNoHandler);
    }

    [Fact]
    public void Parse_MessageWithoutStats64_ReportsNoStats()
    {
        byte[] replies = LinkMessage(9, "x0", NetlinkBytes.Attribute(Interop.Rtnetlink.IFLA_MASTER, NetlinkBytes.Struct(3)));

        var links = new List<LinkRecord>();
        LinkDump.Parse(replies, links);

        LinkRecord link = Assert.Single(links);
        Assert.Equal((9, "x0", 3, false), (link.IfIndex, link.Name.ToString(), link.MasterIfIndex, link.HasStats));
        Assert.Equal(default, link.Counters);
    }

    [Fact]
    public void Parse_ReplyCutMidMessage_ThrowsMalformedWithErrnoZero()
    {
        byte[] replies = Fixtures.ReadBytes(Fixtures.CapturedKernel, LinkFixture);

        var links = new List<LinkRecord>();
        var error = Assert.Throws<KernelSourceException>(() => LinkDump.Parse(replies.AsSpan(0, replies.Length / 2), links));

        Assert.Equal(0, error.Errno);
        Assert.Contains("malformed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ListHoldingAnEarlierDump_IsClearedFirst()
    {
        byte[] replies = Fixtures.ReadBytes(Fixtures.CapturedKernel, LinkFixture);
        var links = new List<LinkRecord>();

        LinkDump.Parse(replies, links);
        LinkDump.Parse(replies, links);

        Assert.Equal(4, links.Count);
    }

    [Fact]
    public void Parse_EveryFixtureAfterWarmUp_AllocatesNothing()
    {
        byte[] host = Fixtures.ReadBytes(Fixtures.CapturedKernel, LinkFixture);
        byte[] netns = Fixtures.ReadBytes(Fixtures.NetnsVethQdiscs, LinkFixture);
        var links = new List<LinkRecord>();
        for (int i = 0; i < 100; i++)
        {
            LinkDump.Parse(host, links);
            LinkDump.Parse(netns, links);
        }

        long start = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            LinkDump.Parse(host, links);
            LinkDump.Parse(netns, links);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - start);
    }

    [Fact]
    [Trait("Category", "LinuxHost")]
    public void Read_InsideATestNamespaceAfterTraffic_EqualsSysfsForEveryInterface()
    {
        using var a = NetworkNamespace.Create("ndnla");
        using var b = NetworkNamespace.Create("ndnlb");
        foreach (NetworkNamespace ns in (NetworkNamespace[])[a, b])
        {
            ns.Shell("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 && sysctl -qw net.ipv6.conf.default.disable_ipv6=1");
            ns.Shell("ip link set lo up");
        }

        a.Shell($"ip link add va type veth peer name vb netns {b.Name}");
        a.Shell("ip addr add 10.204.0.1/30 dev va && ip link set va up");
        b.Shell("ip addr add 10.204.0.2/30 dev vb && ip link set vb up");

        // A permanent neighbour entry: without it the first datagrams wait for ARP and the kernel drops what
        // overflows the unresolved queue (unres_qlen), so fewer than 500 would leave va on a busy machine.
        string peerMac = b.Shell("cat /sys/class/net/vb/address").Trim();
        a.Shell($"ip neigh replace 10.204.0.2 lladdr {peerMac} dev va nud permanent");
        a.Run(() => UdpFlood.Send(IPAddress.Parse("10.204.0.2"), 500, 700, TimeSpan.FromSeconds(10)));
        a.Run(() => UdpFlood.Send(IPAddress.Parse("127.0.0.1"), 50, 100, TimeSpan.FromSeconds(10)));

        // Counters are quiet once the flood is over; read netlink, sysfs, netlink and accept only a stable pair.
        List<LinkRecord> links = [];
        Dictionary<string, Dictionary<string, ulong>> sysfs = [];
        for (int attempt = 0; attempt < 5; attempt++)
        {
            List<LinkRecord> first = a.Run(ReadLinks);
            sysfs = SysfsStatistics.Parse(a.Shell(SysfsStatistics.Script));
            links = a.Run(ReadLinks);
            if (first.Select(l => l.Counters).SequenceEqual(links.Select(l => l.Counters)))
            {
                break;
            }

            Thread.Sleep(200);
        }

        Assert.Equal(["lo", "va"], links.Select(l => l.Name.ToString()).Order(StringComparer.Ordinal));
        Assert.True(links.Single(l => l.Name.ToString() == "va").Counters.TxPackets >= 500);
        foreach (LinkRecord link in links)
        {
            string name = link.Name.ToString();
            Assert.Equal((ulong)link.IfIndex, sysfs[name]["ifindex"]);
            foreach (string counter in SysfsStatistics.CounterNames)
            {
                Assert.True(
                    sysfs[name][counter] == SysfsStatistics.Get(link.Counters, counter),
                    $"{name} {counter}: netlink {SysfsStatistics.Get(link.Counters, counter)}, sysfs {sysfs[name][counter]}");
            }
        }
    }

    [Fact]
    [Trait("Category", "LinuxHost")]
    public void Read_OpenSocketAfterWarmUp_1000DumpsAllocateNothing()
    {
        using var socket = new NetlinkSocket();
        var dump = new LinkDump(socket);
        var links = new List<LinkRecord>();
        for (int i = 0; i < 100; i++)
        {
            dump.Read(links);
        }

        long start = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            dump.Read(links);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - start);
        Assert.NotEmpty(links);
    }

    private static List<LinkRecord> ReadLinks()
    {
        using var socket = new NetlinkSocket();
        var links = new List<LinkRecord>();
        new LinkDump(socket).Read(links);
        return links;
    }

    private static List<LinkRecord> ParseFixture(string fixture)
    {
        var links = new List<LinkRecord>();
        LinkDump.Parse(Fixtures.ReadBytes(fixture, LinkFixture), links);
        return links;
    }

    private static byte[] LinkMessage(int ifIndex, string name, params byte[][] attributes)
    {
        byte[] nameBytes = [.. System.Text.Encoding.UTF8.GetBytes(name), 0];
        return NetlinkBytes.Message(
            Interop.Rtnetlink.RTM_NEWLINK,
            NetlinkBytes.Struct(new Interop.IfInfoMsg { ifi_index = ifIndex }),
            [NetlinkBytes.Attribute(Interop.Rtnetlink.IFLA_IFNAME, nameBytes), .. attributes]);
    }
}
