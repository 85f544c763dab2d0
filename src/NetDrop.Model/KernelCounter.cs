namespace NetDrop.Model;

/// <summary>
/// One kernel counter, named the way the kernel prints it: a MIB file's group and field (<c>TcpExt</c> /
/// <c>ListenOverflows</c> in <c>net/netstat</c>), a <c>/proc/net/snmp6</c> name, a softnet_stat column, an
/// <c>rtnl_link_stats64</c> field. Rows of <see cref="DropCategories"/> name counters; sources read what rows name.
/// </summary>
/// <param name="File">For MIB and snmp6 counters, the file under the proc root (<c>net/netstat</c>); otherwise empty.</param>
internal readonly record struct KernelCounter(CounterSource Source, string File, string Group, string Name)
{
    public CategoryScope Scope => Source switch
    {
        CounterSource.Mib or CounterSource.Snmp6 => CategoryScope.Namespace,
        CounterSource.Softnet => CategoryScope.Host,
        _ => CategoryScope.Interface,
    };

    /// <summary>
    /// True for the per-device counters a bond's own statistics do not include (qdiscs, driver ring-full counters),
    /// which a bond slave therefore adds to its master; rtnl link fields are already folded in by
    /// <c>bond_get_stats()</c>.
    /// </summary>
    public bool IsPerDevice => Source is CounterSource.DriverRingFull or CounterSource.Qdisc;

    /// <summary>A <c>TcpExt</c> field of <c>/proc/net/netstat</c>.</summary>
    public static KernelCounter TcpExt(string name) => new(CounterSource.Mib, "net/netstat", "TcpExt", name);

    /// <summary>A <c>Udp</c> field of <c>/proc/net/snmp</c>.</summary>
    public static KernelCounter Udp(string name) => new(CounterSource.Mib, "net/snmp", "Udp", name);

    /// <summary>A counter of <c>/proc/net/snmp6</c>, by its full name (<c>Udp6RcvbufErrors</c>).</summary>
    public static KernelCounter Snmp6(string name) => new(CounterSource.Snmp6, "net/snmp6", "", name);

    /// <summary>A column of <c>/proc/net/softnet_stat</c>, summed over CPUs.</summary>
    public static KernelCounter Softnet(SoftnetColumn column) => new(CounterSource.Softnet, "", "softnet_stat", SoftnetColumns.NameOf(column));

    /// <summary>A field of <c>rtnl_link_stats64</c> by its kernel name (<c>rx_dropped</c>), also its sysfs file name.</summary>
    public static KernelCounter Link(string field) => new(CounterSource.Link, "", "rtnl_link_stats64", field);

    /// <summary>The sum of the driver's ring-full ethtool counters (see DriverRingFullCounters).</summary>
    public static KernelCounter DriverRingFull { get; } = new(CounterSource.DriverRingFull, "", "ethtool", "ring_full");

    /// <summary>The drops of the root and ingress qdiscs (<c>struct gnet_stats_queue</c> drops).</summary>
    public static KernelCounter QdiscDrops { get; } = new(CounterSource.Qdisc, "", "qdisc", "drops");

    /// <summary>This counter as a term whose every event the kernel also counts in another drop column.</summary>
    public CounterTerm CountedInAnotherColumn() => new(this, InAnotherColumn: true);

    /// <summary>How the counter is written for people: "TcpExt: ListenOverflows", "rtnl_link_stats64.rx_dropped".</summary>
    public override string ToString() => Source switch
    {
        CounterSource.Mib => Group + ": " + Name,
        CounterSource.Snmp6 => "snmp6 " + Name,
        CounterSource.Softnet => "softnet_stat " + Name,
        _ => Group + "." + Name,
    };
}
