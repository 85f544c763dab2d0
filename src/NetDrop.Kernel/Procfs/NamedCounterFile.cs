namespace NetDrop.Kernel.Procfs;

/// <summary>
/// A procfs file whose counters are found by name (<see cref="MibFile"/>, <see cref="Snmp6File"/>). Callers register
/// the keys they want once and get a handle; each parse learns where every key sits only when the file's names
/// changed (new kernel fields, <c>IcmpMsg:</c> growing), so a steady-state read is a byte comparison plus number
/// parsing into a reused array.
/// </summary>
/// <remarks>
/// NOTE: a value is only ever what the kernel printed. A field whose text does not parse as an unsigned decimal
/// (CRLF, a NUL, 2^64, a negative number, a cut-off line) is <em>invalid</em> for that parse, and
/// <see cref="TryGetValue"/> says so instead of handing out 0 or a stale value: a counter read as 0 (or as
/// <c>(ulong)-5</c>) once makes the next good read look like every drop since boot happened in one interval.
/// </remarks>
/// <typeparam name="TKey">How a counter is named in this file.</typeparam>
internal abstract class NamedCounterFile<TKey>
    where TKey : notnull
{
    private readonly KernelFile _file;
    private readonly List<TKey> _keys = [];
    private readonly List<int> _slots = []; // per key: index into _values, -1 if this kernel lacks the field
    private ulong[] _values = [];
    private bool[] _valid = []; // per field: the last parse read a well-formed value for it
    private bool[] _registered = []; // per field: a registered key sits there

    protected NamedCounterFile(string path, int initialCapacity)
    {
        _file = new KernelFile(path, initialCapacity);
    }

    public string Path => _file.Path;

    /// <summary>Incremented whenever the names changed and the keys were resolved again.</summary>
    public int SchemaVersion { get; private set; }

    /// <summary>The names of the last resolved layout, in a subclass's own format; empty before the first parse.</summary>
    protected byte[] Schema { get; private set; } = [];

    /// <summary>Whether a layout has been resolved since the last <see cref="Register"/>.</summary>
    protected bool HasSchema { get; private set; }

    /// <summary>The values of every field of the current layout, by position.</summary>
    protected Span<ulong> Values => _values;

    /// <summary>Per field of <see cref="Values"/>: whether the current parse read a well-formed value for it.</summary>
    protected Span<bool> Valid => _valid;

    /// <summary>
    /// Per field of <see cref="Values"/>: whether a registered key sits there. PERF: a parse reads the numbers of these
    /// fields only; nothing ever asks for the others (a file has ~200 fields, a caller wants ~10).
    /// </summary>
    protected ReadOnlySpan<bool> Registered => _registered;

    /// <summary>The highest field index a registered key sits at in the current layout; -1 if none.</summary>
    protected int LastRegisteredSlot { get; private set; } = -1;

    /// <summary>Whether every registered key was found in the current layout (none is absent from this kernel's file).</summary>
    protected bool AllKeysFound { get; private set; } = true;

    /// <summary>How many bytes the read buffer holds between reads.</summary>
    public int BufferCapacity => _file.Capacity;

    /// <summary>Shrinks the read buffer to fit the last read (<see cref="KernelFile.FitToLastRead"/>).</summary>
    public void FitBufferToLastRead() => _file.FitToLastRead();

    /// <summary>Registers a counter to read; returns the handle for <see cref="TryGetValue"/>.</summary>
    public int Register(TKey key)
    {
        _keys.Add(key);
        _slots.Add(-1);
        HasSchema = false; // resolve the new key at the next read
        return _keys.Count - 1;
    }

    /// <summary>Whether the last parse found the key in this kernel's file with a well-formed value.</summary>
    public bool IsPresent(int handle) => TryGetValue(handle, out _);

    /// <summary>The key's value from the last parse; false when the file lacks it or its text did not parse.</summary>
    public bool TryGetValue(int handle, out ulong value)
    {
        int slot = _slots[handle];
        bool valid = slot >= 0 && _valid[slot];
        value = valid ? _values[slot] : 0;
        return valid;
    }

    /// <summary>Where the key sits in the current layout (its index into <see cref="Values"/>); false if this file lacks it.</summary>
    protected bool TryGetSlot(int handle, out int slot)
    {
        slot = _slots[handle];
        return slot >= 0;
    }

    /// <summary>Whether the last parse read at least one registered key (false for an empty or garbled file).</summary>
    public bool AnyRegisteredKeyValid()
    {
        for (int i = 0; i < _slots.Count; i++)
        {
            if (_slots[i] >= 0 && _valid[_slots[i]])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads the file and parses every registered key. Returns false with the errno if it cannot be read.</summary>
    public bool TryRead(out int errno)
    {
        if (!_file.TryRead(out ReadOnlySpan<byte> content, out errno))
        {
            return false;
        }

        Parse(content);
        return true;
    }

    /// <summary>Closes the kept descriptor for good (<see cref="KernelFile.Close"/>): later reads fail with <c>EBADF</c>.</summary>
    public void Close() => _file.Close();

    /// <summary>Parses content already read (fixtures and benchmarks feed bytes directly).</summary>
    public abstract void Parse(ReadOnlySpan<byte> content);

    /// <summary>Adopts a new layout: where each name sits, how many fields there are, and the names to compare next time.</summary>
    protected void Resolve(Dictionary<TKey, int> slotsByKey, int fieldCount, byte[] schema)
    {
        _values = new ulong[fieldCount];
        _valid = new bool[fieldCount];
        _registered = new bool[fieldCount];
        LastRegisteredSlot = -1;
        AllKeysFound = true;
        for (int i = 0; i < _keys.Count; i++)
        {
            int slot = slotsByKey.TryGetValue(_keys[i], out int found) ? found : -1;
            _slots[i] = slot;
            if (slot < 0)
            {
                AllKeysFound = false;
                continue;
            }

            _registered[slot] = true;
            LastRegisteredSlot = Math.Max(LastRegisteredSlot, slot);
        }

        Schema = schema;
        HasSchema = true;
        SchemaVersion++;
    }
}
