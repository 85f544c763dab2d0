using NetDrop.Kernel.Namespaces;
using NetDrop.Model;
using NetDrop.Sources;

namespace NetDrop.Tests.Namespaces;

/// <summary>
/// Which interface categories a pod's <c>net/dev</c> expresses, and from which column. The expected mapping is written
/// here from <c>dev_seq_printf_stats()</c> (net/core/net-procfs.c), not taken from the code under test:
/// <c>nic_rx</c> ← rx "drop" (4th number: rx_dropped + rx_missed_errors), <c>nic_tx</c> ← tx "drop" (12th: tx_dropped);
/// <c>nic_missed</c> (also ethtool ring-full), <c>qdisc</c>, <c>nic_nohandler</c> (not printed) and <c>nic_rx_errors</c>
/// (the frame column adds rx_over_errors) have no exact column and stay absent.
/// </summary>
public sealed class NetDevCategoryMapTests
{
    private static readonly string s_capture = Path.Join(AppContext.BaseDirectory, "Fixtures", "netdev", "pod-veth-6.18", "dev");

    [Fact]
    public void Map_CapturedPodVeth_ReadsTheDropColumnsTheTestInduced()
    {
        var file = new NetDevFile(s_capture);
        file.Parse(File.ReadAllBytes(s_capture));
        var map = new NetDevCategoryMap(DropCategories.Table);
        int eth0 = file.IndexOf("eth0"u8);

        Assert.True(map.TryGetValue(DropCategories.Table.InterfaceSlotOf(DropCategories.NicRx), file.CountersAt(eth0), out ulong rx));
        Assert.True(map.TryGetValue(DropCategories.Table.InterfaceSlotOf(DropCategories.NicTx), file.CountersAt(eth0), out ulong tx));
        Assert.Equal(41UL, rx); // 41 oversized frames refused into the pod (FIXTURE.md)
        Assert.Equal(23UL, tx); // 23 frames sent with the peer down
    }

    [Fact]
    public void Map_SentinelLine_EachCategoryFromItsOwnColumnAndNoOther()
    {
        // Every column a distinct value: a category read from the wrong column shows the wrong sentinel.
        var file = new NetDevFile("sentinel");
        file.Parse("""
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
              eth0: 101 102 103 104 105 106 107 108 109 110 111 112 113 114 115 116

            """u8.ToArray().AsSpan());
        var map = new NetDevCategoryMap(DropCategories.Table);
        DropCategoryTable table = DropCategories.Table;

        Assert.True(map.TryGetValue(table.InterfaceSlotOf(DropCategories.NicRx), file.CountersAt(0), out ulong rx));
        Assert.True(map.TryGetValue(table.InterfaceSlotOf(DropCategories.NicTx), file.CountersAt(0), out ulong tx));
        Assert.Equal(104UL, rx);
        Assert.Equal(112UL, tx);
        Assert.Equal(["nic_rx", "nic_tx"], map.Categories.ToArray().Select(category => category.Column));
        foreach (DropCategory absent in (DropCategory[])[DropCategories.NicMissed, DropCategories.Qdisc, DropCategories.NicNoHandler, DropCategories.NicRxErrors])
        {
            Assert.False(map.Expresses(absent));
            Assert.False(map.TryGetValue(table.InterfaceSlotOf(absent), file.CountersAt(0), out _));
        }
    }

    [Fact]
    public void Map_ARowWhoseFieldsAreAColumnsExactly_IsReadFromThatColumn()
    {
        // Derived from the rows' terms: a row of rx_length + rx_over + rx_crc + rx_frame is the frame column (106).
        var frameErrors = new DropCategory(
            DropCategories.Table.Count, "frame_errors", "Frame errors", CategoryKind.Drop,
            CounterFormula.Sum(KernelCounter.Link("rx_length_errors"), KernelCounter.Link("rx_over_errors"), KernelCounter.Link("rx_crc_errors"), KernelCounter.Link("rx_frame_errors")),
            new("frames broken"));
        DropCategoryTable table = DropCategories.Table.Append(frameErrors);
        var file = new NetDevFile("sentinel");
        file.Parse("  eth0: 101 102 103 104 105 106 107 108 109 110 111 112 113 114 115 116\n"u8.ToArray().AsSpan());

        Assert.True(new NetDevCategoryMap(table).TryGetValue(table.InterfaceSlotOf(frameErrors), file.CountersAt(0), out ulong value));
        Assert.Equal(106UL, value);
    }
}
