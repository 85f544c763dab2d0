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
/// </remarks>
internal sealed class NamespaceDeltas
{
    private readonly CounterPlan _plan;
    private readonly DropCategory[] _categories;
    private readonly Dictionary<ulong, int> _previousById = [];

    public NamespaceDeltas(CounterPlan plan)
    {
        _plan = plan;
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
                report.Namespaces.Add(new NamespaceDelta(after.Id, after.Namespace.Owner, values, DeltaEngine.Floored(drops, elsewhere), after.IsLastRead));
                countedInAnotherColumn += elsewhere;
            }
        }

        return countedInAnotherColumn;
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
