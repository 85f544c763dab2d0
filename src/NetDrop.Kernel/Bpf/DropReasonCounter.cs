using NetDrop.Kernel.SafeHandles;

namespace NetDrop.Kernel.Bpf;

/// <summary>
/// Counts packet drops per <c>enum skb_drop_reason</c> in the kernel: a per-CPU array map of one element holding one
/// 8-byte counter per reason, and a program of a few instructions (<see cref="DropReasonProgram"/>) on the <c>skb:kfree_skb</c>
/// tracepoint that increments the slot of each drop's reason; with BTF, also a per-CPU hash keyed by (reason, network
/// namespace inode). No event reaches user space; <see cref="Read"/> and <see cref="ReadNamespace"/> sum over CPUs.
/// Not thread-safe: one reader (the sampling loop) at a time.
/// Owns every fd it opened: <see cref="Dispose"/> detaches and unloads, and a failure part-way through
/// <see cref="Open(DropReasonSource)"/> closes what was opened before it throws.
/// </summary>
/// <remarks>
/// The tracepoint is host-wide: <see cref="Read"/> counts every drop on the host, in every network namespace.
/// Typical use: <c>Open()</c> once (BTF and the raw tracepoint, else tracefs), <c>Read</c> every interval into a
/// buffer of <see cref="Slots"/> and subtract the previous read; <see cref="DropReasonNames.NameOf"/> names a slot.
/// </remarks>
public sealed class DropReasonCounter : IDisposable
{
    /// <summary>The raw tracepoint's name (include/trace/events/skb.h <c>TRACE_EVENT(kfree_skb, ...)</c>).</summary>
    public const string TracepointName = "kfree_skb";

    /// <summary>The name the map and the program carry (<c>bpftool prog show name netdrop_reasons</c>).</summary>
    public const string ObjectName = "netdrop_reasons";

    /// <summary>Distinct (reason, namespace) pairs the namespace map holds; past that, new pairs are counted host-wide only.</summary>
    public const int NamespaceKeyCapacity = 16384;

    private readonly SafeFdHandle _map;
    private readonly SafeFdHandle? _namespaceMap;
    private readonly SafeFdHandle _program;
    private readonly SafeFdHandle[] _attachments; // the raw tracepoint fd, or the one perf event fd
    private readonly ulong[] _perCpu; // the hash's value for one key: one counter per possible CPU
    private readonly ulong[] _allCpus; // the array's one element: Slots counters per possible CPU, CPU after CPU
    private readonly ulong[] _host; // the host-wide count of each slot, summed over CPUs, as last read
    private readonly Dictionary<uint, NamespaceReadState> _namespaces = [];

    private DropReasonCounter(DropReasonSource source, SafeFdHandle map, SafeFdHandle? namespaceMap, SafeFdHandle program, SafeFdHandle[] attachments, int cpus)
    {
        Source = source;
        _map = map;
        _namespaceMap = namespaceMap;
        _program = program;
        _attachments = attachments;
        _perCpu = new ulong[cpus];
        _allCpus = new ulong[Slots * cpus];
        _host = new ulong[Slots];
    }

    /// <summary>The program's kernel-wide id (<c>bpftool prog show id N</c>).</summary>
    public uint ProgramId => BpfObjects.IdOf(_program);

    /// <summary>The map's kernel-wide id (<c>bpftool map dump id N</c>).</summary>
    public uint MapId => BpfObjects.IdOf(_map);

    /// <summary>What the program was assembled from (names, where the reason is, raw tracepoint or tracefs).</summary>
    public DropReasonSource Source { get; }

    /// <summary>
    /// True when drops are also counted per network namespace (<see cref="ReadNamespace"/>): BTF gave every offset
    /// (<see cref="DropReasonSource.Namespace"/>). False on the tracefs path, or when an offset was not found.
    /// </summary>
    public bool KeysByNamespace => _namespaceMap is not null;

    /// <summary>The reason names; a buffer for <see cref="Read"/> has <see cref="Slots"/> entries.</summary>
    public DropReasonNames Names => Source.Names;

    /// <summary>
    /// One counter per named value, plus a last slot for any reason past the enum (subsystem reasons such as
    /// mac80211's or openvswitch's carry <c>SKB_DROP_REASON_SUBSYS_MASK</c> bits, include/net/dropreason.h).
    /// </summary>
    public int Slots => Names.Count + 1;

    /// <summary>The slot that counts reasons beyond the enum.</summary>
    public int OtherSlot => Names.Count;

    /// <summary>
    /// Finds the reason and attaches: the raw tracepoint with BTF (<see cref="BtfFile"/>) when
    /// <paramref name="btfPath"/> is readable, else the tracefs format under the first of
    /// <paramref name="tracefsRoots"/> that has it.
    /// </summary>
    /// <exception cref="DropReasonsUnavailableException">What is missing, in one sentence.</exception>
    public static DropReasonCounter Open(string btfPath = BtfFile.VmlinuxPath, params string[] tracefsRoots) =>
        Open(Discover(btfPath, tracefsRoots.Length > 0 ? tracefsRoots : ["/sys/kernel/tracing", "/sys/kernel/debug/tracing"]));

