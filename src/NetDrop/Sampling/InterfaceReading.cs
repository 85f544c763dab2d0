using NetDrop.Kernel.Snapshots;

namespace NetDrop.Sampling;

/// <summary>One interface's raw counters in a sample.</summary>
internal struct InterfaceReading
{
    /// <summary>Stable id of the interface name in <see cref="InterfaceRegistry"/>.</summary>
    public int Series;

    /// <summary>The kernel's name, for the ioctl-based readers that address a device by name.</summary>
    public InterfaceName Name;
    public int IfIndex;

    /// <summary>ifindex of the bond (or other master) this interface is enslaved to; 0 when none.</summary>
    public int MasterIfIndex;
    public LinkCounters Counters;

    /// <summary>Sum of the driver's ring-full counters from ethtool that rtnl stats do not already include.</summary>
    public ulong RingFull;
}
