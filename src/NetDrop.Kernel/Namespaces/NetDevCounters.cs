namespace NetDrop.Kernel.Namespaces;

/// <summary>
/// One interface's line of <c>/proc/net/dev</c>, in the kernel's column order (net/core/net-procfs.c,
/// <c>dev_seq_printf_stats</c>). Some columns are sums of <c>rtnl_link_stats64</c> fields, named in the comments.
/// </summary>
internal struct NetDevCounters
{
    public const int FieldCount = 16;

    public ulong ReceiveBytes;       // rx_bytes
    public ulong ReceivePackets;     // rx_packets
    public ulong ReceiveErrors;      // rx_errors
    public ulong ReceiveDropped;     // rx_dropped + rx_missed_errors
    public ulong ReceiveFifoErrors;  // rx_fifo_errors
    public ulong ReceiveFrameErrors; // rx_length_errors + rx_over_errors + rx_crc_errors + rx_frame_errors
    public ulong ReceiveCompressed;  // rx_compressed
    public ulong Multicast;          // multicast
    public ulong TransmitBytes;      // tx_bytes
    public ulong TransmitPackets;    // tx_packets
    public ulong TransmitErrors;     // tx_errors
    public ulong TransmitDropped;    // tx_dropped
    public ulong TransmitFifoErrors; // tx_fifo_errors
    public ulong Collisions;         // collisions
    public ulong CarrierErrors;      // tx_carrier_errors + tx_aborted_errors + tx_window_errors + tx_heartbeat_errors
    public ulong TransmitCompressed; // tx_compressed

    /// <summary>Sets a field by its column (0-based); callers pass 0 … <see cref="FieldCount"/> - 1.</summary>
    public void Set(int column, ulong value)
    {
        switch (column)
        {
            case 0: ReceiveBytes = value; break;
            case 1: ReceivePackets = value; break;
            case 2: ReceiveErrors = value; break;
            case 3: ReceiveDropped = value; break;
            case 4: ReceiveFifoErrors = value; break;
            case 5: ReceiveFrameErrors = value; break;
            case 6: ReceiveCompressed = value; break;
            case 7: Multicast = value; break;
            case 8: TransmitBytes = value; break;
            case 9: TransmitPackets = value; break;
            case 10: TransmitErrors = value; break;
            case 11: TransmitDropped = value; break;
            case 12: TransmitFifoErrors = value; break;
            case 13: Collisions = value; break;
            case 14: CarrierErrors = value; break;
            default: TransmitCompressed = value; break;
        }
    }
}