    /// <summary>BTF first (one fd, no mount needed), then tracefs; both missing is one refusal naming both.</summary>
    public static DropReasonSource Discover(string btfPath, IReadOnlyList<string> tracefsRoots)
    {
        if (File.Exists(btfPath))
        {
            return BtfFile.Read(btfPath);
        }

        foreach (string root in tracefsRoots)
        {
            if (File.Exists(Path.Join(root, TracepointFormatFile.RelativePath)) || Directory.Exists(Path.Join(root, "events")))
            {
                return TracepointFormatFile.Read(root);
            }
        }

        throw new DropReasonsUnavailableException(DropReasonsMissing.BtfAndTracefs,
            $"Drop reasons need the kernel's BTF ({btfPath}, CONFIG_DEBUG_INFO_BTF) or a mounted tracefs ({string.Join(" or ", tracefsRoots)}); this host has neither.");
    }

    /// <summary>Creates the map, loads the program and attaches it as <paramref name="source"/> says.</summary>
    public static DropReasonCounter Open(DropReasonSource source) =>
        Open(source, TracepointName, (s, map, namespaceMap, slots) => DropReasonProgram.Assemble(s, map, slots, namespaceMap));

    /// <summary>
    /// As <see cref="Open(DropReasonSource)"/>, with the raw tracepoint's name and the assembler given: tests make
    /// setup fail after the map (a program the verifier refuses) or after the program (a tracepoint that does not exist).
    /// </summary>
    internal static DropReasonCounter Open(DropReasonSource source, string rawTracepoint, Func<DropReasonSource, int, int, BpfInstruction[]> assemble) =>
        Open(source, rawTracepoint, (s, map, _, slots) => assemble(s, map, slots));

