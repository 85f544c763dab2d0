using NetDrop.Kernel;
using NetDrop.Kernel.Procfs;
using NetDrop.Model;

namespace NetDrop.Sources;

/// <summary>
/// The counters category rows name in <c>/proc/net/snmp6</c> (today IPv6 UDP). NOTE: the file is absent when IPv6 is disabled
/// (<c>ipv6.disable=1</c>): no IPv6 datagram can then be dropped, so the counters read as present zeros rather than
/// making the UDP categories unavailable. A counter whose text does not parse is absent for that sample (its
/// categories unavailable, its next good value a baseline); a file in which none parsed is a source failure.
/// </summary>
internal sealed class Snmp6Source : ISampleSource
{
    private readonly Snmp6File _file;
    private readonly (int Slot, int Handle)[] _keys;

    public Snmp6Source(CounterPlan plan, string procRoot)
    {
        _file = new Snmp6File(KernelPaths.Snmp6(procRoot));
        _keys =
        [
            .. plan.ScalarCounters
                .Select((counter, slot) => (Counter: counter, Slot: slot))
                .Where(entry => entry.Counter.Source == CounterSource.Snmp6)
                .Select(entry => (entry.Slot, _file.Register(entry.Counter.Name))),
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

            foreach ((int slot, _) in _keys)
            {
                sample.SetCounter(slot, true, 0);
            }

            return;
        }

        foreach ((int slot, int handle) in _keys)
        {
            bool present = _file.TryGetValue(handle, out ulong value);
            sample.SetCounter(slot, present, value);
        }

        if (!_file.AnyRegisteredKeyValid())
        {
            throw new KernelSourceException("parse " + _file.Path, Interop.Errno.EBADMSG);
        }
    }
}
