namespace NetDrop.Model;

/// <summary>
/// One kernel counter, named the way the kernel prints it: a MIB file's group and field (<c>TcpExt</c> /
/// <c>ListenOverflows</c> in <c>net/netstat</c>), a <c>/proc/net/snmp6</c> name, a softnet_stat column, an
/// <c>rtnl_link_stats64</c> field. Rows of <see cref="DropCategories"/> name counters; sources read what rows name.
/// </summary>
/// <param name="File">For MIB, snmp6 and stat-table counters, the file under the proc root (<c>net/netstat</c>).</param>
/// <param name="Scope">Where the counter exists: per interface, per network namespace, or once for the host.</param>
internal readonly record struct KernelCounter(CounterSource Source, string File, string Group, string Name, CategoryScope Scope)
{
    /// <summary>True for a counter with one value per sample (not per interface, not per CPU): a slot in the sample.</summary>
    public bool IsScalar => Source is CounterSource.Mib or CounterSource.Snmp6 or CounterSource.ProcNetStat;

    /// <summary>
    /// True for the per-device counters a bond's own statistics do not include (qdiscs, driver ring-full counters),
    /// which a bond slave therefore adds to its master; rtnl link fields are already folded in by
    /// <c>bond_get_stats()</c>.
    /// </summary>
    public bool IsPerDevice => Source is CounterSource.DriverRingFull or CounterSource.Qdisc;

    /// <summary>A <c>TcpExt</c> field of <c>/proc/net/netstat</c>.</summary>
    public static KernelCounter TcpExt(string name) => Mib("net/netstat", "TcpExt", name);

    /// <summary>An <c>IpExt</c> field of <c>/proc/net/netstat</c>.</summary>
    public static KernelCounter IpExt(string name) => Mib("net/netstat", "IpExt", name);

    /// <summary>An <c>Ip</c> field of <c>/proc/net/snmp</c>.</summary>
    public static KernelCounter Ip(string name) => Mib("net/snmp", "Ip", name);

    /// <summary>An <c>Icmp</c> field of <c>/proc/net/snmp</c>.</summary>
    public static KernelCounter Icmp(string name) => Mib("net/snmp", "Icmp", name);

    /// <summary>A <c>Tcp</c> field of <c>/proc/net/snmp</c>.</summary>
    public static KernelCounter Tcp(string name) => Mib("net/snmp", "Tcp", name);

    /// <summary>A <c>Udp</c> field of <c>/proc/net/snmp</c>.</summary>
    public static KernelCounter Udp(string name) => Mib("net/snmp", "Udp", name);

    /// <summary>A counter of <c>/proc/net/snmp6</c>, by its full name (<c>Udp6RcvbufErrors</c>).</summary>
    public static KernelCounter Snmp6(string name) => new(CounterSource.Snmp6, "net/snmp6", "", name, CategoryScope.Namespace);

    /// <summary>A column of the network namespace's conntrack statistics, <c>/proc/net/stat/nf_conntrack</c>.</summary>
    public static KernelCounter Conntrack(string column) => new(CounterSource.ProcNetStat, "net/stat/nf_conntrack", "nf_conntrack", column, CategoryScope.Namespace);

    /// <summary>
    /// A column of a neighbour table's statistics, <c>/proc/net/stat/arp_cache</c> or <c>ndisc_cache</c>: host-wide,
    /// since neigh_table_init() creates them under init_net only and one table serves every namespace.
    /// </summary>
    public static KernelCounter Neighbour(string table, string column) => new(CounterSource.ProcNetStat, "net/stat/" + table, table, column, CategoryScope.Host);

    /// <summary>A column of <c>/proc/net/softnet_stat</c>, summed over CPUs.</summary>
    public static KernelCounter Softnet(SoftnetColumn column) => new(CounterSource.Softnet, "", "softnet_stat", SoftnetColumns.NameOf(column), CategoryScope.Host);

    /// <summary>A field of <c>rtnl_link_stats64</c> by its kernel name (<c>rx_dropped</c>), also its sysfs file name.</summary>
    public static KernelCounter Link(string field) => new(CounterSource.Link, "", "rtnl_link_stats64", field, CategoryScope.Interface);

    /// <summary>The sum of the driver's ring-full ethtool counters (see DriverRingFullCounters).</summary>
    public static KernelCounter DriverRingFull { get; } = new(CounterSource.DriverRingFull, "", "ethtool", "ring_full", CategoryScope.Interface);

    /// <summary>The drops of the root and ingress qdiscs (<c>struct gnet_stats_queue</c> drops).</summary>
    public static KernelCounter QdiscDrops { get; } = new(CounterSource.Qdisc, "", "qdisc", "drops", CategoryScope.Interface);

    private static KernelCounter Mib(string file, string group, string name) => new(CounterSource.Mib, file, group, name, CategoryScope.Namespace);

    /// <summary>This counter as a term whose every event the kernel also counts in another drop column.</summary>
    public CounterTerm CountedInAnotherColumn() => new(this, InAnotherColumn: true);

    /// <summary>How the counter is written for people: "TcpExt: ListenOverflows", "rtnl_link_stats64.rx_dropped".</summary>
    public override string ToString() => Source switch
    {
        CounterSource.Mib => Group + ": " + Name,
        CounterSource.Snmp6 => "snmp6 " + Name,
        CounterSource.Softnet => "softnet_stat " + Name,
        CounterSource.ProcNetStat => File.Replace("net/stat/", "/proc/net/stat/", StringComparison.Ordinal) + " " + Name,
        _ => Group + "." + Name,
    };
}
