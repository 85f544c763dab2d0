using NetDrop.Kernel;
using NetDrop.Kernel.Procfs;

namespace NetDrop.Sampling;

/// <summary>
/// The IPv6 UDP counters from <c>/proc/net/snmp6</c>. NOTE: the file is absent when IPv6 is disabled
/// (<c>ipv6.disable=1</c>): no IPv6 datagram can then be dropped, so the counters read as present zeros rather than
/// making the UDP categories unavailable. A counter whose text does not parse is absent for that sample (its
/// categories unavailable, its next good value a baseline); a file in which none parsed is a source failure.
/// </summary>
internal sealed class Snmp6Source : ISampleSource
{
    private readonly Snmp6File _file;
    private readonly (HostCounter Counter, int Handle)[] _keys;

    public Snmp6Source(string procRoot)
    {
        _file = new Snmp6File(KernelPaths.Snmp6(procRoot));
        _keys =
        [
            (HostCounter.Udp6RcvbufErrors, _file.Register("Udp6RcvbufErrors")),
            (HostCounter.Udp6SndbufErrors, _file.Register("Udp6SndbufErrors")),
            (HostCounter.Udp6MemErrors, _file.Register("Udp6MemErrors")),
            (HostCounter.Udp6InCsumErrors, _file.Register("Udp6InCsumErrors")),
        ];
    }

    public SourceId Id => SourceId.Snmp6;

    public string Description => _file.Path;

    public void Read(Sample sample)
    {
        if (!_file.TryRead(out int errno))
        {
            if (errno != Interop.Errno.ENOENT)
            {
                throw new KernelSourceException("read " + _file.Path, errno);
            }

            foreach ((HostCounter counter, _) in _keys)
            {
                sample.SetHost(counter, true, 0);
            }

            return;
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
