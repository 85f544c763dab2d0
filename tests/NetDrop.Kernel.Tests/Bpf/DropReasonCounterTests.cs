using System.Net;
using NetDrop.Kernel.Bpf;
using NetDrop.Kernel.Tests.TestSupport;

namespace NetDrop.Kernel.Tests.Bpf;

/// <summary>
/// Root tests on the real kernel: the program is loaded on the host-wide kfree_skb tracepoint, drops are induced in a
/// namespace of the test's own, and each reason's count is compared with what the test witnessed.
/// NOTE: the host-wide counts include every namespace's drops and other tests run at the same time, so a host-wide
/// delta is asserted to be at least the witnessed count (never less: that would be a missed drop); the test's own
/// namespace, keyed by its inode, must show exactly the witnessed count.
/// </summary>
[Collection(KfreeSkbCollectionDefinition.Name)]
public sealed class DropReasonCounterTests
{
    // Category -> counter mapping, written here rather than taken from the code under test:
    // UDP to a closed port is SKB_DROP_REASON_NO_SOCKET; a full UDP receive queue is SKB_DROP_REASON_SOCKET_RCVBUFF.
    private const string NoSocket = "NO_SOCKET";
    private const string SocketReceiveBuffer = "SOCKET_RCVBUFF";

    // A full qdisc (tbf's inner bfifo) is SKB_DROP_REASON_QDISC_DROP (net/sched: qdisc_drop → __qdisc_drop).
    private const string QdiscDrop = "QDISC_DROP";

    [Fact]
    public void Open_ThisKernel_UsesTheRawTracepointWithTheReasonAsThirdArgument()
    {
        using DropReasonCounter counter = DropReasonCounter.Open();

        // include/trace/events/skb.h on 6.18: TP_PROTO(struct sk_buff *skb, void *location,
        // enum skb_drop_reason reason, struct sock *rx_sk) — the reason is args[2], 16 bytes into the context.
        Assert.True(counter.Source.IsRawTracepoint);
        Assert.Equal(16, counter.Source.ReasonOffset);
        Assert.Equal(BtfFile.VmlinuxPath, counter.Names.Source);
    }

    [Fact]
    public void Read_UdpToClosedPortInOwnNamespace_CountsEverySendAsNoSocket()
    {
        using DropReasonCounter counter = DropReasonCounter.Open();
        int reason = counter.Names.ValueOf(NoSocket);
        ulong[] before = new ulong[counter.Slots];
        ulong[] after = new ulong[counter.Slots];
        using NetworkNamespace ns = NetworkNamespace.Create("ndabpf");
        ns.Shell("ip link set lo up");

        counter.Read(before);
        int sent = DropReasonLab.SendToClosedPort(ns, datagrams: 2000);
        counter.Read(after);

        Assert.Equal(2000, sent);
        Assert.InRange(after[reason] - before[reason], (ulong)sent, ulong.MaxValue);
        Assert.True(counter.KeysByNamespace);
        Assert.Equal((ulong)sent, OwnNamespace(counter, ns)[reason]);
    }

    [Fact]
    public void Read_UnreadUdpSocketOverflowsInOwnNamespace_CountsEveryLostDatagramAsSocketRcvbuff()
    {
        using DropReasonCounter counter = DropReasonCounter.Open();
        int reason = counter.Names.ValueOf(SocketReceiveBuffer);
        ulong[] before = new ulong[counter.Slots];
        ulong[] after = new ulong[counter.Slots];
        using NetworkNamespace ns = NetworkNamespace.Create("ndabpf");
        ns.Shell("ip link set lo up");

        counter.Read(before);
        (int sent, int received) = DropReasonLab.OverflowReceiveBuffer(ns, datagrams: 1000);
        counter.Read(after);

        int lost = sent - received;
        Assert.Equal(1000, sent);
        Assert.InRange(lost, 900, 1000); // the smallest receive buffer holds a handful of 512-byte datagrams
        Assert.InRange(after[reason] - before[reason], (ulong)lost, ulong.MaxValue);
        Assert.Equal((ulong)lost, OwnNamespace(counter, ns)[reason]);
    }

