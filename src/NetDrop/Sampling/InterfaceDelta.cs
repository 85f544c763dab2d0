namespace NetDrop.Sampling;

/// <summary>One interface's interface-scoped category deltas for an interval.</summary>
internal struct InterfaceDelta
{
    public int Series;

    /// <summary>Series of the monitored master (bond) for a slave; -1 for a monitored interface.</summary>
    public int MasterSeries;
    public ulong NicRx;
    public ulong NicTx;
    public ulong NicMissed;
    public ulong Qdisc;

    public readonly ulong Total => NicRx + NicTx + NicMissed + Qdisc;
}
