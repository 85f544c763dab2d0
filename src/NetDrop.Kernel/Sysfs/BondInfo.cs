namespace NetDrop.Kernel.Sysfs;

/// <summary>
/// A bonding master as the seed printed it at start ("Bond Mode: 802.3ad (LACP)", "Bond Slaves: eth0 eth1").
/// </summary>
/// <param name="Name">The bond interface, e.g. <c>bond0</c>.</param>
/// <param name="Mode">The kernel's short mode name (bond_options.c <c>bond_mode_tbl</c>): <c>balance-rr</c>,
/// <c>active-backup</c>, <c>balance-xor</c>, <c>broadcast</c>, <c>802.3ad</c>, <c>balance-tlb</c>, <c>balance-alb</c>.</param>
/// <param name="ModeDescription">The mode as /proc/net/bonding prints it (bond_main.c <c>bond_mode_name</c>), e.g.
/// <c>IEEE 802.3ad Dynamic link aggregation</c>.</param>
/// <param name="Slaves">The enslaved interfaces in the kernel's order; empty for a bond without slaves.</param>
internal sealed record BondInfo(string Name, string Mode, string ModeDescription, string[] Slaves);
