using System.Runtime.CompilerServices;
using NetDrop.Kernel.Namespaces;
using NetDrop.Kernel.Procfs;
using NetDrop.Model;

namespace NetDrop.Sources;

/// <summary>
/// The socket-layer counters of every network namespace but the node's (each pod's, each container's): scans the proc
/// root for namespaces (<see cref="NetworkNamespaceScanner"/>, one <c>statx</c> per process) and reads, for each, the
/// namespace-scope counters the rows name from its own <c>net/netstat</c>, <c>net/snmp</c> and <c>net/snmp6</c>
/// (only the files that hold one of them) into a <see cref="NamespaceReading"/> of the sample; and, when an interface
/// category can be read from it (<see cref="NetDevCategoryMap"/>), its <c>net/dev</c>: the namespace's own interfaces,
/// the pod side of each veth, <c>lo</c> included (a full backlog drops on it too: <c>enqueue_to_backlog()</c> counts
/// <c>rx_dropped</c> on whichever device received).
/// </summary>
/// <remarks>
/// <para>
/// Cadence: every <see cref="SamplesPerRead"/>-th sample (<c>namespace_interval</c>, 10 s by default: every second
/// sample at the 5 s default), the first sample included; the samples between neither scan nor read, and leave
/// <see cref="Sample.NamespacesRead"/> false, so <see cref="Deltas.NamespaceDeltas"/> keeps each namespace's last
/// reading as its baseline and the next read's delta covers everything since. Why a cadence: the scan costs ~2 ms
/// for ~1,000 processes and each namespace's files ~80-170 µs (the kernel formatting them as text), so 110
/// namespaces read every 5 s cost 0.30–0.37% of one core, over the 0.25% budget, and 0.14–0.18% every 10 s
/// (bench/README.md). The price: a new namespace is found (and its baseline taken) within one
/// <c>namespace_interval</c> of its first task rather than one interval, and what it drops before that first read is
/// not counted. Only the files the rows need are read (netstat + snmp + snmp6, and <c>dev</c> for the pod-side
/// interfaces, which adds ~16 µs per namespace: PodDevReadCostTests).
/// </para>
/// <para>
/// A namespace whose last task exited since the previous read (<see cref="NetworkNamespaceScanner.Vanished"/>) is
/// read one last time through the descriptors the scanner kept open (they read the namespace, not the task), so its
/// last drops are counted; then its descriptors are closed (<see cref="NetworkNamespaceScanner.ReleaseVanished"/>),
/// which lets the kernel free it (<c>put_net</c> in the files' release, fs/proc/proc_net.c). NOTE: with a cadence
/// that is at the next due read, so a dead pod's namespace is held for up to one <c>namespace_interval</c> after its
/// last task exits (issue 11 asked for one interval): releasing it earlier would need a scan every sample, which is
/// the cost the cadence saves, or would lose its last drops.
/// </para>
/// <para>
/// NOTE: namespace-scope counters of other files (conntrack's <c>net/stat/nf_conntrack</c>) are read for the node's
/// namespace only. One namespace whose files cannot be read leaves its counters absent for this sample (its values
/// are a new baseline next time), without failing the source; only a proc root that cannot be walked does.
/// </para>
/// </remarks>
internal sealed class NamespaceCounterSource : ISampleSource, IDisposable
{
    private readonly NetworkNamespaceScanner _scanner;
    private readonly (int Slot, MibKey Key)[] _netstat;
    private readonly (int Slot, MibKey Key)[] _snmp;
    private readonly (int Slot, string Name)[] _snmp6;
    private readonly bool _readDev;
    // Keyed by the files, not the namespace id: an id is reused once its namespace is freed, and a namespace may vanish
    // while this source is not read (open circuit). Weak, so a released namespace's entry goes with its files. The value
    // holds the namespace's interface names, made once.
    private readonly ConditionalWeakTable<NetworkNamespaceFiles, PodInterfaceNames> _registered = [];
    private readonly int _samplesPerRead;
    private int _samplesUntilRead = 1; // the first sample reads: the baseline of every namespace