    [Fact]
    public void Open_TracefsOnlyInAPrivateMountNamespace_OnePerfEventOnCpu0CountsNoSocketDropsOnTheLastCpu()
    {
        Assert.False(PrivateTracefs.IsMountedHere(), "tracefs is mounted on the host; this test must not depend on it");

        // No BTF given: the format file under the private tracefs is the only source, so the tracepoint program reads
        // the record's reason field (offset 36 on 6.18) and is attached with one perf_event_open, on CPU 0. The drops are
        // made on the last CPU, which has no perf event: they are counted only if the attach is tracepoint-wide.
        using DropReasonCounter counter = PrivateTracefs.Run(
            () => DropReasonCounter.Open("/nonexistent/vmlinux", PrivateTracefs.Mountpoint));
        Assert.False(PrivateTracefs.IsMountedHere());
        Assert.False(counter.Source.IsRawTracepoint);
        Assert.Equal(Path.Join(PrivateTracefs.Mountpoint, TracepointFormatFile.RelativePath), counter.Names.Source);

        int reason = counter.Names.ValueOf(NoSocket);
        ulong[] before = new ulong[counter.Slots];
        ulong[] after = new ulong[counter.Slots];
        using NetworkNamespace ns = NetworkNamespace.Create("ndabpf");
        ns.Shell("ip link set lo up");

        counter.Read(before);
        int sent = DropReasonLab.SendToClosedPort(ns, datagrams: 1000, onCpu: Environment.ProcessorCount - 1);
        counter.Read(after);

        Assert.True(Environment.ProcessorCount > 1, "needs two CPUs to show one perf event counts another CPU's drops");
        Assert.Equal(1000, sent);
        Assert.InRange(after[reason] - before[reason], (ulong)sent, ulong.MaxValue);
    }

