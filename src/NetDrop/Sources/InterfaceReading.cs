using NetDrop.Kernel.Snapshots;

namespace NetDrop.Sources;

/// <summary>One interface's raw counters in a sample.</summary>
/// <remarks>
/// Identity across samples is <see cref="IfIndex"/> (within the namespace): a rename keeps the ifindex and so the
/// series of counts; a new ifindex (created, re-created or moved in from another namespace) is a baseline.
/// </remarks>
internal struct InterfaceReading
{
    /// <summary>Id of the interface's current name in <see cref="InterfaceRegistry"/>: what sinks print and label.</summary>
    public int Series;

    /// <summary>The kernel's name, for the ioctl-based readers that address a device by name.</summary>
    public InterfaceName Name;
    public int IfIndex;

    /// <summary>ifindex of the bond, bridge, team or VRF this interface is enslaved to; 0 when none.</summary>
    public int MasterIfIndex;

    /// <summary>The kind of that master: only a bond's counters include this interface's (see <see cref="FoldsIntoMaster"/>).</summary>
    public LinkKind MasterKind;
    public LinkCounters Counters;

    /// <summary>Sum of the driver's ring-full counters from ethtool that rtnl stats do not already include.</summary>
    public ulong RingFull;

    /// <summary>
    /// True when the master's link counters already hold this interface's (a bond slave, <c>bond_get_stats</c>):
    /// its rtnl drops must then be counted on the master only. A bridge or team port's drops are its own.
    /// </summary>
    public readonly bool FoldsIntoMaster => MasterIfIndex != 0 && LinkKinds.FoldsSlaveCounters(MasterKind);
}
