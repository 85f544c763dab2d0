using NetDrop.Kernel.Namespaces;

namespace NetDrop.Sources;

/// <summary>
/// One network namespace other than the node's, as one sample read it: which namespace (and so which owner), whether
/// this was its last read (its last task had exited), and the namespace-scope counters at the same slots as the
/// node's (<see cref="CounterPlan.ScalarCounters"/>), so the delta engine evaluates the same compiled terms over it.
/// Pooled by <see cref="Sample"/>: an instance is reused for whatever namespace sits at its position next time.
/// Also the namespace's own interfaces as its <c>net/dev</c> printed them (the pod side of each veth), by name: the
/// file has no ifindex, so within one namespace an interface is its name.
/// </summary>
internal sealed class NamespaceReading
{
    private readonly ulong[] _counters;
    private readonly bool[] _present;
    private string[] _interfaceNames = [];
    private NetDevCounters[] _interfaceCounters = [];

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

    /// <summary>How many interfaces this reading holds; 0 also when <c>net/dev</c> was not read or could not be.</summary>
    public int InterfaceCount { get; private set; }

    public void Reset(ObservedNamespace observed, bool isLastRead)
    {
        Namespace = observed;
        IsLastRead = isLastRead;
        Array.Clear(_present);
        InterfaceCount = 0;
    }

    /// <summary>
    /// Adds one interface's <c>net/dev</c> counters. PERF: the arrays grow to the most interfaces a namespace at this
    /// position had, then are reused; <paramref name="name"/> is the namespace's cached string (<see cref="PodInterfaceNames"/>).
    /// </summary>
    public void AddInterface(string name, in NetDevCounters counters)
    {
        if (InterfaceCount == _interfaceNames.Length)
        {
            int capacity = Math.Max(4, _interfaceNames.Length * 2);
            Array.Resize(ref _interfaceNames, capacity);
            Array.Resize(ref _interfaceCounters, capacity);
        }

        _interfaceNames[InterfaceCount] = name;
        _interfaceCounters[InterfaceCount] = counters;
        InterfaceCount++;
    }

    public string InterfaceNameAt(int index) => _interfaceNames[index];

    public ref readonly NetDevCounters InterfaceCountersAt(int index) => ref _interfaceCounters[index];

    /// <summary>The index of the interface named <paramref name="name"/>, or -1 (not there, or renamed: a new series).</summary>
    public int IndexOfInterface(string name)
    {
        for (int i = 0; i < InterfaceCount; i++)
        {
            if (string.Equals(_interfaceNames[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
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
