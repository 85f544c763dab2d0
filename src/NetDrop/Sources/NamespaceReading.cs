using NetDrop.Kernel.Namespaces;

namespace NetDrop.Sources;

/// <summary>
/// One network namespace other than the node's, as one sample read it: which namespace (and so which owner), whether
/// this was its last read (its last task had exited), and the namespace-scope counters at the same slots as the
/// node's (<see cref="CounterPlan.ScalarCounters"/>), so the delta engine evaluates the same compiled terms over it.
/// Pooled by <see cref="Sample"/>: an instance is reused for whatever namespace sits at its position next time.
/// </summary>
internal sealed class NamespaceReading
{
    private readonly ulong[] _counters;
    private readonly bool[] _present;

    public NamespaceReading(int counterCount)
    {
        _counters = new ulong[counterCount];
        _present = new bool[counterCount];
    }

    /// <summary>The namespace, as the scanner knows it: <see cref="ObservedNamespace.Id"/>, owner, files.</summary>
    public ObservedNamespace Namespace { get; private set; } = null!;

    /// <summary><see cref="ObservedNamespace.Id"/>, the namespace's identity across samples.</summary>
    public ulong Id => Namespace.Id;

    /// <summary>The namespace had no live task left at this sample: read one last time through its still-open files.</summary>
    public bool IsLastRead { get; private set; }

    public void Reset(ObservedNamespace observed, bool isLastRead)
    {
        Namespace = observed;
        IsLastRead = isLastRead;
        Array.Clear(_present);
    }

    public void SetCounter(int index, bool present, ulong value)
    {
        _counters[index] = value;
        _present[index] = present;
    }

    public bool TryGetCounter(int index, out ulong value)
    {
        value = _counters[index];
        return _present[index];
    }
}
