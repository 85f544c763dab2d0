using NetDrop.Kernel.Snapshots;
using NetDrop.Model;

namespace NetDrop.Sources;

/// <summary>
/// The category table compiled for sampling: every distinct scalar counter (MIB, snmp6, stat-table column) the rows
/// name gets a slot in <see cref="Sample"/>, and every row's terms are resolved to those slots, link fields and softnet columns. Sources
/// read <see cref="ScalarCounters"/>; the delta engine evaluates <see cref="TermsOf"/>. Built once per run.
/// </summary>
internal sealed class CounterPlan
{
    private readonly List<KernelCounter> _namespaceCounters = [];
    private readonly CompiledTerm[][] _terms;

    public CounterPlan(DropCategoryTable table)
    {
        Table = table;
        _terms = new CompiledTerm[table.Count][];
        foreach (DropCategory category in table)
        {
            _terms[category.Id] = [.. category.Counters.Terms.Select(term => Compile(category, term))];
        }
    }

    public DropCategoryTable Table { get; }

    /// <summary>Every scalar counter some row names, each once, at its slot in <see cref="Sample"/>.</summary>
    public IReadOnlyList<KernelCounter> ScalarCounters => _namespaceCounters;

    public ReadOnlySpan<CompiledTerm> TermsOf(DropCategory category) => _terms[category.Id];

    /// <summary>The slot of a scalar counter; -1 when no row names it.</summary>
    public int IndexOf(KernelCounter counter) => _namespaceCounters.IndexOf(counter);

    private CompiledTerm Compile(DropCategory category, CounterTerm term)
    {
        KernelCounter counter = term.Counter;
        int index = counter.Source switch
        {
            CounterSource.Mib or CounterSource.Snmp6 or CounterSource.ProcNetStat => SlotOf(counter),
            CounterSource.Link => LinkCounters.IndexOf(counter.Name),
            CounterSource.Softnet => (int)SoftnetColumns.Of(counter),
            _ => 0,
        };
        if (index < 0)
        {
            throw new ArgumentException($"category {category.Column} names {counter}, which rtnl_link_stats64 does not have", nameof(category));
        }

        return new CompiledTerm(counter.Source, index, term.Subtracted, term.InAnotherColumn, counter.IsPerDevice);
    }

    private int SlotOf(KernelCounter counter)
    {
        int index = _namespaceCounters.IndexOf(counter);
        if (index < 0)
        {
            index = _namespaceCounters.Count;
            _namespaceCounters.Add(counter);
        }

        return index;
    }
}
