namespace NetDrop.Model;

/// <summary>
/// Which kernel interface a counter is read from; it decides the counter's scope and which reader serves it. A new
/// category over a file already listed here is one row of <see cref="DropCategories"/>; a new file is a new source.
/// </summary>
internal enum CounterSource
{
    /// <summary>A header/value MIB file of the network namespace (<c>/proc/net/netstat</c>, <c>/proc/net/snmp</c>).</summary>
    Mib,

    /// <summary><c>/proc/net/snmp6</c>: one "name value" pair per line, per network namespace.</summary>
    Snmp6,

    /// <summary>
    /// A column of a <c>/proc/net/stat/*</c> table (nf_conntrack per namespace; arp_cache and ndisc_cache, which exist
    /// only in the initial namespace and count for all), summed over its per-CPU hex lines.
    /// </summary>
    ProcNetStat,

    /// <summary>A column of <c>/proc/net/softnet_stat</c>: per CPU, host-wide whichever namespace reads it.</summary>
    Softnet,

    /// <summary>A field of the interface's <c>rtnl_link_stats64</c>; a bond's already include its slaves'.</summary>
    Link,

    /// <summary>The driver's ring-full counters from the ethtool ioctl that rtnl stats lack; per device.</summary>
    DriverRingFull,

    /// <summary>The drops of the interface's root and ingress qdiscs (RTM_GETQDISC); per device.</summary>
    Qdisc,
}
