using NetDrop.Model;
using NetDrop.Sources;

namespace NetDrop.Deltas;

/// <summary>
/// The per-namespace part of an interval: for every namespace in both samples, each per-namespace category evaluated
/// over that namespace's counters exactly as <see cref="DeltaEngine"/> evaluates the node's (reset and wrap aware,
/// <see cref="CounterDelta"/>), added to the report's category values (the node's own + every other namespace's) and
/// kept as a <see cref="NamespaceDelta"/> when not all zero.
/// </summary>
/// <remarks>
/// <para>
/// A namespace is matched across samples by its id (the inode of its <c>net/netstat</c>, pinned while the scanner
/// holds its files, so never another namespace's). One in the current sample only appeared since the previous one:
/// its first reading is a baseline, and whatever it dropped between its creation and that reading (less than one
/// interval) is not counted. One read for the last time (<see cref="NamespaceReading.IsLastRead"/>) gets its final
/// delta counted, and is in no later sample: each drop once.
/// </para>
/// <para>
/// "The previous sample" is the previous one that read the namespaces (<see cref="Sample.NamespacesRead"/>): a
/// sample between two reads of the <c>namespace_interval</c> cadence adds nothing for them and carries their last
/// readings forward, so the next read's delta covers every sample since and the node's value gets each namespace's
/// drops in the interval they are read, once.
/// </para>
/// <para>
/// A per-namespace category is a scalar one all of whose counters <see cref="NamespaceCounterSource"/> reads in every
/// namespace (TcpExt, Tcp, Udp, Ip of netstat/snmp; Udp6, Ip6 of snmp6). A counter a namespace's file lacks leaves that
/// category out for that namespace this interval; it does not make the node's category unavailable.
/// </para>
/// <para>
/// Each namespace's own interfaces (its <c>net/dev</c>: the pod side of each veth, its <c>lo</c>) get the node's
/// interface treatment for the categories <see cref="NetDevCategoryMap"/> finds in that file: an interface is its name
/// within its namespace (the file has no ifindex), one first seen (created, renamed, moved in, or not readable last
/// time) is a baseline, a counter that went down counts its new value (<see cref="CounterDelta"/>). Their deltas are
/// added to the node's row, like the socket layer's: the node row is the node's total. NOTE: a veth counts a frame its
/// peer refused on both ends (<c>veth_xmit()</c> increments its own <c>tx_dropped</c> when <c>veth_forward_skb()</c>
/// fails; the peer counted it in <c>rx_dropped</c> first, in <c>____dev_forward_skb()</c> or
/// <c>enqueue_to_backlog()</c>), so the pod side repeats the node side's drops mirrored: monitoring the node-side veths
/// as well (the default selection takes every interface) counts such a frame twice. The chart excludes them.
/// </para>
/// </remarks>
internal sealed class NamespaceDeltas
{
    private readonly CounterPlan _plan;
    private readonly DropCategory[] _categories;
    private readonly Dictionary<ulong, int> _previousById = [];
    private readonly NetDevCategoryMap _dev;

    public NamespaceDeltas(CounterPlan plan)
    {
        _plan = plan;
        _dev = new NetDevCategoryMap(plan.Table);
        _categories =
        [
            .. plan.Table.Where(category => category.Counters.IsScalar &&
                category.Scope == CategoryScope.Namespace &&
                category.Counters.Terms.All(term => NamespaceCounterSource.IsReadPerNamespace(term.Counter))),
        ];
    }

    /// <summary>The categories read in every namespace.</summary>
    public IReadOnlyList<DropCategory> Categories => _categories;

