using NetDrop.Kernel.Snapshots;

namespace NetDrop.Kernel.Netlink;

/// <summary>
/// One interface from an RTM_GETLINK dump: the <c>struct ifinfomsg</c> index and the attributes NetDrop reads
/// (net/core/rtnetlink.c, <c>rtnl_fill_ifinfo</c>). Attributes a kernel did not send stay zero.
/// </summary>
internal struct LinkRecord
{
    /// <summary>The interface index (<c>ifi_index</c>): part of series identity, since a re-created interface gets a new one.</summary>
    public int IfIndex;

    public InterfaceName Name;            // IFLA_IFNAME

    /// <summary>The ifindex of the bond, bridge or VRF this interface is enslaved to; 0 if none.</summary>
    public int MasterIfIndex;             // IFLA_MASTER

    /// <summary>The device kind from <c>IFLA_LINKINFO</c>/<c>IFLA_INFO_KIND</c>; <see cref="LinkKind.Other"/> for a physical NIC.</summary>
    public LinkKind Kind;                 // IFLA_LINKINFO -> IFLA_INFO_KIND

    /// <summary>RFC 2863 operational state, one of <c>Interop.Rtnetlink.IF_OPER_*</c> (6 = up).</summary>
    public byte OperState;                // IFLA_OPERSTATE

    /// <summary>False when the message carried no <c>IFLA_STATS64</c>; <see cref="Counters"/> is then all zero.</summary>
    public bool HasStats;

    public LinkCounters Counters;         // IFLA_STATS64, first LinkCounters.Size bytes
}
