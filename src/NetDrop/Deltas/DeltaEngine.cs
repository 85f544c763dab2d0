using NetDrop.Kernel.Procfs;
using NetDrop.Model;
using NetDrop.Sources;

namespace NetDrop.Deltas;

/// <summary>
/// Turns two consecutive samples into an <see cref="IntervalReport"/>: each row of the category table evaluated over
/// the per-series deltas of the counters it names (reset and wrap aware, see <see cref="CounterDelta"/>).
/// Interface categories are computed by <see cref="InterfaceDeltas"/>; every other network namespace's share of the socket-layer
/// categories by <see cref="NamespaceDeltas"/>, added in, so a category's value is the node's total.
/// </summary>
/// <remarks>
/// Series identity: an interface is its ifindex (a rename keeps counting; an ifindex first seen in this sample is a
/// baseline, whether the interface was created, re-created or moved in); a qdisc is ifindex + handle + parent + kind,
/// and a new instance when its bytes or packets went down (a replaced qdisc counts its own drops from zero); a CPU is
/// its id (a CPU brought online counts from zero).
/// </remarks>
internal sealed class DeltaEngine
{
    private readonly CounterPlan _plan;
    private readonly InterfaceDeltas _interfaces;
    private readonly NamespaceDeltas _namespaces;
    private readonly SeverityPolicy _severity;

    public DeltaEngine(CounterPlan plan, InterfaceRegistry registry, SeverityPolicy severity)
    {
        _plan = plan;
        _interfaces = new InterfaceDeltas(plan, registry);
        _namespaces = new NamespaceDeltas(plan);
        _severity = severity;
    }

    /// <summary>Fills <paramref name="report"/> with the interval from <paramref name="previous"/> to <paramref name="current"/>.</summary>
    public void Compute(Sample previous, Sample current, IntervalReport report, TimeSpan elapsed)
    {
        report.Clear();
        report.IntervalSeconds = elapsed.TotalSeconds;
        ulong countedInAnotherColumn = ComputeScalar(previous, current, report);
        ComputeSoftnet(previous, current, report);
        _interfaces.Compute(previous, current, report);
        // After the node's interfaces, which set their categories' values: other namespaces' interfaces add to them.
        countedInAnotherColumn += _namespaces.Compute(previous, current, report); // every other namespace, each drop once

        ulong total = 0;
        foreach (DropCategory category in _plan.Table)
        {
            if (category.IsDrop)
            {
                total += report[category];
            }
        }

        // Each dropped packet once: the part of a column the kernel already counted in another drop column (a term
        // marked CountedInAnotherColumn) is shown in its column but left out of the total (and so of severity). It is
        // part of that column's value, so the subtraction cannot go below zero.
        report.TotalDrops = total - countedInAnotherColumn;
        report.Severity = _severity.Classify(report);

        // Beside the categories, after the total: drop reasons never add to it (they count the same packets).
        if (current.DropReasonNames is { } names)
        {
            (report.DropReasons ??= new DropReasonDeltas(names)).Compute(previous, current);
        }
    }

    /// <returns>The drops this interval that are in two drop columns at once, to be counted once in the total.</returns>
    private ulong ComputeScalar(Sample previous, Sample current, IntervalReport report)
    {
        ulong countedInAnotherColumn = 0;
        foreach (DropCategory category in _plan.Table)
        {
            if (!category.Counters.IsScalar)
            {
                continue;
            }

            ulong added = 0, subtracted = 0, elsewhere = 0;
            bool available = true;
            foreach (CompiledTerm term in _plan.TermsOf(category))
            {
                if (!previous.TryGetCounter(term.Index, out ulong before) || !current.TryGetCounter(term.Index, out ulong after))
                {
                    available = false;
                    break;
                }

                ulong delta = CounterDelta.Compute(before, after);
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
                    elsewhere += delta;
                }
            }

            if (available)
            {
                report[category] = Floored(added, subtracted);
                countedInAnotherColumn += category.IsDrop ? elsewhere : 0;
            }
            else
            {
                MarkUnavailable(report, category);
            }
        }

        return countedInAnotherColumn;
    }

    private void ComputeSoftnet(Sample previous, Sample current, IntervalReport report)
    {
        bool available = previous.IsSourceOk(SourceId.Softnet) && current.IsSourceOk(SourceId.Softnet);
        if (available)
        {
            ReadOnlySpan<SoftnetCpu> before = previous.Softnet;
            ReadOnlySpan<SoftnetCpu> after = current.Softnet;
            for (int i = 0; i < after.Length; i++)
            {
                SoftnetCpu cpu = after[i];
                int match = i < before.Length && before[i].Cpu == cpu.Cpu ? i : IndexOfCpu(before, cpu.Cpu);

                // A CPU that was not in the previous sample (brought online) starts a baseline. Its counters did not
                // start at zero: softnet_data is a static per-CPU variable (net/core/dev.c) that dev_cpu_dead()
                // drains but never resets, so a CPU back online brings every drop it counted since boot.
                SoftnetCpu old = match >= 0 ? before[match] : cpu;
                report.Cpus.Add(new SoftnetDelta(
                    cpu.Cpu,
                    CounterDelta.Compute(old.Dropped, cpu.Dropped, is32Bit: true),
                    CounterDelta.Compute(old.TimeSqueeze, cpu.TimeSqueeze, is32Bit: true)));
            }
        }

        foreach (DropCategory category in _plan.Table)
        {
            if (!category.Counters.IsPerCpu)
            {
                continue;
            }

            if (!available)
            {
                MarkUnavailable(report, category);
                continue;
            }

            ulong added = 0, subtracted = 0;
            foreach (CompiledTerm term in _plan.TermsOf(category))
            {
                ulong sum = 0;
                foreach (SoftnetDelta cpu in report.Cpus)
                {
                    sum += cpu.ValueOf((SoftnetColumn)term.Index);
                }

                if (term.Subtracted)
                {
                    subtracted += sum;
                }
                else
                {
                    added += sum;
                }
            }

            report[category] = Floored(added, subtracted);
        }
    }

    private static int IndexOfCpu(ReadOnlySpan<SoftnetCpu> cpus, int cpu)
    {
        for (int i = 0; i < cpus.Length; i++)
        {
            if (cpus[i].Cpu == cpu)
            {
                return i;
            }
        }

        return -1;
    }

    internal static ulong Floored(ulong added, ulong subtracted) => added > subtracted ? added - subtracted : 0;

    internal static void MarkUnavailable(IntervalReport report, DropCategory category) =>
        report.UnavailableMask |= 1UL << category.Id;
}
