namespace NetDrop.Kernel.Procfs;

/// <summary>One CPU's row of <c>/proc/net/softnet_stat</c>. The kernel keeps these as 32-bit counters (they wrap).</summary>
internal struct SoftnetCpu
{
    public int Cpu;            // column 13 (cpu id) where present, else the row number
    public uint Processed;     // column 1: packets processed by this CPU's backlog/NAPI
    public uint Dropped;       // column 2: dropped because input_pkt_queue exceeded netdev_max_backlog
    public uint TimeSqueeze;   // column 3: net_rx_action ran out of budget or time with work left
}
