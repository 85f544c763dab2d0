using NetDrop.Kernel.Snapshots;
using NetDrop.Kernel.Sysfs;
using NetDrop.Kernel.Tests.TestSupport;

namespace NetDrop.Kernel.Tests.Sysfs;

public class InterfaceStatisticsTests
{
    [Fact]
    public void TryRead_CapturedEth0_ReadsEveryStatisticFile()
    {
        string root = Fixtures.Kernel(Fixtures.CapturedKernel);
        var statistics = new InterfaceStatistics(Path.Join(root, "sys"), "eth0");

        Assert.True(statistics.TryRead(out int ifIndex, out LinkCounters counters, out int errno), $"errno {errno}");

        string directory = Path.Join(root, "sys/class/net/eth0");
        Assert.Equal(int.Parse(File.ReadAllText(Path.Join(directory, "ifindex")), System.Globalization.CultureInfo.InvariantCulture), ifIndex);
        Assert.Equal(ReadStatistic(directory, "rx_packets"), counters.RxPackets);
        Assert.Equal(ReadStatistic(directory, "tx_bytes"), counters.TxBytes);
        Assert.Equal(ReadStatistic(directory, "rx_dropped"), counters.RxDropped);
        Assert.Equal(ReadStatistic(directory, "rx_missed_errors"), counters.RxMissedErrors);
        Assert.True(counters.RxPackets > 0, "a captured eth0 has received packets");
    }

    [Fact]
    public void TryRead_SentinelValues_FillEveryFieldFromItsOwnFile()
    {
        // A distinct value per file: a file wired to the wrong field cannot hide. The names are the kernel's
        // (net-sysfs.c), listed here in alphabetical order rather than taken from InterfaceStatisticNames, the very
        // name-to-field mapping under test.
        string[] files =
        [
            "collisions", "multicast", "rx_bytes", "rx_compressed", "rx_crc_errors", "rx_dropped", "rx_errors",
            "rx_fifo_errors", "rx_frame_errors", "rx_length_errors", "rx_missed_errors", "rx_nohandler", "rx_over_errors",
            "rx_packets", "tx_aborted_errors", "tx_bytes", "tx_carrier_errors", "tx_compressed", "tx_dropped", "tx_errors",
            "tx_fifo_errors", "tx_heartbeat_errors", "tx_packets", "tx_window_errors",
        ];
        using TemporaryRoot root = Fixtures.Temporary(("sys/class/net/eth0/ifindex", "2\n"));
        for (int i = 0; i < files.Length; i++)
        {
            root.Write($"sys/class/net/eth0/statistics/{files[i]}", $"{1000 + i}\n");
        }

        var statistics = new InterfaceStatistics(root.PathOf("sys"), "eth0");
        Assert.True(statistics.TryRead(out _, out LinkCounters counters, out _));

        Assert.Equal(1005UL, counters.RxDropped);
        Assert.Equal(1018UL, counters.TxDropped);
        Assert.Equal(1010UL, counters.RxMissedErrors);
        Assert.Equal(1011UL, counters.RxNoHandler);
        Assert.Equal(1013UL, counters.RxPackets);
        Assert.Equal(1015UL, counters.TxBytes);
    }

    [Fact]
    public void TryRead_PrefixCollision_PicksTheExactInterface()
    {
        using TemporaryRoot root = Fixtures.Temporary(
            ("sys/class/net/eth0/ifindex", "2\n"), ("sys/class/net/eth0/statistics/rx_dropped", "1\n"),
            ("sys/class/net/eth0.100/ifindex", "7\n"), ("sys/class/net/eth0.100/statistics/rx_dropped", "100\n"),
            ("sys/class/net/eth01/ifindex", "9\n"), ("sys/class/net/eth01/statistics/rx_dropped", "1000\n"));

        Assert.True(new InterfaceStatistics(root.PathOf("sys"), "eth0.100").TryRead(out int ifIndex, out LinkCounters vlan, out _));
        Assert.True(new InterfaceStatistics(root.PathOf("sys"), "eth0").TryRead(out _, out LinkCounters eth0, out _));

        Assert.Equal((7, 100UL, 1UL), (ifIndex, vlan.RxDropped, eth0.RxDropped));
    }

    [Fact]
    public void TryRead_OldKernelWithoutRxNohandler_ReadsZeroForIt()
    {
        using TemporaryRoot root = Fixtures.Temporary(("sys/class/net/eth0/ifindex", "2\n"), ("sys/class/net/eth0/statistics/rx_dropped", "5\n"));

        Assert.True(new InterfaceStatistics(root.PathOf("sys"), "eth0").TryRead(out _, out LinkCounters counters, out _));

        Assert.Equal((5UL, 0UL), (counters.RxDropped, counters.RxNoHandler));
    }

    [Fact]
    public void TryRead_InterfaceGone_ReturnsEnoent()
    {
        using TemporaryRoot root = Fixtures.Temporary(("sys/class/net/eth0/ifindex", "2\n"));

        Assert.False(new InterfaceStatistics(root.PathOf("sys"), "veth9").TryRead(out _, out _, out int errno));
        Assert.Equal(Interop.Errno.ENOENT, errno);
    }

    [Fact]
    public void TryRead_LiveLoopback_AllocatesNothingOnceWarm()
    {
        var statistics = new InterfaceStatistics("/sys", "lo");
        for (int i = 0; i < 50; i++)
        {
            Assert.True(statistics.TryRead(out _, out _, out _));
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            statistics.TryRead(out _, out _, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static ulong ReadStatistic(string directory, string name) =>
        ulong.Parse(File.ReadAllText(Path.Join(directory, "statistics", name)), System.Globalization.CultureInfo.InvariantCulture);
}
