namespace NetDrop.Kernel.Snapshots;

/// <summary>
/// What kind of device an interface is, as far as counting its drops depends on it: the kinds whose counters relate
/// to other devices' (masters and their ports) are told apart, everything else is <see cref="Other"/>.
/// </summary>
/// <remarks>
/// Read from <c>IFLA_LINKINFO</c>/<c>IFLA_INFO_KIND</c> (the driver's <c>rtnl_link_ops.kind</c>, sent by
/// <c>rtnl_link_fill</c>) or from the <c>DEVTYPE=</c> line of sysfs' <c>uevent</c> (the driver's
/// <c>device_type.name</c>): bonding and the bridge use the same string for both ("bond", "bridge"). A physical NIC
/// has neither and is <see cref="Other"/>.
/// </remarks>
internal enum LinkKind : byte
{
    Other = 0,

    /// <summary>
    /// drivers/net/bonding: <c>bond_get_stats</c> adds every slave's <c>dev_get_stats()</c> into the bond's own, so
    /// a bond's link counters already hold its slaves' drops.
    /// </summary>
    Bond,

    /// <summary>drivers/net/team: <c>team_get_stats64</c> reports only the team device's own per-CPU counters.</summary>
    Team,

    /// <summary>net/bridge: the bridge device counts what it forwards up the stack; its ports keep their own.</summary>
    Bridge,

    Vrf,

    OpenVSwitch,
}