    [Fact]
    public void Open_NeitherBtfNorTracefs_RefusesNamingBoth()
    {
        var refusal = Assert.Throws<DropReasonsUnavailableException>(
            () => DropReasonCounter.Open("/nonexistent/vmlinux", "/nonexistent/tracing"));

        Assert.Equal(DropReasonsMissing.BtfAndTracefs, refusal.Missing);
        Assert.Contains("/nonexistent/vmlinux", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/tracing", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Warm_AllocatesNothing()
    {
        using DropReasonCounter counter = DropReasonCounter.Open();
        ulong[] counts = new ulong[counter.Slots];

        Assert.Equal(0, Allocations.PerCalls(() => counter.Read(counts), warmup: 20, measured: 200));
    }

    [Fact]
    public void ReadNamespace_TwoNamespaces_EachShowsOnlyItsOwnDrops()
    {
        using DropReasonCounter counter = DropReasonCounter.Open();
        int reason = counter.Names.ValueOf(NoSocket);
        using NetworkNamespace first = NetworkNamespace.Create("ndabpf");
        using NetworkNamespace second = NetworkNamespace.Create("ndabpf");
        first.Shell("ip link set lo up");
        second.Shell("ip link set lo up");

        int sentFirst = DropReasonLab.SendToClosedPort(first, datagrams: 300);
        int sentSecond = DropReasonLab.SendToClosedPort(second, datagrams: 700);

        ulong[] firstCounts = OwnNamespace(counter, first);
        ulong[] secondCounts = OwnNamespace(counter, second);
        Assert.Equal((ulong)sentFirst, firstCounts[reason]);
        Assert.Equal((ulong)sentSecond, secondCounts[reason]);
        Assert.Equal((ulong)sentFirst, firstCounts.Aggregate(0UL, (sum, value) => sum + value)); // nothing else died there
    }

    [Fact]
    public void ReadNamespace_TwoNamespacesReadInTurn_EveryReadShowsItsOwnRunningCount()
    {
        using DropReasonCounter counter = DropReasonCounter.Open();
        using NetworkNamespace first = NetworkNamespace.Create("ndabpf");
        using NetworkNamespace second = NetworkNamespace.Create("ndabpf");
        first.Ip("link", "set", "lo", "up");
        second.Ip("link", "set", "lo", "up");
        uint a = DropReasonLab.NamespaceInode(first);
        uint b = DropReasonLab.NamespaceInode(second);
        int reason = counter.Names.ValueOf("NO_SOCKET");

        // A read looks up only the reasons whose host-wide count moved since that namespace's own last read: reads
        // with nothing new must keep each namespace's count, and a read after drops must show all of them, whichever
        // namespace was read in between.
        Assert.Equal((0UL, 0UL), (Count(counter, a, reason), Count(counter, b, reason)));
        int sentA = DropReasonLab.SendToClosedPort(first, datagrams: 120);
        Assert.Equal(((ulong)sentA, 0UL, (ulong)sentA, 0UL, (ulong)sentA),
            (Count(counter, a, reason), Count(counter, b, reason), Count(counter, a, reason), Count(counter, b, reason), Count(counter, a, reason)));
        int sentB = DropReasonLab.SendToClosedPort(second, datagrams: 80);
        Assert.Equal(((ulong)sentB, (ulong)sentA, (ulong)sentB, (ulong)sentA),
            (Count(counter, b, reason), Count(counter, a, reason), Count(counter, b, reason), Count(counter, a, reason)));
        int moreA = DropReasonLab.SendToClosedPort(first, datagrams: 30);
        Assert.Equal(((ulong)(sentA + moreA), (ulong)sentB, (ulong)(sentA + moreA), (ulong)sentB),
            (Count(counter, a, reason), Count(counter, b, reason), Count(counter, a, reason), Count(counter, b, reason)));
        Assert.Equal((120, 80, 30), (sentA, sentB, moreA));
    }

    [Fact]
    public void ReadNamespace_Warm_AllocatesNothing()
    {
        using DropReasonCounter counter = DropReasonCounter.Open();
        ulong[] counts = new ulong[counter.Slots];
        uint inode = DropReasonLab.OwnNamespaceInode();

        Assert.Equal(0, Allocations.PerCalls(() => counter.ReadNamespace(inode, counts), warmup: 20, measured: 200));
    }

    private static ulong Count(DropReasonCounter counter, uint inode, int reason)
    {
        ulong[] counts = new ulong[counter.Slots];
        counter.ReadNamespace(inode, counts);
        return counts[reason];
    }

    private static ulong[] OwnNamespace(DropReasonCounter counter, NetworkNamespace ns)
    {
        uint inode = DropReasonLab.NamespaceInode(ns);
        ulong[] counts = new ulong[counter.Slots];
        counter.ReadNamespace(inode, counts);
        return counts;
    }

    [Fact]
    public void RunOnce_ReasonPastTheEnum_CountsInTheOtherSlotNotInSlotZero()
    {
        using DropReasonCounter counter = DropReasonCounter.Open();
        ulong[] before = new ulong[counter.Slots];
        ulong[] after = new ulong[counter.Slots];

        // args[] of trace_kfree_skb(skb, location, reason, rx_sk); skb NULL, so no namespace is read. 0x00010001 is
        // a subsystem reason (SKB_DROP_REASON_SUBSYS_SHIFT 16, subsystem 1), past every value of the core enum.
        counter.Read(before);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(0u, counter.RunOnce([0, 0, 0x0001_0001, 0]));
        }

        Assert.Equal(0u, counter.RunOnce([0, 0, (ulong)counter.Names.ValueOf(NoSocket), 0]));
        counter.Read(after);

        // Slot 0 is SKB_NOT_DROPPED_YET, which kfree_skb never reports; real subsystem reasons do not occur on this VM,
        // and a real NO_SOCKET drop elsewhere can only add.
        Assert.Equal(before[0], after[0]);
        Assert.InRange(after[counter.OtherSlot] - before[counter.OtherSlot], 5UL, ulong.MaxValue);
        Assert.InRange(after[counter.Names.ValueOf(NoSocket)] - before[counter.Names.ValueOf(NoSocket)], 1UL, ulong.MaxValue);
    }

    [Fact]
    public void Open_SourceWithoutNamespaceOffsets_CountsPerReasonOnly()
    {
        using DropReasonCounter counter = DropReasonCounter.Open(BtfFile.Read() with { Namespace = null });
        int reason = counter.Names.ValueOf(NoSocket);
        ulong[] before = new ulong[counter.Slots];
        ulong[] after = new ulong[counter.Slots];
        using NetworkNamespace ns = NetworkNamespace.Create("ndabpf");
        ns.Shell("ip link set lo up");

        counter.Read(before);
        int sent = DropReasonLab.SendToClosedPort(ns, datagrams: 500);
        counter.Read(after);

        Assert.False(counter.KeysByNamespace);
        Assert.InRange(after[reason] - before[reason], (ulong)sent, ulong.MaxValue);
        Assert.Throws<InvalidOperationException>(() => counter.ReadNamespace(1, after));
    }

    [Fact]
    public void ReadNamespace_UdpFloodIntoAFullTbf_CountsEveryEnobufsAsQdiscDrop()
    {
        using DropReasonCounter counter = DropReasonCounter.Open();
        using NetworkNamespace ns = NetworkNamespace.Create("ndabpf");
        // A veth behind a tbf at 8 kbit/s with room for about 5 datagrams, and a permanent neighbour so nothing waits
        // on ARP: the rest of the flood finds the qdisc full. (The peer then drops what does get through as
        // OTHERHOST, its MAC not being the peer's; that is another reason and does not touch QDISC_DROP.)
        ns.Shell("ip link add d0 type veth peer name d1 && ip link set d1 up && ip link set d0 up && "
            + "ip addr add 10.213.0.1/24 dev d0 && ip neigh add 10.213.0.2 lladdr 02:00:00:00:00:02 dev d0 nud permanent && "
            + "tc qdisc add dev d0 root tbf rate 8kbit burst 1600 limit 1200");

        (int sent, int enobufs) = DropReasonLab.FloodThroughQdisc(ns, IPAddress.Parse("10.213.0.2"), datagrams: 500);

        // The qdisc's own drop counter ("dropped N" of tc -s) is the kernel's witness next to the sender's ENOBUFS.
        string stats = ns.Shell("tc -s qdisc show dev d0");
        int dropped = int.Parse(System.Text.RegularExpressions.Regex.Match(stats, @"dropped (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        ulong[] counts = OwnNamespace(counter, ns);
        Assert.Equal(500, sent + enobufs);
        Assert.InRange(enobufs, 400, 500);
        Assert.Equal(enobufs, dropped);
        Assert.Equal((ulong)enobufs, counts[counter.Names.ValueOf(QdiscDrop)]);
    }
}
