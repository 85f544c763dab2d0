using NetDrop.Kernel;
using NetDrop.Kernel.Procfs;
using NetDrop.Model;

namespace NetDrop.Sources;

/// <summary>
/// The namespace counters of one header/value MIB file, <c>/proc/net/netstat</c> or <c>/proc/net/snmp</c> (per network
/// namespace: they follow <c>/proc/self/net</c>): every field some category row names, nothing else. A field this
/// kernel lacks, or whose text did not parse this time, stays absent in the sample, and the delta engine marks its
/// category unavailable for this interval and the next (whose previous sample lacks it), so the next good value is a
/// new baseline, never a delta from a bogus one. A file in which no counter at all parsed (empty, garbled) is a source
/// failure, reported once.
/// </summary>
internal sealed class MibFileSource : ISampleSource
{
    private readonly MibFile _file;
    private readonly (int Slot, int Handle)[] _keys;

    private MibFileSource(SourceId id, string path, IEnumerable<(int Slot, KernelCounter Counter)> counters)
    {
        Id = id;
        _file = new MibFile(path);
        _keys = [.. counters.Select(counter => (counter.Slot, _file.Register(new MibKey(counter.Counter.Group, counter.Counter.Name))))];
    }

    public SourceId Id { get; }

    public string Description => _file.Path;

    /// <summary>One source per MIB file the plan's rows read from, in the order the files are first named.</summary>
    public static IEnumerable<MibFileSource> For(CounterPlan plan, string procRoot)
    {
        IEnumerable<(int Slot, KernelCounter Counter)> mib = plan.ScalarCounters
            .Select((counter, slot) => (slot, counter))
            .Where(entry => entry.counter.Source == CounterSource.Mib);
        foreach (IGrouping<string, (int Slot, KernelCounter Counter)> file in mib.GroupBy(entry => entry.Counter.File))
        {
            yield return new MibFileSource(SourceIdOf(file.Key), Path.Join(procRoot, file.Key), file);
        }
    }

    public void Read(Sample sample)
    {
        if (!_file.TryRead(out int errno))
        {
            throw new KernelSourceException("read " + _file.Path, errno);
        }

        foreach ((int slot, int handle) in _keys)
        {
            bool present = _file.TryGetValue(handle, out ulong value);
            sample.SetCounter(slot, present, value);
        }

        if (!_file.AnyRegisteredKeyValid())
        {
            throw new KernelSourceException("parse " + _file.Path, Interop.Errno.EBADMSG);
        }
    }

    // Each source reports its failures and recoveries under its own id (SourceHealth keeps one state per id).
    private static SourceId SourceIdOf(string file) => file switch
    {
        "net/netstat" => SourceId.Netstat,
        "net/snmp" => SourceId.Snmp,
        _ => throw new ArgumentException($"no source id for the MIB file {file}: add one to SourceId", nameof(file)),
    };
}
