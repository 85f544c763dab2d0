namespace NetDrop.Model;

/// <summary>The columns of <c>/proc/net/softnet_stat</c> the drop model reads (net/core/net-procfs.c, softnet_seq_show).</summary>
internal enum SoftnetColumn
{
    /// <summary>Column 2: dropped because the CPU's input_pkt_queue exceeded netdev_max_backlog.</summary>
    Dropped,

    /// <summary>Column 3: net_rx_action ran out of budget or time with work left.</summary>
    TimeSqueeze,
}