    /// <param name="plan">The counters of the sample.</param>
    /// <param name="procRoot">The proc root to scan.</param>
    /// <param name="samplesPerRead">Read every this many samples (<see cref="SamplesPerRead"/>); 1 reads every sample.</param>
    public NamespaceCounterSource(CounterPlan plan, string procRoot, int samplesPerRead = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerRead, 1);
        _samplesPerRead = samplesPerRead;
        _scanner = new NetworkNamespaceScanner(procRoot);
        (int Slot, KernelCounter Counter)[] counters =
        [
            .. plan.ScalarCounters
                .Select((counter, slot) => (slot, counter))
                .Where(entry => IsReadPerNamespace(entry.counter)),
        ];
        _netstat = [.. counters.Where(entry => entry.Counter.Source == CounterSource.Mib && entry.Counter.File == "net/netstat").Select(entry => (entry.Slot, KeyOf(entry.Counter)))];
        _snmp = [.. counters.Where(entry => entry.Counter.Source == CounterSource.Mib && entry.Counter.File == "net/snmp").Select(entry => (entry.Slot, KeyOf(entry.Counter)))];
        _snmp6 = [.. counters.Where(entry => entry.Counter.Source == CounterSource.Snmp6).Select(entry => (entry.Slot, entry.Counter.Name))];
        _readDev = new NetDevCategoryMap(plan.Table).Categories.Length > 0;
        Description = Path.Join(procRoot, _readDev ? "*/net/{netstat,snmp,snmp6,dev}" : "*/net/{netstat,snmp,snmp6}");
    }

    public SourceId Id => SourceId.Namespaces;

    public string Description { get; }

    /// <summary>
    /// Whether a counter is read in every namespace: namespace scope, and in one of the files a
    /// <see cref="NetworkNamespaceFiles"/> holds. The rows whose every counter is such are the per-namespace rows.
    /// </summary>
    public static bool IsReadPerNamespace(KernelCounter counter) =>
        counter.Scope == CategoryScope.Namespace &&
        (counter.Source == CounterSource.Snmp6 ||
         (counter.Source == CounterSource.Mib && counter.File is "net/netstat" or "net/snmp"));

    /// <summary>
    /// The samples from one read of the other namespaces to the next: as many whole intervals as fit in
    /// <paramref name="namespaceInterval"/>, at least one, so two reads are never further apart than it asks (nor
    /// closer than one interval). 10 s at 5 s is 2; 10 s at 3 s is 3 (9 s); 1 s at 5 s is 1, every sample.
    /// </summary>
    public static int SamplesPerRead(TimeSpan interval, TimeSpan namespaceInterval) =>
        (int)Math.Clamp(namespaceInterval.Ticks / interval.Ticks, 1, int.MaxValue);

    public void Read(Sample sample)
    {
        if (--_samplesUntilRead > 0)
        {
            return; // not due: the sample says it did not read them, and each namespace's last reading stays the baseline
        }

        _scanner.Scan(); // also closes the files of what vanished at the previous scan, if a failed read left them
        _samplesUntilRead = _samplesPerRead; // after the scan: one that failed is tried again at the next sample
        sample.MarkNamespacesRead();
        // PERF: indexed, not foreach: the scanner's lists are IReadOnlyList, whose enumerator is boxed (40 B a sample).
        IReadOnlyList<ObservedNamespace> namespaces = _scanner.Namespaces;
        for (int i = 0; i < namespaces.Count; i++)
        {
            ObservedNamespace observed = namespaces[i];
            if (!observed.IsNode && observed.Files is { } files)
            {
                ReadInto(sample.AddNamespace(observed, isLastRead: false), files);
            }
        }

        IReadOnlyList<ObservedNamespace> vanished = _scanner.Vanished;
        for (int i = 0; i < vanished.Count; i++)
        {
            ObservedNamespace gone = vanished[i];
            if (!gone.IsNode && gone.Files is { IsReleased: false } files)
            {
                ReadInto(sample.AddNamespace(gone, isLastRead: true), files);
            }
        }

        _scanner.ReleaseVanished();
    }

    public void Dispose() => _scanner.Dispose();

    private void ReadInto(NamespaceReading reading, NetworkNamespaceFiles files)
    {
        // Handles are positions in registration order, the same in every namespace's files: register each file's keys
        // once per namespace, the first time it is read.
        if (!_registered.TryGetValue(files, out PodInterfaceNames? names))
        {
            names = new PodInterfaceNames();
            _registered.Add(files, names);
            foreach ((_, MibKey key) in _netstat)
            {
                _ = files.Netstat.Register(key);
            }

            foreach ((_, MibKey key) in _snmp)
            {
                _ = files.Snmp.Register(key);
            }

            foreach ((_, string name) in _snmp6)
            {
                _ = files.Snmp6.Register(name);
            }
        }

        ReadMib(files.Netstat, _netstat, reading);
        ReadMib(files.Snmp, _snmp, reading);
        if (_snmp6.Length > 0)
        {
            if (files.Snmp6.TryRead(out int errno))
            {
                for (int handle = 0; handle < _snmp6.Length; handle++)
                {
                    bool present = files.Snmp6.TryGetValue(handle, out ulong value);
                    reading.SetCounter(_snmp6[handle].Slot, present, value);
                }
            }
            else if (errno == Interop.Errno.ENOENT)
            {
                // No snmp6 without IPv6 (ipv6.disable=1): no IPv6 datagram can be dropped, as for the node (Snmp6Source).
                foreach ((int slot, _) in _snmp6)
                {
                    reading.SetCounter(slot, true, 0);
                }
            }
        }

        // A dev that cannot be read leaves the reading without interfaces: each is a baseline at its next good read,
        // never 0 and never a delta over the gap's missing sample.
        if (_readDev && files.Dev.TryRead(out _))
        {
            NetDevFile dev = files.Dev;
            for (int i = 0; i < dev.Count; i++)
            {
                reading.AddInterface(names.NameOf(dev.NameAt(i)), dev.CountersAt(i));
            }
        }
    }

    private static void ReadMib(MibFile file, (int Slot, MibKey Key)[] keys, NamespaceReading reading)
    {
        if (keys.Length == 0 || !file.TryRead(out _))
        {
            return; // absent: the reading was cleared
        }

        for (int handle = 0; handle < keys.Length; handle++)
        {
            bool present = file.TryGetValue(handle, out ulong value);
            reading.SetCounter(keys[handle].Slot, present, value);
        }
    }

    private static MibKey KeyOf(KernelCounter counter) => new(counter.Group, counter.Name);
}
