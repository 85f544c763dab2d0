using NetDrop.Model;
using NetDrop.Sources;

namespace NetDrop.Deltas;

/// <summary>
/// The interface categories of an interval: each monitored interface's (and bond slave's) value of every
/// interface-scope row, from its rtnl link fields, driver ring-full counters and root/ingress qdiscs; a bond's
/// per-device parts folded in from its slaves; the interface churn (renames, re-creations, disappearances) said once.
/// </summary>
internal sealed class InterfaceDeltas
{
    private readonly CounterPlan _plan;
    private readonly InterfaceRegistry _registry;

    public InterfaceDeltas(CounterPlan plan, InterfaceRegistry registry)
    {
        _plan = plan;
        _registry = registry;
    }

    public void Compute(Sample previous, Sample current, IntervalReport report)
    {
        bool linksOk = previous.IsSourceOk(SourceId.Links) && current.IsSourceOk(SourceId.Links);
        // Qdiscs are counted for the interfaces the link source found: when it failed, an interface it could not read
        // is missing, and its qdisc drops with it, so qdisc is unavailable too rather than quietly short.
        bool qdiscOk = linksOk && previous.IsSourceOk(SourceId.Qdisc) && current.IsSourceOk(SourceId.Qdisc);
        DropCategoryTable table = _plan.Table;
        foreach (DropCategory category in table)
        {
            if (category.Scope == CategoryScope.Interface && !TermsAvailable(_plan.TermsOf(category), linksOk, qdiscOk))
            {
                DeltaEngine.MarkUnavailable(report, category);
            }
        }

        List<InterfaceReading> interfaces = current.Interfaces;
        for (int i = 0; i < interfaces.Count; i++)
        {
            InterfaceReading now = interfaces[i];
            int before = IndexOfIfIndex(previous.Interfaces, now.IfIndex);
            if (linksOk)
            {
                ReportIdentityChange(previous, now, before, report);
            }

            // An ifindex not in the previous sample is a baseline: NetDrop cannot tell an interface created this
            // interval from one moved in from another namespace (dev_change_net_namespace keeps its counters), and
            // reporting a moved-in interface's lifetime as this interval's drops would invent them.
            bool counted = before >= 0;
            InterfaceReading old = counted ? previous.Interfaces[before] : now;
            int masterIndex = now.FoldsIntoMaster ? IndexOfIfIndex(interfaces, now.MasterIfIndex) : -1;
            var delta = new InterfaceDelta
            {
                Series = now.Series,
                MasterSeries = masterIndex >= 0 ? interfaces[masterIndex].Series : -1,
            };

            ulong qdiscDrops = qdiscOk && counted ? QdiscDelta(previous.Qdiscs, current.Qdiscs, now.IfIndex) : 0;
            foreach (DropCategory category in table)
            {
                if (category.Scope != CategoryScope.Interface || report.IsUnavailable(category))
                {
                    continue;
                }

                int slot = table.InterfaceSlotOf(category);
                ulong added = 0, subtracted = 0, perDevice = 0;
                foreach (CompiledTerm term in _plan.TermsOf(category))
                {
                    ulong value = term.Source switch
                    {
                        CounterSource.Link => CounterDelta.Compute(old.Counters[term.Index], now.Counters[term.Index]),
                        CounterSource.DriverRingFull => CounterDelta.Compute(old.RingFull, now.RingFull),
                        _ => qdiscDrops,
                    };
                    if (term.Subtracted)
                    {
                        subtracted += value;
                    }
                    else
                    {
                        added += value;
                        perDevice += term.PerDevice ? value : 0;
                    }
                }

                delta.Values[slot] = DeltaEngine.Floored(added, subtracted);
                delta.PerDevice[slot] = Math.Min(perDevice, delta.Values[slot]);
            }

            if (delta.MasterSeries >= 0)
            {
                report.Slaves.Add(delta);
            }
            else
            {
                report.Interfaces.Add(delta);
            }
        }

        foreach (InterfaceReading gone in previous.Interfaces)
        {
            if (linksOk && IndexOfIfIndex(interfaces, gone.IfIndex) < 0)
            {
                report.Events.Add($"interface {_registry.NameOf(gone.Series)} disappeared (ifindex {gone.IfIndex}); skipped until it returns");
            }
        }

        FoldSlavesIntoMasters(report, table.InterfaceCategoryCount);
        foreach (DropCategory category in table)
        {
            if (category.Scope == CategoryScope.Interface && !report.IsUnavailable(category))
            {
                int slot = table.InterfaceSlotOf(category);
                ulong sum = 0;
                foreach (InterfaceDelta monitored in report.Interfaces)
                {
                    sum += monitored.Values[slot];
                }

                report[category] = sum;
            }
        }
    }

