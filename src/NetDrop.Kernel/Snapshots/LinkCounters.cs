using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetDrop.Kernel.Snapshots;

/// <summary>
/// An interface's counters: the first 24 fields of the kernel's <c>struct rtnl_link_stats64</c>
/// (include/uapi/linux/if_link.h), in its order, so an <c>IFLA_STATS64</c> attribute can be copied straight in.
/// The same numbers are the files of <c>/sys/class/net/IF/statistics/</c>, one per field.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct LinkCounters
{
    public ulong RxPackets;          // rx_packets
    public ulong TxPackets;          // tx_packets
    public ulong RxBytes;            // rx_bytes
    public ulong TxBytes;            // tx_bytes
    public ulong RxErrors;           // rx_errors
    public ulong TxErrors;           // tx_errors
    public ulong RxDropped;          // rx_dropped
    public ulong TxDropped;          // tx_dropped
    public ulong Multicast;          // multicast
    public ulong Collisions;         // collisions
    public ulong RxLengthErrors;     // rx_length_errors
    public ulong RxOverErrors;       // rx_over_errors
    public ulong RxCrcErrors;        // rx_crc_errors
    public ulong RxFrameErrors;      // rx_frame_errors
    public ulong RxFifoErrors;       // rx_fifo_errors
    public ulong RxMissedErrors;     // rx_missed_errors
    public ulong TxAbortedErrors;    // tx_aborted_errors
    public ulong TxCarrierErrors;    // tx_carrier_errors
    public ulong TxFifoErrors;       // tx_fifo_errors
    public ulong TxHeartbeatErrors;  // tx_heartbeat_errors
    public ulong TxWindowErrors;     // tx_window_errors
    public ulong RxCompressed;       // rx_compressed
    public ulong TxCompressed;       // tx_compressed
    public ulong RxNoHandler;        // rx_nohandler

    /// <summary>How many fields there are: the length of <see cref="Sysfs.InterfaceStatisticNames.InFieldOrder"/>.</summary>
    public const int FieldCount = 24;

    /// <summary>Size of the fields above; newer kernels append more (rx_otherhost_dropped), which we ignore.</summary>
    public const int Size = FieldCount * sizeof(ulong);

    /// <summary>The field at <paramref name="index"/> in the struct's (the kernel's) order.</summary>
    public readonly ulong this[int index] =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.AsRef(in RxPackets), FieldCount)[index];

    /// <summary>The index of a field by its kernel name (<c>rx_dropped</c>); -1 when the struct has no such field.</summary>
    public static int IndexOf(string field) => Array.IndexOf(Sysfs.InterfaceStatisticNames.InFieldOrder, field);
}
