using BenchmarkDotNet.Attributes;
using NetDrop.Kernel.Ethtool;
using NetDrop.Kernel.Netlink;
using NetDrop.Kernel.Procfs;
using NetDrop.Kernel.Snapshots;
using NetDrop.Kernel.Sysfs;

namespace NetDrop.Benchmarks;

/// <summary>
/// Each kernel reader's parse step over the captured fixture bytes, already in memory: the user-space cost alone,
/// free of the kernel's work to produce the file and of page-cache noise.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("Fixture")]
public class FixtureReaderBenchmarks
{
    private readonly List<LinkRecord> _links = [];
    private readonly List<QdiscRecord> _qdiscs = [];
    private readonly EthtoolStatistics _ethtool = new();
    private byte[] _netstatBytes = [];
    private byte[] _snmpBytes = [];
    private byte[] _snmp6Bytes = [];
    private byte[] _softnetBytes = [];
    private byte[] _linkDump = [];
    private byte[] _qdiscDump = [];
    private byte[] _drvInfo = [];
    private byte[] _ssetInfo = [];
    private byte[] _gstrings = [];
    private byte[] _gstats = [];
    private int[] _ringFullIndices = [];
    private MibFile _netstat = null!;
    private MibFile _snmp = null!;
    private Snmp6File _snmp6 = null!;
    private SoftnetStatFile _softnet = null!;
    private InterfaceStatistics _sysfsEth0 = null!;
    private InterfaceName _eth0;

    [GlobalSetup]
    public void Setup()
    {
        _netstatBytes = KernelFixture.Read("proc/net/netstat");
        _snmpBytes = KernelFixture.Read("proc/net/snmp");
        _snmp6Bytes = KernelFixture.Read("proc/net/snmp6");
        _softnetBytes = KernelFixture.Read("proc/net/softnet_stat");
        _linkDump = KernelFixture.Read("netlink/rtm_getlink.bin");
        _qdiscDump = KernelFixture.Read("netlink/rtm_getqdisc.bin");
        _drvInfo = KernelFixture.Read("ethtool/eth0.drvinfo.bin");
        _ssetInfo = KernelFixture.Read("ethtool/eth0.sset_info.bin");
        _gstrings = KernelFixture.Read("ethtool/eth0.gstrings.bin");
        _gstats = KernelFixture.Read("ethtool/eth0.gstats.bin");

        _netstat = MibKeys.Netstat(Path.Join(KernelFixture.ProcRoot, "net/netstat"));
        _snmp = MibKeys.Snmp(Path.Join(KernelFixture.ProcRoot, "net/snmp"));
        _snmp6 = MibKeys.Snmp6(Path.Join(KernelFixture.ProcRoot, "net/snmp6"));
        _softnet = new SoftnetStatFile(Path.Join(KernelFixture.ProcRoot, "net/softnet_stat"));
        _sysfsEth0 = new InterfaceStatistics(KernelFixture.SysRoot, "eth0");
        _eth0 = InterfaceName.FromString("eth0");

        // Warm: schemas resolved, buffers grown, ethtool names loaded, as after the agent's first sample.
        MibFile_Netstat();
        MibFile_Snmp();
        Snmp6File_Snmp6();
        SoftnetStatFile_SoftnetStat();
        if (Ethtool_Eth0() == 0 && _ethtool.Count == 0)
        {
            throw new InvalidOperationException("the ethtool fixture did not load");
        }

        _ringFullIndices = DriverRingFullCounters.SelectRingFullIndices(_ethtool.Driver, _ethtool.Names);
    }

    [Benchmark]
    public void MibFile_Netstat() => _netstat.Parse(_netstatBytes);

    [Benchmark]
    public void MibFile_Snmp() => _snmp.Parse(_snmpBytes);

    [Benchmark]
    public void Snmp6File_Snmp6() => _snmp6.Parse(_snmp6Bytes);

    [Benchmark]
    public void SoftnetStatFile_SoftnetStat() => _softnet.Parse(_softnetBytes);

    [Benchmark]
    public int LinkDump_RtmGetLink()
    {
        LinkDump.Parse(_linkDump, _links);
        return _links.Count;
    }

    [Benchmark]
    public int QdiscDump_RtmGetQdisc()
    {
        QdiscDump.Parse(_qdiscDump, _qdiscs);
        return _qdiscs.Count;
    }

    /// <summary>The steady-state ethtool step: the names are known, so only the GSTATS values are copied and summed.</summary>
    [Benchmark]
    public ulong Ethtool_Eth0()
    {
        EthtoolReadStatus status = _ethtool.LoadFromReplies(_eth0, _drvInfo, _ssetInfo, _gstrings, _gstats);
        return status == EthtoolReadStatus.Ok ? DriverRingFullCounters.Sum(_ethtool.Values, _ringFullIndices) : 0;
    }

    /// <summary>sysfs fallback: ifindex plus 24 statistics files of the fixture's eth0 (25 open/read/close from disk).</summary>
    [Benchmark]
    public bool InterfaceStatistics_Eth0Files() => _sysfsEth0.TryRead(out _, out _, out _);
}
