using System.Collections.Immutable;

namespace NetDrop.Model;

/// <summary>
/// How a category's value is made from kernel counters: each counter's own per-interval delta (reset and wrap aware),
/// added or subtracted. A difference never goes below zero: the counters of one file are read at slightly different
/// moments, so a concurrent increment can land between them. Any counter missing makes the category unavailable.
/// </summary>
internal sealed class CounterFormula
{
    private CounterFormula(ImmutableArray<CounterTerm> terms)
    {
        CategoryScope scope = terms[0].Counter.Scope;
        bool softnet = terms[0].Counter.Source == CounterSource.Softnet;
        foreach (CounterTerm term in terms)
        {
            if (term.Counter.Scope != scope || (term.Counter.Source == CounterSource.Softnet) != softnet)
            {
                throw new ArgumentException($"a category's counters must share one scope and be all per CPU or none: {terms[0].Counter} and {term.Counter}", nameof(terms));
            }
        }

        Terms = terms;
        Scope = scope;
        IsPerCpu = softnet;
    }

    public ImmutableArray<CounterTerm> Terms { get; }

    public CategoryScope Scope { get; }

    /// <summary>True when the counters are softnet_stat columns, kept per CPU (and exported so when asked).</summary>
    public bool IsPerCpu { get; }

    /// <summary>True when every counter has one value per sample (MIB, snmp6, stat tables): see <see cref="KernelCounter.IsScalar"/>.</summary>
    public bool IsScalar => Terms[0].Counter.IsScalar;

    public static CounterFormula Sum(params CounterTerm[] terms) => new([.. terms]);

    /// <summary>The first counter less the others, floored at zero: <c>listen_other</c> is ListenDrops less the two queue drops.</summary>
    public static CounterFormula Difference(KernelCounter minuend, params KernelCounter[] subtrahends) =>
        new([minuend, .. subtrahends.Select(counter => new CounterTerm(counter, Subtracted: true))]);

    /// <summary>For people and the README: "TcpExt: ListenDrops - ListenOverflows - TCPReqQFullDrop".</summary>
    public override string ToString()
    {
        string text = "";
        foreach (CounterTerm term in Terms)
        {
            string name = text.Length == 0 ? term.Counter.ToString() : ShortName(term.Counter);
            text += text.Length == 0 ? name : (term.Subtracted ? " - " : " + ") + name;
        }

        return text;
    }

    // "TcpExt: RcvPruned + OfoPruned": the group is said once when it does not change.
    private string ShortName(KernelCounter counter) =>
        counter.Source == CounterSource.Mib && Terms[0].Counter.Source == CounterSource.Mib && counter.Group == Terms[0].Counter.Group
            ? counter.Name
            : counter.ToString();
}
