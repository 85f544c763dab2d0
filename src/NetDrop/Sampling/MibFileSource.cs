using NetDrop.Kernel;
using NetDrop.Kernel.Procfs;

namespace NetDrop.Sampling;

/// <summary>
/// Host counters from one header/value MIB file, <c>/proc/net/netstat</c> or <c>/proc/net/snmp</c> (per network
/// namespace: they follow <c>/proc/self/net</c>). A field this kernel lacks, or whose text did not parse this time,
/// stays absent in the sample, and the delta engine marks its category unavailable for this interval and the next
/// (whose previous sample lacks it), so the next good value is a new baseline, never a delta from a bogus one. A file
/// in which no counter at all parsed (empty, garbled) is a source failure, reported once.
/// </summary>
internal sealed class MibFileSource : ISampleSource
{
    private readonly MibFile _file;
    private readonly (HostCounter Counter, int Handle)[] _keys;

    private MibFileSource(SourceId id, string path, (HostCounter Counter, MibKey Key)[] keys)
    {
        Id = id;
        _file = new MibFile(path);
        _keys = [.. keys.Select(key => (key.Counter, _file.Register(key.Key)))];
    }

    public SourceId Id { get; }

    public string Description => _file.Path;

    public static MibFileSource Netstat(string procRoot) => new(SourceId.Netstat, KernelPaths.Netstat(procRoot),
    [
        (HostCounter.TcpReqQFullDrop, new("TcpExt", "TCPReqQFullDrop")),
        (HostCounter.TcpListenOverflows, new("TcpExt", "ListenOverflows")),
        (HostCounter.TcpListenDrops, new("TcpExt", "ListenDrops")),
        (HostCounter.TcpRcvPruned, new("TcpExt", "RcvPruned")),
        (HostCounter.TcpOfoPruned, new("TcpExt", "OfoPruned")),
        (HostCounter.TcpRcvCollapsed, new("TcpExt", "TCPRcvCollapsed")),
        (HostCounter.TcpBacklogDrop, new("TcpExt", "TCPBacklogDrop")),
        (HostCounter.TcpRcvQDrop, new("TcpExt", "TCPRcvQDrop")),
        (HostCounter.TcpZeroWindowDrop, new("TcpExt", "TCPZeroWindowDrop")),
        (HostCounter.TcpOfoDrop, new("TcpExt", "TCPOFODrop")),
        (HostCounter.TcpPruneCalled, new("TcpExt", "PruneCalled")),
        (HostCounter.TcpReqQFullDoCookies, new("TcpExt", "TCPReqQFullDoCookies")),
    ]);

    public static MibFileSource Snmp(string procRoot) => new(SourceId.Snmp, KernelPaths.Snmp(procRoot),
    [
        (HostCounter.UdpRcvbufErrors, new("Udp", "RcvbufErrors")),
        (HostCounter.UdpSndbufErrors, new("Udp", "SndbufErrors")),
        (HostCounter.UdpMemErrors, new("Udp", "MemErrors")),
        (HostCounter.UdpInCsumErrors, new("Udp", "InCsumErrors")),
    ]);

    public void Read(Sample sample)
    {
        if (!_file.TryRead(out int errno))
        {
            throw new KernelSourceException("read " + _file.Path, errno);
        }

        foreach ((HostCounter counter, int handle) in _keys)
        {
            bool present = _file.TryGetValue(handle, out ulong value);
            sample.SetHost(counter, present, value);
        }

        if (!_file.AnyRegisteredKeyValid())
        {
            throw new KernelSourceException("parse " + _file.Path, Interop.Errno.EBADMSG);
        }
    }
}
