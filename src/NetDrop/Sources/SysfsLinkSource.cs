using System.Runtime.InteropServices;
using NetDrop.Kernel;
using NetDrop.Kernel.Snapshots;
using NetDrop.Kernel.Sysfs;

namespace NetDrop.Sources;

/// <summary>
/// Interface counters from <c>/sys/class/net/IF/statistics/*</c>: 25 file reads per interface per sample, plus its
/// <c>master</c> link and <c>uevent</c> (and a bond's <c>bonding/slaves</c>) to relate bonds and slaves. The
/// fallback for when rtnetlink is unavailable, and the reader for fixture roots. With globs it lists
/// <c>/sys/class/net</c> every sample to pick up new interfaces.
/// </summary>
internal sealed class SysfsLinkSource : ILinkSource
{
    private readonly string _sysRoot;
    private readonly string _netClass; // PERF: built once; Path.Join in the health report allocated it every sample
    private readonly InterfaceSelector _selector;
    private readonly InterfaceRegistry _registry;
    private readonly Dictionary<string, SysfsInterfaceReader> _readers = new(StringComparer.Ordinal);
    private readonly List<SysfsInterfaceReader> _sampled = []; // this sample's readers, in the order of its readings
    private string[] _monitored;

    public SysfsLinkSource(string sysRoot, InterfaceSelector selector, InterfaceRegistry registry)
    {
        _sysRoot = sysRoot;
        _netClass = KernelPaths.NetClass(sysRoot);
        _selector = selector;
        _registry = registry;
        _monitored = Resolve();
    }

    public SourceId Id => SourceId.Links;

    public string Description => _netClass;

    public IReadOnlyList<string> ListInterfaces() => NetClassDirectory.ListInterfaces(_sysRoot);

    public void Read(Sample sample)
    {
        if (_selector.HasGlobs)
        {
            _monitored = Resolve();
        }

        _sampled.Clear();
        int failedErrno = 0;
        string? failed = null;
        foreach (string name in _monitored)
        {
            TryAdd(sample, name, ref failed, ref failedErrno);
        }

        // A bond's counters fold its slaves' in (bond_get_stats): read the slaves of a monitored bond too, for the
        // per-slave breakdown and their own qdiscs and rings, as the netlink source does.
        int selected = _sampled.Count;
        for (int i = 0; i < selected; i++)
        {
            if (_sampled[i].Topology.Kind != LinkKind.Bond)
            {
                continue;
            }

            foreach (string slave in _sampled[i].BondSlaveNames())
            {
                if (!IsSampled(slave))
                {
                    TryAdd(sample, slave, ref failed, ref failedErrno);
                }
            }
        }

        LinkMasters(sample);
        if (failed is not null)
        {
            throw new KernelSourceException("read " + KernelPaths.Interface(_sysRoot, failed) + "/statistics", failedErrno);
        }
    }

    private void TryAdd(Sample sample, string name, ref string? failed, ref int failedErrno)
    {
        if (!_readers.TryGetValue(name, out SysfsInterfaceReader? reader))
        {
            reader = new SysfsInterfaceReader(_sysRoot, name);
            _readers.Add(name, reader);
        }

        if (reader.Statistics.TryRead(out int ifIndex, out LinkCounters counters, out int errno))
        {
            reader.Topology.Refresh();
            sample.Interfaces.Add(new InterfaceReading
            {
                Series = _registry.GetOrAdd(name),
                Name = InterfaceName.FromString(name),
                IfIndex = ifIndex,
                Counters = counters,
            });
            _sampled.Add(reader);
        }
        else if (errno is not (Interop.Errno.ENOENT or Interop.Errno.ENODEV))
        {
            // A vanished interface is not a source failure (the delta engine reports it); anything else is,
            // EBADMSG (a statistics or ifindex file that does not parse) included: the interface is left out of this
            // sample and the failed source makes every link category unavailable for this interval and the next, so
            // its return is a baseline, never counted as an interface's lifetime.
            (failed, failedErrno) = (name, errno);
        }
    }

    // The sysfs "master" link names the master; it is related only when the master is in the sample too (as with
    // netlink, where a master outside the monitored set makes its port an ordinary interface).
    private void LinkMasters(Sample sample)
    {
        Span<InterfaceReading> readings = CollectionsMarshal.AsSpan(sample.Interfaces)[^_sampled.Count..];
        for (int i = 0; i < readings.Length; i++)
        {
            ReadOnlySpan<byte> master = _sampled[i].Topology.MasterName;
            if (master.IsEmpty)
            {
                continue;
            }

            for (int j = 0; j < readings.Length; j++)
            {
                if (readings[j].Name.Bytes.SequenceEqual(master))
                {
                    readings[i].MasterIfIndex = readings[j].IfIndex;
                    readings[i].MasterKind = _sampled[j].Topology.Kind;
                    break;
                }
            }
        }
    }

    private bool IsSampled(string name)
    {
        foreach (SysfsInterfaceReader reader in _sampled)
        {
            if (reader.Name == name)
            {
                return true;
            }
        }

        return false;
    }

    private string[] Resolve()
    {
        if (!_selector.HasGlobs)
        {
            return [.. _selector.ExactNames.Where(name => !_selector.Exclude.Any(pattern => InterfaceSelector.GlobMatch(pattern, name)))];
        }

        return [.. NetClassDirectory.ListInterfaces(_sysRoot).Where(name => _selector.Matches(name))];
    }
}
