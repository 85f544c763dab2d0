using System.Text;
using NetDrop.Kernel.Netlink;
using NetDrop.Kernel.Snapshots;

namespace NetDrop.Sources;

/// <summary>
/// Interface counters for every monitored interface, and for the slaves of monitored bonds, from one
/// <c>RTM_GETLINK</c> dump per sample: one round trip instead of 25 sysfs files per interface, and new interfaces
/// matching a glob are seen the moment they exist.
/// </summary>
/// <remarks>
/// A bond's counters already include its slaves' (<c>bond_get_stats</c>), so the slaves of a monitored bond are read
/// too (for the per-slave breakdown and their own qdiscs and rings) and flagged as folded. A bridge, team, VRF or
/// Open vSwitch master does not fold its ports in: a port is read only when it is selected, as its own interface.
/// </remarks>
internal sealed class NetlinkLinkSource : ILinkSource
{
    private readonly LinkDump _dump;
    private readonly InterfaceSelector _selector;
    private readonly InterfaceRegistry _registry;
    private readonly List<LinkRecord> _records = [];

    public NetlinkLinkSource(NetlinkSocket socket, InterfaceSelector selector, InterfaceRegistry registry)
    {
        _dump = new LinkDump(socket);
        _selector = selector;
        _registry = registry;
    }

    public SourceId Id => SourceId.Links;

    public string Description => "rtnetlink RTM_GETLINK";

    public IReadOnlyList<string> ListInterfaces()
    {
        _dump.Read(_records);
        return [.. _records.Select(record => record.Name.ToString()).Order(StringComparer.Ordinal)];
    }

    public void Read(Sample sample)
    {
        _dump.Read(_records);
        foreach (LinkRecord record in _records)
        {
            if (IsSelected(record))
            {
                Add(sample, record);
            }
        }

        int monitored = sample.Interfaces.Count;
        foreach (LinkRecord record in _records)
        {
            if (record.MasterIfIndex != 0 && !IsSelected(record) && LinkKinds.FoldsSlaveCounters(KindOf(record.MasterIfIndex)) &&
                IsMonitoredIfIndex(sample, monitored, record.MasterIfIndex))
            {
                Add(sample, record);
            }
        }
    }

    private LinkKind KindOf(int ifIndex)
    {
        foreach (LinkRecord record in _records)
        {
            if (record.IfIndex == ifIndex)
            {
                return record.Kind;
            }
        }

        return LinkKind.Other;
    }

    private bool IsSelected(in LinkRecord record)
    {
        // PERF: names are ASCII in practice; decode into a stack buffer rather than a string per interface per sample.
        Span<char> name = stackalloc char[InterfaceName.Capacity * 2];
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
            MasterKind = record.MasterIfIndex != 0 ? KindOf(record.MasterIfIndex) : LinkKind.Other,
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
