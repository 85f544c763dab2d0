using NetDrop.Model;
using NetDrop.Sources;

namespace NetDrop.Deltas;

/// <summary>
/// What one interval looked like: every category's delta summed over the monitored interfaces, the per-interface,
/// per-slave and per-CPU detail, the severity, and which categories could not be read. Reused between intervals.
/// </summary>
internal sealed partial class IntervalReport
{
    private readonly ulong[] _categories;
    private readonly List<ulong[]> _namespaceValues = []; // pooled NamespaceDelta.Values, one per namespace that ever dropped
    private int _namespaceValuesRented;

    /// <param name="interfaceNames">Names of the interface series, for the detail rows (<see cref="VisitDetail"/>).</param>
    public IntervalReport(DropCategoryTable table, InterfaceRegistry? interfaceNames = null)
    {
        Table = table;
        InterfaceNames = interfaceNames;
        _categories = new ulong[table.Count];
    }

    /// <summary>Names of the interface series in <see cref="Interfaces"/> and <see cref="Slaves"/>; null in tests that need none.</summary>
    public InterfaceRegistry? InterfaceNames { get; }

    /// <summary>The categories this report holds, in CSV order: what every sink iterates.</summary>
    public DropCategoryTable Table { get; }

    public int Iteration { get; set; }

    /// <summary>Wall-clock time the interval ended (local time, as the seed wrote it).</summary>
    public DateTimeOffset Timestamp { get; set; }

    /// <summary>Seconds between the two samples, from the monotonic clock.</summary>
    public double IntervalSeconds { get; set; }

    /// <summary>The seed CSV's <c>interface</c> cell: the monitored names joined with <c>+</c>.</summary>
    public string InterfaceLabel { get; set; } = "";

    public ulong TotalDrops { get; set; }

    public Severity Severity { get; set; }

    /// <summary>Bit <c>1 &lt;&lt; category.Id</c> set when that category's source could not be read.</summary>
    public ulong UnavailableMask { get; set; }

    /// <summary>Monitored interfaces, in the order they were first seen.</summary>
    public List<InterfaceDelta> Interfaces { get; } = [];

    /// <summary>Slaves of monitored bonds: their own deltas, already included in their master's.</summary>
    public List<InterfaceDelta> Slaves { get; } = [];

    public List<SoftnetDelta> Cpus { get; } = [];

    /// <summary>
    /// Network namespaces other than the node's with a non-zero per-namespace category this interval (pods, containers,
    /// processes), in the scanner's order. Their values are already in the category values above (the node's total).
    /// </summary>
    public List<NamespaceDelta> Namespaces { get; } = [];

    /// <summary>
    /// Ids of the namespaces read for the last time this interval (their last task had exited), whether or not they
    /// dropped: what ends their metric series.
    /// </summary>
    public List<ulong> EndedNamespaces { get; } = [];

    /// <summary>
    /// Interfaces of other network namespaces (the pod side of each veth) with a non-zero interface category this
    /// interval, namespace by namespace in the scanner's order. Their values are already in the category values above.
    /// </summary>
    public List<PodInterfaceDelta> PodInterfaces { get; } = [];

    /// <summary>Interfaces that appeared or vanished this interval (rare, so strings are fine).</summary>
    public List<string> Events { get; } = [];

    /// <summary>Drops per kernel drop reason (opt-in); null when not counted. Never part of <see cref="TotalDrops"/>.</summary>
    public DropReasonDeltas? DropReasons { get; set; }

    public ulong this[DropCategory category]
    {
        get => _categories[category.Id];
        set => _categories[category.Id] = value;
    }

    /// <summary>An interface's (or slave's) share of an interface category; 0 for categories of other scopes.</summary>
    public ulong ValueOf(in InterfaceDelta delta, DropCategory category)
    {
        int slot = Table.InterfaceSlotOf(category);
        return slot >= 0 ? delta.Values[slot] : 0;
    }

    /// <summary>
    /// The part of an interface category read from <c>rtnl_link_stats64</c> fields (what <c>/proc/net/dev</c> and
    /// <c>ip -s link</c> show): its value less the per-device counters rtnl lacks (ethtool ring-full, qdiscs).
    /// </summary>
    public ulong LinkFieldPartOf(in InterfaceDelta delta, DropCategory category)
    {
        int slot = Table.InterfaceSlotOf(category);
        return slot >= 0 ? delta.Values[slot] - delta.PerDevice[slot] : 0;
    }

    /// <summary>A pod interface's share of an interface category; 0 for other scopes and for categories its <c>net/dev</c> cannot express.</summary>
    public ulong ValueOf(in PodInterfaceDelta delta, DropCategory category)
    {
        int slot = Table.InterfaceSlotOf(category);
        return slot >= 0 ? delta.Values[slot] : 0;
    }

    /// <summary>One CPU's share of a host-wide (softnet) category; 0 for categories of other scopes.</summary>
    public static ulong ValueOf(in SoftnetDelta cpu, DropCategory category)
    {
        ulong added = 0, subtracted = 0;
        foreach (CounterTerm term in category.Counters.Terms)
        {
            if (term.Counter.Source == CounterSource.Softnet)
            {
                ulong value = cpu.ValueOf(SoftnetColumns.Of(term.Counter));
                if (term.Subtracted)
                {
                    subtracted += value;
                }
                else
                {
                    added += value;
                }
            }
        }

        return added > subtracted ? added - subtracted : 0;
    }

    /// <summary>An interface's drops over every interface drop category (its line in the console breakdown).</summary>
    public ulong TotalOf(in InterfaceDelta delta)
    {
        ulong total = 0;
        foreach (DropCategory category in Table)
        {
            total += category.IsDrop ? ValueOf(delta, category) : 0;
        }

        return total;
    }

    /// <summary>One namespace's share of a per-namespace category; 0 for categories not read per namespace.</summary>
    public static ulong ValueOf(in NamespaceDelta delta, DropCategory category) => delta.Values[category.Id];

    /// <summary>The node's own namespace's share of a category: its value less every other namespace's.</summary>
    public ulong NodeOwnValueOf(DropCategory category)
    {
        ulong others = 0;
        foreach (NamespaceDelta delta in Namespaces)
        {
            others += delta.Values[category.Id];
        }

        return _categories[category.Id] - others;
    }

    /// <summary>A zeroed per-category array for a <see cref="NamespaceDelta"/>, reused from the previous intervals (PERF).</summary>
    public ulong[] RentNamespaceValues()
    {
        if (_namespaceValuesRented == _namespaceValues.Count)
        {
            _namespaceValues.Add(new ulong[_categories.Length]);
        }

        ulong[] values = _namespaceValues[_namespaceValuesRented++];
        Array.Clear(values);
        return values;
    }

    public bool IsUnavailable(DropCategory category) => (UnavailableMask & (1UL << category.Id)) != 0;

    public void Clear()
    {
        Array.Clear(_categories);
        Interfaces.Clear();
        Slaves.Clear();
        Cpus.Clear();
        Namespaces.Clear();
        EndedNamespaces.Clear();
        PodInterfaces.Clear();
        _namespaceValuesRented = 0;
        Events.Clear();
        UnavailableMask = 0;
        TotalDrops = 0;
        DropReasons?.Clear();
    }
}
