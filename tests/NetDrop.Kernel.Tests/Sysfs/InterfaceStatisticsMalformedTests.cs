using NetDrop.Kernel.Snapshots;
using NetDrop.Kernel.Sysfs;
using NetDrop.Kernel.Tests.TestSupport;

namespace NetDrop.Kernel.Tests.Sysfs;

/// <summary>
/// A statistics or ifindex file whose text is not what net-sysfs prints fails the interface's read with EBADMSG
/// (issue 15 item 4): it used to read as 0, and the next good read counted every drop since boot; a garbled ifindex
/// looked like a re-created interface.
/// </summary>
public class InterfaceStatisticsMalformedTests
{
    [Theory]
    [InlineData("rx_dropped", "")]
    [InlineData("rx_dropped", "12")]                   // cut off before its newline
    [InlineData("rx_dropped", "12\r\n")]
    [InlineData("rx_dropped", "1\02\n")]
    [InlineData("rx_dropped", "12\0\n")]
    [InlineData("rx_dropped", "18446744073709551616\n")]
    [InlineData("rx_dropped", "123456789012345678901234567890\n")]
    [InlineData("rx_dropped", "-5\n")]
    [InlineData("rx_dropped", "\xff\xfe\n")]
    [InlineData("rx_packets", "-5\n")]                  // not a drop counter, but the same read: nothing of it is used
    [InlineData("ifindex", "-5\n")]
    [InlineData("ifindex", "0\n")]
    [InlineData("ifindex", "4294967298\n")]             // (int) of this was 2: the same ifindex, or a "new" one
    [InlineData("ifindex", "2\r\n")]
    [InlineData("ifindex", "")]
    public void TryRead_MalformedFile_FailsWithEbadmsgAndNoValues(string file, string content)
    {
        using TemporaryRoot root = Fixtures.Temporary(("sys/class/net/eth0/ifindex", "2\n"));
        foreach (string name in InterfaceStatisticNames.InFieldOrder)
        {
            root.Write($"sys/class/net/eth0/statistics/{name}", "1000\n");
        }

        root.Write(file == "ifindex" ? "sys/class/net/eth0/ifindex" : $"sys/class/net/eth0/statistics/{file}", content);
        var statistics = new InterfaceStatistics(root.PathOf("sys"), "eth0");

        Assert.False(statistics.TryRead(out int ifIndex, out LinkCounters counters, out int errno));
        Assert.Equal(Interop.Errno.EBADMSG, errno);
        Assert.Equal((0, 0UL, 0UL), (ifIndex, counters.RxDropped, counters.RxPackets));
    }
}