    /// <returns>The namespaces' drops this interval that are in two drop columns at once, to be counted once in the total.</returns>
    public ulong Compute(Sample previous, Sample current, IntervalReport report)
    {
        if (!current.NamespacesRead)
        {
            // Not read this sample (the namespace_interval cadence, or a failed read): no namespace vanished, each
            // one's last reading is carried over as the baseline of the next read, whose delta covers the whole gap.
            current.CarryNamespacesFrom(previous);
            return 0;
        }

        ReadOnlySpan<NamespaceReading> before = previous.Namespaces;
        _previousById.Clear();
        for (int i = 0; i < before.Length; i++)
        {
            // A last read is nobody's baseline: its namespace was released after it, and procfs hands the freed inode
            // number (the id) to the next namespace created (proc_alloc_inum, ida_alloc_max: lowest free first).
            if (!before[i].IsLastRead)
            {
                _previousById[before[i].Id] = i;
            }
        }

        ulong countedInAnotherColumn = 0;
        foreach (NamespaceReading after in current.Namespaces)
        {
            if (after.IsLastRead)
            {
                report.EndedNamespaces.Add(after.Id);
            }

            if (!_previousById.TryGetValue(after.Id, out int match))
            {
                continue; // first seen: a baseline
            }

            NamespaceReading old = before[match];
            ComputeInterfaces(old, after, report);
            ulong[]? values = null;
            ulong drops = 0, elsewhere = 0;
            foreach (DropCategory category in _categories)
            {
                if (!TryEvaluate(category, old, after, out ulong value, out ulong inAnotherColumn) || value == 0)
                {
                    continue;
                }

                values ??= report.RentNamespaceValues();
                values[category.Id] = value;
                report[category] += value;
                if (category.IsDrop)
                {
                    drops += value;
                    elsewhere += inAnotherColumn;
                }
            }

            if (values is not null)
            {
                report.Namespaces.Add(new NamespaceDelta(after.Id, after.Namespace.Owner, values, DeltaEngine.Floored(drops, elsewhere)));
                countedInAnotherColumn += elsewhere;
            }
        }

        return countedInAnotherColumn;
    }

    // The namespace's interfaces in both readings, by name. Only the slots of categories net/dev expresses are set.
    private void ComputeInterfaces(NamespaceReading previous, NamespaceReading current, IntervalReport report)
    {
        ReadOnlySpan<DropCategory> categories = _dev.Categories;
        if (categories.IsEmpty)
        {
            return;
        }

        DropCategoryTable table = _plan.Table;
        for (int i = 0; i < current.InterfaceCount; i++)
        {
            int match = previous.IndexOfInterface(current.InterfaceNameAt(i));
            if (match < 0)
            {
                continue; // first seen: a baseline
            }

            ref readonly NetDrop.Kernel.Namespaces.NetDevCounters before = ref previous.InterfaceCountersAt(match);
            ref readonly NetDrop.Kernel.Namespaces.NetDevCounters after = ref current.InterfaceCountersAt(i);
            var delta = new PodInterfaceDelta { NamespaceId = current.Id, Owner = current.Namespace.Owner, Name = current.InterfaceNameAt(i) };
            bool moved = false;
            foreach (DropCategory category in categories)
            {
                int slot = table.InterfaceSlotOf(category);
                _ = _dev.TryGetValue(slot, before, out ulong old);
                _ = _dev.TryGetValue(slot, after, out ulong now);
                ulong value = CounterDelta.Compute(old, now);
                delta.Values[slot] = value;
                moved |= value != 0;
            }

            if (!moved)
            {
                continue;
            }

            report.PodInterfaces.Add(delta);
            foreach (DropCategory category in categories)
            {
                // The node's side could not be read: the row says unavailable, so nothing is added to it.
                if (!report.IsUnavailable(category))
                {
                    report[category] += delta.Values[table.InterfaceSlotOf(category)];
                }
            }
        }
    }

    private bool TryEvaluate(DropCategory category, NamespaceReading previous, NamespaceReading current, out ulong value, out ulong inAnotherColumn)
    {
        ulong added = 0, subtracted = 0;
        value = inAnotherColumn = 0;
        foreach (CompiledTerm term in _plan.TermsOf(category))
        {
            if (!previous.TryGetCounter(term.Index, out ulong beforeValue) || !current.TryGetCounter(term.Index, out ulong afterValue))
            {
                return false;
            }

            ulong delta = CounterDelta.Compute(beforeValue, afterValue);
            if (term.Subtracted)
            {
                subtracted += delta;
            }
            else
            {
                added += delta;
            }

            if (term.InAnotherColumn)
            {
                inAnotherColumn += delta;
            }
        }

        value = DeltaEngine.Floored(added, subtracted);
        return true;
    }
}
