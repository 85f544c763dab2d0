using NetDrop.Kernel;
using NetDrop.Kernel.Procfs;

namespace NetDrop.Sampling;

/// <summary>
/// Fills the host counters from <c>/proc/net/netstat</c>, <c>/proc/net/snmp</c> and <c>/proc/net/snmp6</c>, each
/// read once per sample. All three are per network namespace (they follow <c>/proc/self/net</c>).
/// </summary>
internal sealed class MibSource
{
    private readonly MibFile _netstat;
    private readonly MibFile _snmp;
    private readonly Snmp6File _snmp6;
    private readonly (HostCounter Counter, int Handle)[] _netstatKeys;
    private readonly (HostCounter Counter, int Handle)[] _snmpKeys;
    private readonly (HostCounter Counter, int Handle)[] _snmp6Keys;

    public MibSource(string procRoot)
    {
        _netstat = new MibFile(KernelPaths.Netstat(procRoot));
        _snmp = new MibFile(KernelPaths.Snmp(procRoot));
        _snmp6 = new Snmp6File(KernelPaths.Snmp6(procRoot));
        _netstatKeys =
        [
            (HostCounter.TcpReqQFullDrop, _netstat.Register(new("TcpExt", "TCPReqQFullDrop"))),
            (HostCounter.TcpListenOverflows, _netstat.Register(new("TcpExt", "ListenOverflows"))),
            (HostCounter.TcpListenDrops, _netstat.Register(new("TcpExt", "ListenDrops"))),
            (HostCounter.TcpRcvPruned, _netstat.Register(new("TcpExt", "RcvPruned"))),
            (HostCounter.TcpOfoPruned, _netstat.Register(new("TcpExt", "OfoPruned"))),
            (HostCounter.TcpRcvCollapsed, _netstat.Register(new("TcpExt", "TCPRcvCollapsed"))),
            (HostCounter.TcpBacklogDrop, _netstat.Register(new("TcpExt", "TCPBacklogDrop"))),
            (HostCounter.TcpRcvQDrop, _netstat.Register(new("TcpExt", "TCPRcvQDrop"))),
            (HostCounter.TcpZeroWindowDrop, _netstat.Register(new("TcpExt", "TCPZeroWindowDrop"))),
            (HostCounter.TcpOfoDrop, _netstat.Register(new("TcpExt", "TCPOFODrop"))),
            (HostCounter.TcpPruneCalled, _netstat.Register(new("TcpExt", "PruneCalled"))),
            (HostCounter.TcpReqQFullDoCookies, _netstat.Register(new("TcpExt", "TCPReqQFullDoCookies"))),
        ];
        _snmpKeys =
        [
            (HostCounter.UdpRcvbufErrors, _snmp.Register(new("Udp", "RcvbufErrors"))),
            (HostCounter.UdpSndbufErrors, _snmp.Register(new("Udp", "SndbufErrors"))),
            (HostCounter.UdpMemErrors, _snmp.Register(new("Udp", "MemErrors"))),
            (HostCounter.UdpInCsumErrors, _snmp.Register(new("Udp", "InCsumErrors"))),
        ];
        _snmp6Keys =
        [
            (HostCounter.Udp6RcvbufErrors, _snmp6.Register("Udp6RcvbufErrors")),
            (HostCounter.Udp6SndbufErrors, _snmp6.Register("Udp6SndbufErrors")),
            (HostCounter.Udp6MemErrors, _snmp6.Register("Udp6MemErrors")),
            (HostCounter.Udp6InCsumErrors, _snmp6.Register("Udp6InCsumErrors")),
        ];
    }

    /// <summary>Reads all three files into the sample; a file that fails leaves its counters marked absent.</summary>
    public void Read(Sample sample, SourceHealth health)
    {
        bool netstatRead = _netstat.TryRead(out int errno);
        health.Report(SourceId.Netstat, netstatRead, errno, _netstat.Path);
        Fill(sample, _netstatKeys, netstatRead, _netstat);

        bool snmpRead = _snmp.TryRead(out errno);
        health.Report(SourceId.Snmp, snmpRead, errno, _snmp.Path);
        Fill(sample, _snmpKeys, snmpRead, _snmp);

        // NOTE: snmp6 is absent when IPv6 is disabled: no IPv6 datagram can be dropped, so its counters read as
        // present zeros instead of making the UDP categories unavailable.
        bool snmp6Read = _snmp6.TryRead(out errno);
        bool ipv6Disabled = !snmp6Read && errno == Interop.Errno.ENOENT;
        health.Report(SourceId.Snmp6, snmp6Read || ipv6Disabled, errno, _snmp6.Path);
        foreach ((HostCounter counter, int handle) in _snmp6Keys)
        {
            if (snmp6Read)
            {
                sample.SetHost(counter, _snmp6.TryGetValue(handle, out ulong value), value);
            }
            else
            {
                sample.SetHost(counter, ipv6Disabled, 0);
            }
        }
    }

    private static void Fill(Sample sample, (HostCounter Counter, int Handle)[] keys, bool read, MibFile file)
    {
        foreach ((HostCounter counter, int handle) in keys)
        {
            ulong value = 0;
            bool present = read && file.TryGetValue(handle, out value);
            sample.SetHost(counter, present, value);
        }
    }
}
