using NetDrop.Kernel;
using NetDrop.Kernel.Procfs;
using NetDrop.Model;

namespace NetDrop.Sources;

/// <summary>
/// The columns category rows name in one <c>/proc/net/stat/*</c> table (nf_conntrack, arp_cache, ndisc_cache), each
/// the sum of its per-CPU lines. A table that does not exist is normal, not a failure: without the conntrack module
/// (or read from a namespace other than the initial one, for the neighbour tables) its categories are unavailable,
/// never 0; without IPv6 ndisc_cache cannot drop anything, so its counters read as present zeros (as snmp6's do).
/// </summary>
/// <remarks>
/// NOTE: conntrack's per-CPU counters are 32-bit (struct ip_conntrack_stat, <c>unsigned int</c>). Their sum is taken
/// as a 64-bit counter: a single CPU wrapping (2^32 drops on it) would read as a reset, whose delta is the new sum,
/// an undercount of one interval, never a spike.
/// </remarks>
internal sealed class ProcNetStatSource : ISampleSource
{
    private readonly ProcNetStatFile _file;
    private readonly (int Slot, int Handle)[] _keys;
    private readonly bool _absentIsZero;

    private ProcNetStatSource(SourceId id, string path, IEnumerable<(int Slot, KernelCounter Counter)> counters, bool absentIsZero)
    {
        Id = id;
        _file = new ProcNetStatFile(path);
        _keys = [.. counters.Select(counter => (counter.Slot, _file.Register(counter.Counter.Name)))];
        _absentIsZero = absentIsZero;
    }

    public SourceId Id { get; }

    public string Description => _file.Path;

    /// <summary>One source per stat table the plan's rows read from.</summary>
    public static IEnumerable<ProcNetStatSource> For(CounterPlan plan, string procRoot)
    {
        IEnumerable<(int Slot, KernelCounter Counter)> columns = plan.ScalarCounters
            .Select((counter, slot) => (slot, counter))
            .Where(entry => entry.counter.Source == CounterSource.ProcNetStat);
        foreach (IGrouping<string, (int Slot, KernelCounter Counter)> table in columns.GroupBy(entry => entry.Counter.File))
        {
            (SourceId id, bool absentIsZero) = table.Key switch
            {
                "net/stat/nf_conntrack" => (SourceId.Conntrack, false),
                "net/stat/arp_cache" => (SourceId.ArpCache, false),
                "net/stat/ndisc_cache" => (SourceId.NdiscCache, true),
                _ => throw new ArgumentException($"no source id for the stat table {table.Key}: add one to SourceId", nameof(plan)),
            };
            yield return new ProcNetStatSource(id, Path.Join(procRoot, table.Key), table, absentIsZero);
        }
    }

    public void Read(Sample sample)
    {
        if (!_file.TryReadTable(out int errno))
        {
            if (errno != Interop.Errno.ENOENT)
            {
                throw new KernelSourceException("read " + _file.Path, errno);
            }

            foreach ((int slot, _) in _keys)
            {
                sample.SetCounter(slot, _absentIsZero, 0);
            }

            return;
        }

        foreach ((int slot, int handle) in _keys)
        {
            bool present = _file.TryGetValue(handle, out ulong value);
            sample.SetCounter(slot, present, value);
        }
    }
}
