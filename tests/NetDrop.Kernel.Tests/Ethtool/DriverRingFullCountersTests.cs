using NetDrop.Kernel.Ethtool;

namespace NetDrop.Kernel.Tests.Ethtool;

public class DriverRingFullCountersTests
{
    [Theory]
    [InlineData("mlx5_core", "rx_discards_phy")]
    [InlineData("ixgbe", "rx_no_dma_resources")]
    [InlineData("ice", "rx_dropped.nic")]
    [InlineData("igb", "rx_queue_0_drops")]
    [InlineData("igb", "rx_queue_15_drops")]
    [InlineData("vmxnet3", "  pkts rx OOB")]
    [InlineData("gve", "rx_no_buffers_posted[0]")]
    [InlineData("gve", "rx_no_buffers_posted[31]")]
    [InlineData("mana", "hc_rx_discards_no_wqe")]
    public void IsRingFullCounter_DocumentedCounter_ReturnsTrue(string driver, string name)
    {
        Assert.True(DriverRingFullCounters.IsRingFullCounter(driver, name));
    }

    [Theory]
    [InlineData("mlx5_core", "rx_out_of_buffer")]      // already rtnl rx_missed_errors
    [InlineData("mlx5_core", "rx_prio0_discards")]     // breakdown of the port discards
    [InlineData("mlx5_core", "rx_prio3_buf_discard")]
    [InlineData("ixgbe", "rx_missed_errors")]          // the netdev stat, echoed into ethtool -S
    [InlineData("igb", "rx_missed_errors")]
    [InlineData("igb", "rx_fifo_errors")]
    [InlineData("igb", "rx_queue_0_packets")]
    [InlineData("igb", "rx_queue__drops")]
    [InlineData("igb", "rx_queue_x_drops")]
    [InlineData("igb", "rx_queue_1a_drops")]
    [InlineData("gve", "rx_queue_drop_cnt[0]")]        // all-reasons total
    [InlineData("gve", "rx_no_buffers_posted[]")]
    [InlineData("i40e", "port.rx_discards")]
    [InlineData("bnxt_en", "[0]: rx_discards")]        // already rtnl rx_missed_errors
    [InlineData("virtio_net", "rx0_drops")]            // already rtnl rx_dropped
    [InlineData("ena", "queue_0_rx_empty_rx_ring")]
    [InlineData("hv_netvsc", "rx_no_memory")]
    [InlineData("veth", "rx_queue_0_drops")]
    [InlineData("", "rx_discards_phy")]
    [InlineData("ixgbe", "rx_discards_phy")]           // mlx5's name on another driver
    public void IsRingFullCounter_OtherCounter_ReturnsFalse(string driver, string name)
    {
        Assert.False(DriverRingFullCounters.IsRingFullCounter(driver, name));
    }

    [Fact]
    public void SelectRingFullIndices_IgbQueues_SumsEveryQueueDrop()
    {
        string[] names =
        [
            "rx_packets", "rx_missed_errors", "rx_no_buffer_count", "rx_fifo_errors",
            "rx_queue_0_packets", "rx_queue_0_bytes", "rx_queue_0_drops", "rx_queue_0_csum_err",
            "rx_queue_1_packets", "rx_queue_1_bytes", "rx_queue_1_drops", "rx_queue_1_csum_err",
        ];
        ulong[] values = [1000, 7, 50, 17, 500, 64000, 4, 0, 500, 64000, 6, 0];

        int[] indices = DriverRingFullCounters.SelectRingFullIndices("igb", names);

        Assert.Equal([6, 10], indices);
        Assert.Equal(10UL, DriverRingFullCounters.Sum(values, indices));
    }

    [Fact]
    public void SelectRingFullIndices_Vmxnet3RepeatedPerQueueNames_SelectsEveryQueue()
    {
        // vmxnet3_get_strings repeats the indented per-queue names under a "Rx Queue#" marker for each queue.
        string[] names = ["Rx Queue#", "  pkts rx OOB", "  pkts rx err", "Rx Queue#", "  pkts rx OOB", "  pkts rx err", "pkts rx OOB total"];
        ulong[] values = [0, 3, 1, 1, 5, 0, 99];

        int[] indices = DriverRingFullCounters.SelectRingFullIndices("vmxnet3", names);

        Assert.Equal([1, 4], indices);
        Assert.Equal(8UL, DriverRingFullCounters.Sum(values, indices));
    }

    [Fact]
    public void SelectRingFullIndices_DriverWithoutExtraCounters_ReturnsEmpty()
    {
        Assert.Empty(DriverRingFullCounters.SelectRingFullIndices("virtio_net", EthtoolFixtureTests.VirtioNames));
        Assert.Empty(DriverRingFullCounters.SelectRingFullIndices("bnxt_en", ["[0]: rx_discards", "rx_total_ring_discards"]));
    }

    [Fact]
    public void DriversWithExtraCounters_EachListedDriver_HasAMatchingCounter()
    {
        string[] sample = ["rx_discards_phy", "rx_no_dma_resources", "rx_dropped.nic", "rx_queue_0_drops", "  pkts rx OOB", "rx_no_buffers_posted[0]", "hc_rx_discards_no_wqe"];

        foreach (string driver in DriverRingFullCounters.DriversWithExtraCounters)
        {
            Assert.Single(DriverRingFullCounters.SelectRingFullIndices(driver, sample));
        }
    }

    [Fact]
    public void Sum_ValuesNearMaximum_WrapsLikeKernelCounters()
    {
        Assert.Equal(1UL, DriverRingFullCounters.Sum([ulong.MaxValue, 2], [0, 1]));
    }
}
