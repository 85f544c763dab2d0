using NetDrop.Kernel.Bpf;
using NetDrop.Kernel.Procfs;

namespace NetDrop.Sources;

/// <summary>
/// One sample: every raw counter the drop model needs, read at one moment. Two instances are reused in turn, so a
/// steady-state sample allocates nothing.
/// </summary>
internal sealed class Sample
{
    private static readonly int s_sourceCount = Enum.GetValues<SourceId>().Length;

    private readonly ulong[] _counters;
    private readonly bool[] _present;
    private readonly bool[] _sourceOk = new bool[s_sourceCount];
    private SoftnetCpu[] _softnet = new SoftnetCpu[Environment.ProcessorCount];
    private ulong[] _dropReasons = [];
    private NamespaceReading[] _namespaces = [];

    /// <param name="plan">Which scalar counters the sample holds (<see cref="CounterPlan.ScalarCounters"/>).</param>
    public Sample(CounterPlan plan)
    {
        _counters = new ulong[plan.ScalarCounters.Count];
        _present = new bool[plan.ScalarCounters.Count];
    }

    /// <summary>Monotonic timestamp (<see cref="TimeProvider.GetTimestamp"/>) taken before the first read.</summary>
    public long Timestamp { get; set; }

    public List<InterfaceReading> Interfaces { get; } = [];

    public List<QdiscReading> Qdiscs { get; } = [];

    public int SoftnetCount { get; private set; }

    public ReadOnlySpan<SoftnetCpu> Softnet => _softnet.AsSpan(0, SoftnetCount);

    /// <summary>The reason names of <see cref="DropReasons"/>; null when drop reasons are not counted (off, or refused).</summary>
    public DropReasonNames? DropReasonNames { get; private set; }

    /// <summary>Drops per reason slot since the counter was attached (<see cref="DropReasonCounter.Read"/>); empty when not read.</summary>
    public ReadOnlySpan<ulong> DropReasons => _dropReasons.AsSpan(0, DropReasonSlots);

    public int DropReasonSlots { get; private set; }
    /// <summary>How many other network namespaces this sample read (<see cref="NamespaceCounterSource"/>).</summary>
    public int NamespaceCount { get; private set; }

    /// <summary>
    /// Whether this sample scanned and read the other network namespaces. False between two reads of the
    /// <c>namespace_interval</c> cadence (and when the read failed or <c>namespaces: host</c>): then
    /// <see cref="Namespaces"/> is not "no namespace", only "not read", and holds, once carried over
    /// (<see cref="CarryNamespacesFrom"/>), the last readings taken.
    /// </summary>
    public bool NamespacesRead { get; private set; }

    /// <summary>Every network namespace other than the node's this sample read, in the scanner's order.</summary>
    public ReadOnlySpan<NamespaceReading> Namespaces => _namespaces.AsSpan(0, NamespaceCount);

    /// <summary>
    /// The next per-namespace slot, cleared, for <paramref name="observed"/>. PERF: slots are kept across samples; only
    /// a sample with more namespaces than any before allocates (one slot per namespace that appeared).
    /// </summary>
    public NamespaceReading AddNamespace(Kernel.Namespaces.ObservedNamespace observed, bool isLastRead)
    {
        if (NamespaceCount == _namespaces.Length)
        {
            Array.Resize(ref _namespaces, Math.Max(8, _namespaces.Length * 2));
        }

        NamespaceReading reading = _namespaces[NamespaceCount] ??= new NamespaceReading(_counters.Length);
        reading.Reset(observed, isLastRead);
        NamespaceCount++;
        return reading;
    }

    /// <summary>Says this sample read the other namespaces (even if it found none): what it holds is their state now.</summary>
    public void MarkNamespacesRead() => NamespacesRead = true;

    /// <summary>
    /// Takes over <paramref name="older"/>'s namespace readings (the last ones read), for a sample that did not read
    /// them: the next sample that does is compared with these. PERF: the pooled slots are swapped, not copied;
    /// <paramref name="older"/> is left with none (it is the next sample to be cleared and filled).
    /// </summary>
    public void CarryNamespacesFrom(Sample older)
    {
        (_namespaces, older._namespaces) = (older._namespaces, _namespaces);
        NamespaceCount = older.NamespaceCount;
        older.NamespaceCount = 0;
    }

    public void Clear()
    {
        NamespaceCount = 0;
        NamespacesRead = false;
        Array.Clear(_present);
        Array.Clear(_sourceOk);
        Interfaces.Clear();
        Qdiscs.Clear();
        SoftnetCount = 0;
        DropReasonSlots = 0;
    }

    /// <summary>Sets the scalar counter at <paramref name="index"/> (<see cref="CounterPlan.IndexOf"/>); absent when not read.</summary>
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

    public void SetSoftnet(ReadOnlySpan<SoftnetCpu> cpus)
    {
        if (_softnet.Length < cpus.Length)
        {
            _softnet = new SoftnetCpu[cpus.Length];
        }

        cpus.CopyTo(_softnet);
        SoftnetCount = cpus.Length;
    }

    /// <summary>The buffer a drop-reason read fills: grown once to <paramref name="slots"/>, then reused.</summary>
    public Span<ulong> DropReasonBuffer(DropReasonNames names, int slots)
    {
        if (_dropReasons.Length < slots)
        {
            _dropReasons = new ulong[slots];
        }

        DropReasonNames = names;
        DropReasonSlots = slots;
        return _dropReasons.AsSpan(0, slots);
    }

    public void SetSourceOk(SourceId source, bool ok) => _sourceOk[(int)source] = ok;

    public bool IsSourceOk(SourceId source) => _sourceOk[(int)source];
}
