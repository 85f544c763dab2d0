using BenchmarkDotNet.Attributes;
using NetDrop.Kernel;
using NetDrop.Kernel.Ethtool;
using NetDrop.Kernel.Netlink;
using NetDrop.Kernel.Procfs;
using NetDrop.Kernel.Snapshots;
using NetDrop.Kernel.Sysfs;

namespace NetDrop.Benchmarks;

/// <summary>
/// Each kernel reader against this machine's kernel: the syscalls, the kernel's own work to format or dump the
/// counters, and the parse. These are what one sample is made of.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("Live")]
public class LiveReaderBenchmarks
{
    private readonly List<LinkRecord> _links = [];
    private readonly List<QdiscRecord> _qdiscs = [];
    private readonly EthtoolStatistics _ethtool = new();
    private MibFile _netstat = null!;
    private MibFile _snmp = null!;
    private Snmp6File _snmp6 = null!;
    private SoftnetStatFile _softnet = null!;
    private NetlinkSocket _socket = null!;
    private LinkDump _linkDump = null!;
    private QdiscDump _qdiscDump = null!;
    private EthtoolStatsReader _ethtoolReader = null!;
    private InterfaceStatistics _sysfsEth0 = null!;
    private InterfaceName _eth0;

    [GlobalSetup]
    public void Setup()
    {
        _netstat = MibKeys.Netstat(KernelPaths.Netstat(KernelPaths.DefaultProcRoot));
        _snmp = MibKeys.Snmp(KernelPaths.Snmp(KernelPaths.DefaultProcRoot));
        _snmp6 = MibKeys.Snmp6(KernelPaths.Snmp6(KernelPaths.DefaultProcRoot));
        _softnet = new SoftnetStatFile(KernelPaths.SoftnetStat(KernelPaths.DefaultProcRoot));
        _socket = new NetlinkSocket();
        _linkDump = new LinkDump(_socket);
        _qdiscDump = new QdiscDump(_socket, includeInvisible: false);
        _ethtoolReader = new EthtoolStatsReader();
        _eth0 = InterfaceName.FromString(LiveInterface.Name);
        _sysfsEth0 = new InterfaceStatistics(KernelPaths.DefaultSysRoot, LiveInterface.Name);

        // Warm, and fail loudly rather than time an error path.
        Require(_netstat.TryRead(out int errno), "read /proc/net/netstat", errno);
        Require(_snmp.TryRead(out errno), "read /proc/net/snmp", errno);
        Require(_snmp6.TryRead(out errno), "read /proc/net/snmp6", errno);
        Require(_softnet.TryRead(out errno), "read /proc/net/softnet_stat", errno);
        Require(RtmGetLink() > 0, "RTM_GETLINK dump", 0);
        RtmGetQdisc();
        Require(_ethtoolReader.TryRead(_eth0, _ethtool) == EthtoolReadStatus.Ok, "SIOCETHTOOL on " + LiveInterface.Name, _ethtoolReader.LastErrno);
        Require(_sysfsEth0.TryRead(out _, out _, out errno), "read sysfs statistics of " + LiveInterface.Name, errno);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ethtoolReader.Dispose();
        _socket.Dispose();
    }

    [Benchmark]
    public bool MibFile_Netstat() => _netstat.TryRead(out _);

    [Benchmark]
    public bool MibFile_Snmp() => _snmp.TryRead(out _);

    [Benchmark]
    public bool Snmp6File_Snmp6() => _snmp6.TryRead(out _);

    [Benchmark]
    public bool SoftnetStatFile_SoftnetStat() => _softnet.TryRead(out _);

    /// <summary>Every interface of the namespace, in one dump.</summary>
    [Benchmark]
    public int RtmGetLink()
    {
        _linkDump.Read(_links);
        return _links.Count;
    }

    /// <summary>Every visible qdisc of the namespace, in one dump.</summary>
    [Benchmark]
    public int RtmGetQdisc()
    {
        _qdiscDump.Read(_qdiscs);
        return _qdiscs.Count;
    }

    /// <summary>GSSET_INFO + GSTATS: the steady-state ethtool read of a device whose driver has ring-full counters.</summary>
    [Benchmark]
    public bool Ethtool_Eth0() => _ethtoolReader.TryRead(_eth0, _ethtool) == EthtoolReadStatus.Ok;

    /// <summary>The sysfs fallback for one interface: 25 open/read/close.</summary>
    [Benchmark]
    public bool Sysfs_Eth0() => _sysfsEth0.TryRead(out _, out _, out _);

    private static void Require(bool ok, string what, int errno)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"{what} failed (errno {errno}); the live benchmarks need a Linux host with {LiveInterface.Name}");
        }
    }
}
