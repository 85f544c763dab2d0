using NetDrop.Model;

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

    /// <summary>The driver ring-full part of <see cref="NicMissed"/>: what a bond adds from each slave.</summary>
    public ulong RingFull;
    public ulong Qdisc;

    public readonly ulong Total => NicRx + NicTx + NicMissed + Qdisc;

    /// <summary>This interface's share of an interface-scoped category; 0 for host categories.</summary>
    public readonly ulong ValueOf(DropCategory category) => category.Id switch
    {
        0 => NicRx,
        1 => NicTx,
        2 => NicMissed,
        3 => Qdisc,
        _ => 0,
    };
}
