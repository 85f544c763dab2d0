namespace NetDrop.Kernel;

/// <summary>
/// Every procfs and sysfs path NetDrop reads, relative to a root so a fixture folder or a container's
/// <c>/host/proc</c> can stand in for the real one.
/// </summary>
internal static class KernelPaths
{
    public const string DefaultProcRoot = "/proc";
    public const string DefaultSysRoot = "/sys";

    public static string Netstat(string procRoot) => Path.Join(procRoot, "net/netstat");

    public static string Snmp(string procRoot) => Path.Join(procRoot, "net/snmp");

    public static string Snmp6(string procRoot) => Path.Join(procRoot, "net/snmp6");

    public static string SoftnetStat(string procRoot) => Path.Join(procRoot, "net/softnet_stat");

    /// <summary>A <c>/proc/net/stat/</c> table: <c>nf_conntrack</c>, <c>arp_cache</c>, <c>ndisc_cache</c>.</summary>
    public static string ProcNetStat(string procRoot, string table) => Path.Join(procRoot, "net/stat", table);

    public static string Sysctl(string procRoot, string name) => Path.Join(procRoot, "sys", name.Replace('.', '/'));

    public static string NetClass(string sysRoot) => Path.Join(sysRoot, "class/net");

    public static string Interface(string sysRoot, string name) => Path.Join(sysRoot, "class/net", name);

    public static string InterfaceStatistic(string sysRoot, string name, string statistic) =>
        Path.Join(sysRoot, "class/net", name, "statistics", statistic);
}