    // A bond's rtnl counters already fold in its slaves' (bond_get_stats() sums every slave's dev_get_stats()), so
    // link fields come from the master alone. Qdiscs and driver ring-full counters are per device and not folded, so
    // a slave's are added to its master's.
    private static void FoldSlavesIntoMasters(IntervalReport report, int slots)
    {
        if (report.Slaves.Count == 0)
        {
            return;
        }

        for (int i = 0; i < report.Interfaces.Count; i++)
        {
            InterfaceDelta master = report.Interfaces[i];
            foreach (InterfaceDelta slave in report.Slaves)
            {
                if (slave.MasterSeries == master.Series)
                {
                    for (int slot = 0; slot < slots; slot++)
                    {
                        master.Values[slot] += slave.PerDevice[slot];
                        master.PerDevice[slot] += slave.PerDevice[slot];
                    }
                }
            }

            report.Interfaces[i] = master;
        }
    }

    private static bool TermsAvailable(ReadOnlySpan<CompiledTerm> terms, bool linksOk, bool qdiscOk)
    {
        foreach (CompiledTerm term in terms)
        {
            if (!(term.Source == CounterSource.Qdisc ? qdiscOk : linksOk))
            {
                return false;
            }
        }

        return true;
    }

    // Rare events, so strings are fine here.
    private void ReportIdentityChange(Sample previous, in InterfaceReading now, int before, IntervalReport report)
    {
        if (before >= 0)
        {
            InterfaceReading old = previous.Interfaces[before];
            if (old.Series != now.Series)
            {
                report.Events.Add($"interface {_registry.NameOf(old.Series)} (ifindex {now.IfIndex}) was renamed to {_registry.NameOf(now.Series)}; its counts continue");
            }

            return;
        }

        int sameName = IndexOfSeries(previous.Interfaces, now.Series);
        report.Events.Add(sameName >= 0
            ? $"interface {_registry.NameOf(now.Series)} was re-created (ifindex {previous.Interfaces[sameName].IfIndex} -> {now.IfIndex}); counting from this sample"
            : $"interface {_registry.NameOf(now.Series)} appeared (ifindex {now.IfIndex}); counting from this sample");
    }

    // Only roots and ingress/clsact are in the sample (the source filters): children's drops are already in their
    // root's counter, so adding them would count a packet twice.
    private static ulong QdiscDelta(List<QdiscReading> previous, List<QdiscReading> current, int ifIndex)
    {
        ulong sum = 0;
        foreach (QdiscReading now in current)
        {
            if (now.IfIndex != ifIndex)
            {
                continue;
            }

            uint before = 0; // a qdisc added or replaced since the last sample (a new instance) counts from zero
            foreach (QdiscReading old in previous)
            {
                if (now.IsSameInstance(old))
                {
                    before = old.Drops;
                    break;
                }
            }

            sum += CounterDelta.Compute(before, now.Drops, is32Bit: true);
        }

        return sum;
    }

    private static int IndexOfSeries(List<InterfaceReading> interfaces, int series)
    {
        for (int i = 0; i < interfaces.Count; i++)
        {
            if (interfaces[i].Series == series)
            {
                return i;
            }
        }

        return -1;
    }

    private static int IndexOfIfIndex(List<InterfaceReading> interfaces, int ifIndex)
    {
        for (int i = 0; i < interfaces.Count; i++)
        {
            if (interfaces[i].IfIndex == ifIndex)
            {
                return i;
            }
        }

        return -1;
    }
}
