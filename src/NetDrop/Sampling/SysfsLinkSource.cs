using NetDrop.Kernel;
using NetDrop.Kernel.Snapshots;
using NetDrop.Kernel.Sysfs;

namespace NetDrop.Sampling;

/// <summary>
/// Interface counters from <c>/sys/class/net/IF/statistics/*</c>: 25 file reads per interface per sample. The
/// fallback for when rtnetlink is unavailable, and the reader for fixture roots. With globs it lists
/// <c>/sys/class/net</c> every sample to pick up new interfaces.
/// </summary>
internal sealed class SysfsLinkSource : ILinkSource
{
    private readonly string _sysRoot;
    private readonly string _netClass; // PERF: built once; Path.Join in the health report allocated it every sample
    private readonly InterfaceSelector _selector;
    private readonly InterfaceRegistry _registry;
    private readonly Dictionary<string, InterfaceStatistics> _readers = new(StringComparer.Ordinal);
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

        int failedErrno = 0;
        string? failed = null;
        foreach (string name in _monitored)
        {
            if (!_readers.TryGetValue(name, out InterfaceStatistics? reader))
            {
                reader = new InterfaceStatistics(_sysRoot, name);
                _readers.Add(name, reader);
            }

            if (reader.TryRead(out int ifIndex, out LinkCounters counters, out int errno))
            {
                sample.Interfaces.Add(new InterfaceReading
                {
                    Series = _registry.GetOrAdd(name),
                    Name = InterfaceName.FromString(name),
                    IfIndex = ifIndex,
                    Counters = counters,
                });
            }
            else if (errno is not (Interop.Errno.ENOENT or Interop.Errno.ENODEV))
            {
                // A vanished interface is not a source failure (the delta engine reports it); anything else is,
                // EBADMSG (a statistics or ifindex file that does not parse) included: the interface is left out of
                // this sample and the failed source makes every link category unavailable for this interval and the
                // next, so its return is compared with nothing, never counted as an interface that appeared.
                (failed, failedErrno) = (name, errno);
            }
        }

        if (failed is not null)
        {
            throw new KernelSourceException("read " + KernelPaths.Interface(_sysRoot, failed) + "/statistics", failedErrno);
        }
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
