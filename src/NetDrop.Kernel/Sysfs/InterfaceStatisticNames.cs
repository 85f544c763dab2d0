namespace NetDrop.Kernel.Sysfs;

/// <summary>
/// The files of <c>/sys/class/net/IF/statistics/</c> (net/core/net-sysfs.c, <c>netstat_attrs</c>), in the order of
/// the <see cref="Snapshots.LinkCounters"/> fields they fill: each file holds one field of
/// <c>rtnl_link_stats64</c> as a decimal number and a newline.
/// </summary>
internal static class InterfaceStatisticNames
{
    public static readonly string[] InFieldOrder =
    [
        "rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_errors", "tx_errors", "rx_dropped", "tx_dropped",
        "multicast", "collisions", "rx_length_errors", "rx_over_errors", "rx_crc_errors", "rx_frame_errors",
        "rx_fifo_errors", "rx_missed_errors", "tx_aborted_errors", "tx_carrier_errors", "tx_fifo_errors",
        "tx_heartbeat_errors", "tx_window_errors", "rx_compressed", "tx_compressed", "rx_nohandler",
    ];
}
