using NetDrop.Model;
using NetDrop.Sources;

namespace NetDrop.Deltas;

// The report's detail rows (DetailCsvSchema): every non-zero series of the interval, scope by scope.
// To add a scope: hold its deltas in the report (cleared in Clear), add a VisitX method here that hands each non-zero
// (key, category, value) to the visitor, and call it from VisitDetail; the detail CSV and analyze need no change (the
// scope's name is already in DetailCsvSchema).
internal sealed partial class IntervalReport
{
    /// <summary>
    /// Hands every non-zero detail row of this interval to <paramref name="visitor"/>, in a fixed order: interfaces
    /// (in the order first seen), slaves, CPUs, other network namespaces; within each, the category table's order;
    /// then the drop reasons. Nothing is allocated, but for a namespace known only by its task (its pid is formatted).
    /// </summary>
    public void VisitDetail(IDetailRowVisitor visitor)
    {
        VisitInterfaces(visitor, Interfaces, DetailCsvScope.Interface);
        VisitInterfaces(visitor, Slaves, DetailCsvScope.Slave);
        VisitCpus(visitor);
        VisitNamespaces(visitor);
        VisitReasons(visitor);
    }

    // The drop reasons of the agent's own network namespace (the one its counters read; DropReasonSource), key the
    // reason's name and no owner, category cell the reason's kind (DetailCsvSchema): loss reasons largest first, then
    // NOT_SPECIFIED, then the frees that lose nothing, largest first; the same order and split as the console's lines.
    // Beside the category rows, never part of them: a reason counts packets a counter already counts.
    private void VisitReasons(IDetailRowVisitor visitor)
    {
        if (DropReasons is not { Available: true } reasons)
        {
            return;
        }

        foreach (int slot in reasons.Loss)
        {
            visitor.Visit(new DetailRow(DetailCsvScope.Reason, null, reasons.NameOf(slot), 0, null, reasons.DeltaOf(slot), DetailCsvSchema.ReasonLoss));
        }

        if (reasons.Unspecified != 0)
        {
            // Only the NOT_SPECIFIED slot is of this kind (DropReasonKinds.Of): its delta is the interval's Unspecified.
            visitor.Visit(new DetailRow(DetailCsvScope.Reason, null, DropReasonKinds.NotSpecified, 0, null, reasons.Unspecified, DetailCsvSchema.ReasonUnspecified));
        }

        foreach (int slot in reasons.NotLoss)
        {
            visitor.Visit(new DetailRow(DetailCsvScope.Reason, null, reasons.NameOf(slot), 0, null, reasons.DeltaOf(slot), DetailCsvSchema.ReasonNotLoss));
        }
    }

    // Every other network namespace that dropped: a pod by its uid (scope pod), a container by its id, anything else
    // by its representative task as "comm/pid" (scope namespace). The node's own share is the seed row less these.
    // Then their interfaces (the pod side of each veth), in the same scopes with the interface after the owner:
    // "5f1c2a7e-.../eth0", "3f2a.../eth0", "nginx/4242/eth0"; with the node's interface rows they sum to the column.
    private void VisitNamespaces(IDetailRowVisitor visitor)
    {
        VisitNamespaceSockets(visitor);
        foreach (PodInterfaceDelta delta in PodInterfaces)
        {
            Kernel.Namespaces.NamespaceOwner owner = delta.Owner;
            (DetailCsvScope scope, string? parent) = owner.PodUid is { } pod ? (DetailCsvScope.Pod, pod)
                : owner.ContainerId is { } container ? (DetailCsvScope.Namespace, container)
                : (DetailCsvScope.Namespace, (string?)null);
            foreach (DropCategory category in Table)
            {
                ulong value = ValueOf(delta, category);
                if (value == 0 || category.Scope != CategoryScope.Interface || IsUnavailable(category))
                {
                    continue;
                }

                // A namespace known only by its task: its key is formatted here (rare, as for its socket-layer rows).
                parent ??= owner.Comm + DetailCsvSchema.SlaveSeparator + owner.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture);
                visitor.Visit(new DetailRow(scope, parent, delta.Name, 0, category, value));
            }
        }
    }

    private void VisitNamespaceSockets(IDetailRowVisitor visitor)
    {
        foreach (NamespaceDelta delta in Namespaces)
        {
            Kernel.Namespaces.NamespaceOwner owner = delta.Owner;
            foreach (DropCategory category in Table)
            {
                ulong value = ValueOf(delta, category);
                if (value == 0)
                {
                    continue;
                }

                visitor.Visit(owner.PodUid is { } pod ? new DetailRow(DetailCsvScope.Pod, null, pod, 0, category, value)
                    : owner.ContainerId is { } container ? new DetailRow(DetailCsvScope.Namespace, null, container, 0, category, value)
                    : new DetailRow(DetailCsvScope.Namespace, owner.Comm, owner.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), 0, category, value));
            }
        }
    }

    private void VisitInterfaces(IDetailRowVisitor visitor, List<InterfaceDelta> deltas, DetailCsvScope scope)
    {
        if (deltas.Count == 0)
        {
            return;
        }

        InterfaceRegistry names = InterfaceNames ?? throw new InvalidOperationException("IntervalReport.VisitDetail needs the interface names (construct the report with them)");
        foreach (InterfaceDelta delta in deltas)
        {
            string name = names.NameOf(delta.Series);
            string? parent = scope == DetailCsvScope.Slave ? names.NameOf(delta.MasterSeries) : null;
            foreach (DropCategory category in Table)
            {
                if (category.Scope != CategoryScope.Interface || IsUnavailable(category))
                {
                    continue;
                }

                ulong value = ValueOf(delta, category);
                if (value != 0)
                {
                    visitor.Visit(new DetailRow(scope, parent, name, 0, category, value));
                }
            }
        }
    }

    private void VisitCpus(IDetailRowVisitor visitor)
    {
        foreach (SoftnetDelta cpu in Cpus)
        {
            foreach (DropCategory category in Table)
            {
                if (!category.Counters.IsPerCpu || IsUnavailable(category))
                {
                    continue;
                }

                ulong value = ValueOf(cpu, category);
                if (value != 0)
                {
                    visitor.Visit(new DetailRow(DetailCsvScope.Cpu, null, null, cpu.Cpu, category, value));
                }
            }
        }
    }
}
