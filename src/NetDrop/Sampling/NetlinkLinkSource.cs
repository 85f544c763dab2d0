using System.Text;
using NetDrop.Kernel;
using NetDrop.Kernel.Netlink;

namespace NetDrop.Sampling;

/// <summary>
/// Interface counters for every monitored interface, and for the slaves of monitored bonds, from one
/// <c>RTM_GETLINK</c> dump per sample: one round trip instead of 25 sysfs files per interface, and new interfaces
/// matching a glob are seen the moment they exist.
/// </summary>
internal sealed class NetlinkLinkSource : ILinkSource
{
    private readonly LinkDump _dump;
    private readonly InterfaceSelector _selector;
    private readonly InterfaceRegistry _registry;
    private readonly IRingFullSource? _ringFull;
    private readonly List<LinkRecord> _records = [];

    public NetlinkLinkSource(NetlinkSocket socket, InterfaceSelector selector, InterfaceRegistry registry, IRingFullSource? ringFull)
    {
        _dump = new LinkDump(socket);
        _selector = selector;
        _registry = registry;
        _ringFull = ringFull;
    }

    public IReadOnlyList<string> ListInterfaces()
    {
        _dump.Read(_records);
        return [.. _records.Select(record => record.Name.ToString()).Order(StringComparer.Ordinal)];
    }

    public void Read(Sample sample, SourceHealth health)
    {
        try
        {
            _dump.Read(_records);
        }
        catch (KernelSourceException ex)
        {
            health.Report(SourceId.Links, false, ex.Errno, "rtnetlink RTM_GETLINK");
            return;
        }

        health.Report(SourceId.Links, true, 0, "rtnetlink RTM_GETLINK");
        foreach (LinkRecord record in _records)
        {
            if (IsSelected(record))
            {
                Add(sample, record);
            }
        }

        // Slaves of a monitored bond are read too, for the per-slave breakdown and their own qdiscs and rings.
        int monitored = sample.Interfaces.Count;
        foreach (LinkRecord record in _records)
        {
            if (record.MasterIfIndex != 0 && !IsSelected(record) && IsMonitoredIfIndex(sample, monitored, record.MasterIfIndex))
            {
                Add(sample, record);
            }
        }

        _ringFull?.Read(sample, health);
    }

    public void Dispose()
    {
    }

    private bool IsSelected(in LinkRecord record)
    {
        // PERF: names are ASCII in practice; decode into a stack buffer rather than a string per interface per sample.
        Span<char> name = stackalloc char[Kernel.Snapshots.InterfaceName.Capacity * 2];
        int length = Encoding.UTF8.GetChars(record.Name.Bytes, name);
        return _selector.Matches(name[..length]);
    }

    private void Add(Sample sample, in LinkRecord record) =>
        sample.Interfaces.Add(new InterfaceReading
        {
            Series = _registry.GetOrAdd(record.Name),
            Name = record.Name,
            IfIndex = record.IfIndex,
            MasterIfIndex = record.MasterIfIndex,
            Counters = record.Counters,
        });

    private static bool IsMonitoredIfIndex(Sample sample, int count, int ifIndex)
    {
        for (int i = 0; i < count; i++)
        {
            if (sample.Interfaces[i].IfIndex == ifIndex)
            {
                return true;
            }
        }

        return false;
    }
}
