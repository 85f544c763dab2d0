using NetDrop.Kernel.Procfs;

namespace NetDrop.Sampling;

/// <summary>
/// One sample: every raw counter the drop model needs, read at one moment. Two instances are reused in turn, so a
/// steady-state sample allocates nothing.
/// </summary>
internal sealed class Sample
{
    private static readonly int s_hostCounterCount = Enum.GetValues<HostCounter>().Length;
    private static readonly int s_sourceCount = Enum.GetValues<SourceId>().Length;

    private readonly ulong[] _host = new ulong[s_hostCounterCount];
    private readonly bool[] _hostPresent = new bool[s_hostCounterCount];
    private readonly bool[] _sourceOk = new bool[s_sourceCount];
    private SoftnetCpu[] _softnet = new SoftnetCpu[Environment.ProcessorCount];

    /// <summary>Monotonic timestamp (<see cref="TimeProvider.GetTimestamp"/>) taken before the first read.</summary>
    public long Timestamp { get; set; }

    public List<InterfaceReading> Interfaces { get; } = [];

    public List<QdiscReading> Qdiscs { get; } = [];

    public int SoftnetCount { get; private set; }

    public ReadOnlySpan<SoftnetCpu> Softnet => _softnet.AsSpan(0, SoftnetCount);

    public void Clear()
    {
        Array.Clear(_hostPresent);
        Array.Clear(_sourceOk);
        Interfaces.Clear();
        Qdiscs.Clear();
        SoftnetCount = 0;
    }

    public void SetHost(HostCounter counter, bool present, ulong value)
    {
        _host[(int)counter] = value;
        _hostPresent[(int)counter] = present;
    }

    public bool TryGetHost(HostCounter counter, out ulong value)
    {
        value = _host[(int)counter];
        return _hostPresent[(int)counter];
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

    public void SetSourceOk(SourceId source, bool ok) => _sourceOk[(int)source] = ok;

    public bool IsSourceOk(SourceId source) => _sourceOk[(int)source];
}