    private static DropReasonCounter Open(DropReasonSource source, string rawTracepoint, Func<DropReasonSource, int, int, int, BpfInstruction[]> assemble)
    {
        ArgumentNullException.ThrowIfNull(source);
        int cpus = PossibleCpus.Read();
        int slots = source.Names.Count + 1;
        SafeFdHandle? map = null;
        SafeFdHandle? namespaceMap = null;
        SafeFdHandle? program = null;
        var attachments = new List<SafeFdHandle>();
        try
        {
            map = BpfObjects.CreatePerCpuArray(entries: 1, counters: slots, ObjectName);
            if (source.IsRawTracepoint && source.Namespace is not null)
            {
                namespaceMap = BpfObjects.CreatePerCpuHash(NamespaceKeyCapacity, ObjectName + "_ns");
            }

            BpfInstruction[] instructions = assemble(source, (int)map.DangerousGetHandle(),
                namespaceMap is null ? -1 : (int)namespaceMap.DangerousGetHandle(), slots);
            if (source.IsRawTracepoint)
            {
                program = BpfObjects.LoadProgram(Interop.Bpf.BPF_PROG_TYPE_RAW_TRACEPOINT, instructions, ObjectName);
                attachments.Add(BpfObjects.OpenRawTracepoint(rawTracepoint, program));
            }
            else
            {
                program = BpfObjects.LoadProgram(Interop.Bpf.BPF_PROG_TYPE_TRACEPOINT, instructions, ObjectName);

                // NOTE: one perf event serves every CPU. The program joins the tracepoint's own prog_array
                // (kernel/trace/bpf_trace.c perf_event_attach_bpf_prog: event->tp_event->prog_array; attaching the
                // same program through a second CPU's event fails with EEXIST), and include/trace/perf.h
                // perf_trace_##call runs that array on any CPU, even one with no perf event of its own
                // (!bpf_prog_array_valid(event_call) && hlist_empty(head) is its only early return).
                // The first CPU that is online takes it.
                for (int cpu = 0; cpu < cpus && attachments.Count == 0; cpu++)
                {
                    if (BpfObjects.OpenTracepointEvent(source.TracepointId, cpu, program) is { } attachment)
                    {
                        attachments.Add(attachment);
                    }
                }

                if (attachments.Count == 0)
                {
                    throw new DropReasonsUnavailableException(DropReasonsMissing.Tracepoint,
                        $"perf_event_open found none of the {cpus} possible CPUs online to attach the kfree_skb tracepoint on.");
                }
            }

            return new DropReasonCounter(source, map, namespaceMap, program, [.. attachments], cpus);
        }
        catch
        {
            foreach (SafeFdHandle attachment in attachments)
            {
                attachment.Dispose();
            }

            program?.Dispose();
            namespaceMap?.Dispose();
            map?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Writes each slot's count, summed over CPUs, into <paramref name="destination"/> (at least <see cref="Slots"/>
    /// long): cumulative since <see cref="Open(DropReasonSource)"/>. Allocation-free; one lookup of the array's one
    /// element, so its cost does not depend on how many packets were dropped, nor on how many reasons moved.
    /// </summary>
    /// <exception cref="KernelSourceException">The lookup failed (the map was closed underneath, or the kernel refused).</exception>
    public void Read(Span<ulong> destination)
    {
        CheckBuffer(destination);
        ReadHost();
        _host.CopyTo(destination);
    }

    /// <summary>
    /// Writes the drops of one network namespace per slot (cumulative, summed over CPUs) into
    /// <paramref name="destination"/>: the namespace is the one of the device the packet was on
    /// (<c>skb-&gt;dev-&gt;nd_net</c>), given by the inode of its <c>/proc/PID/ns/net</c> or <c>/run/netns/NAME</c>.
    /// Drops of a packet with no device (<c>skb-&gt;dev</c> NULL, e.g. a socket's queue being purged) are counted
    /// host-wide only. Allocation-free once the namespace has been read before.
    /// </summary>
    /// <remarks>
    /// PERF: one lookup of the host-wide element, then a hash lookup only for the reasons whose host-wide count moved
    /// since this namespace's last read (and once more at the read after), instead of one per reason: a namespace's
    /// count of a reason moves only with the host-wide one, which <see cref="DropReasonProgram"/> increments after it.
    /// The extra lookup at the next read catches a namespace increment that was not yet visible to this CPU when the
    /// host-wide one was (the program's adds are not ordered on weakly ordered CPUs such as arm64).
    /// </remarks>
    /// <exception cref="InvalidOperationException">Not <see cref="KeysByNamespace"/>.</exception>
    public unsafe void ReadNamespace(uint namespaceInode, Span<ulong> destination)
    {
        SafeFdHandle map = _namespaceMap ?? throw new InvalidOperationException("This counter counts per reason only (no BTF offsets for the namespace).");
        CheckBuffer(destination);
        ReadHost();
        if (!_namespaces.TryGetValue(namespaceInode, out NamespaceReadState? state))
        {
            state = new NamespaceReadState(Slots);
            _namespaces.Add(namespaceInode, state);
        }

        for (int slot = 0; slot < Slots; slot++)
        {
            bool moved = _host[slot] != state.HostSeen[slot];
            if (!moved && !state.LookAgain[slot])
            {
                continue;
            }

            state.HostSeen[slot] = _host[slot];
            state.LookAgain[slot] = moved;

            // struct { u32 reason; u32 inum; }, as the program stores it at fp-8.
            ulong key = (uint)slot | ((ulong)namespaceInode << 32);
            int errno = BpfObjects.LookupPerCpu(map, &key, _perCpu);
            if (errno == Interop.Errno.ENOENT)
            {
                state.Counts[slot] = 0;
                continue;
            }

            if (errno != 0)
            {
                // Looked up again at the next read: the slot's host-wide count is not marked as seen.
                state.HostSeen[slot] = 0;
                throw new KernelSourceException("BPF_MAP_LOOKUP_ELEM netdrop_reasons_ns", errno);
            }

            ulong sum = 0;
            foreach (ulong value in _perCpu)
            {
                sum += value;
            }

            state.Counts[slot] = sum;
        }

        state.Counts.CopyTo(destination);
    }

    private void CheckBuffer(Span<ulong> destination)
    {
        ObjectDisposedException.ThrowIf(_map.IsClosed, this);
        if (destination.Length < Slots)
        {
            throw new ArgumentException($"The buffer has {destination.Length} entries; {Slots} are needed.", nameof(destination));
        }
    }

    /// <summary>Reads the array's one element (every slot of every possible CPU) and sums each slot over CPUs into <c>_host</c>.</summary>
    private void ReadHost()
    {
        int errno = BpfObjects.LookupPerCpu(_map, 0u, _allCpus);
        if (errno != 0)
        {
            throw new KernelSourceException("BPF_MAP_LOOKUP_ELEM netdrop_reasons", errno);
        }

        int slots = Slots;
        _allCpus.AsSpan(0, slots).CopyTo(_host);
        for (int cpu = 1; cpu < _perCpu.Length; cpu++)
        {
            ReadOnlySpan<ulong> values = _allCpus.AsSpan(cpu * slots, slots);
            for (int slot = 0; slot < slots; slot++)
            {
                _host[slot] += values[slot];
            }
        }
    }

    /// <summary>
    /// Runs the attached program once on made-up tracepoint arguments (raw tracepoint only), as if the kernel had
    /// freed a packet with them: tests drive reasons no real drop can produce (a subsystem reason past the enum).
    /// </summary>
    internal uint RunOnce(ReadOnlySpan<ulong> arguments) => BpfObjects.TestRunRawTracepoint(_program, arguments);

    /// <summary>Detaches the program, then closes the program and the map; the kernel frees them with the last fd.</summary>
    public void Dispose()
    {
        foreach (SafeFdHandle attachment in _attachments)
        {
            attachment.Dispose();
        }

        _program.Dispose();
        _namespaceMap?.Dispose();
        _map.Dispose();
    }
}
