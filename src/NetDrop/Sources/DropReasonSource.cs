using System.Globalization;
using NetDrop.Kernel;
using NetDrop.Kernel.Bpf;

namespace NetDrop.Sources;

/// <summary>
/// Reads the kernel's per-reason drop counts (the opt-in <see cref="DropReasonCounter"/>: a few-instruction eBPF
/// program on <c>skb:kfree_skb</c> that counts every freed packet by its <c>enum skb_drop_reason</c> in a per-CPU
/// map) into the sample, into a buffer the sample keeps: per interval one lookup of the host-wide counts, then one
/// namespace lookup per reason that moved (<see cref="DropReasonCounter.ReadNamespace"/>; 6-9 µs of CPU on this
/// project's VM), so its cost does not grow with the drop rate and a warm read allocates nothing.
/// </summary>
/// <remarks>
/// Scope: the tracepoint fires for every namespace on the host. When the counter keys by network namespace (BTF gave
/// <c>skb-&gt;dev-&gt;nd_net</c>'s offsets), this source reads the agent's own network namespace only — the one
/// <c>&lt;proc&gt;/net/*</c> resolves to (procfs' <c>net</c> is <c>self/net</c>), so the reasons and the counters
/// describe the same packets. Without the namespace key (tracefs only) it reads the whole host, and says so once.
/// </remarks>
internal sealed class DropReasonSource : ISampleSource, IDisposable
{
    private readonly DropReasonCounter _counter;
    private readonly uint _namespaceInode;

    private DropReasonSource(DropReasonCounter counter, uint namespaceInode)
    {
        _counter = counter;
        _namespaceInode = namespaceInode;
    }

    public SourceId Id => SourceId.DropReasons;

    public string Description => "bpf map " + DropReasonCounter.ObjectName;

    /// <summary>The inode of the network namespace read (<c>net:[N]</c>), or 0 for the whole host.</summary>
    public uint NamespaceInode => _namespaceInode;

    /// <summary>The kernel-wide id of the attached program (<c>bpftool prog show id N</c>).</summary>
    public uint ProgramId => _counter.ProgramId;

    /// <summary>
    /// Loads and attaches the counter, reading BTF and tracefs under <paramref name="sysRoot"/> (<c>/host/sys</c> in
    /// the DaemonSet). When the kernel or the privileges refuse, says so in one line through
    /// <paramref name="say"/> — what is missing and what to do — and returns null: the agent runs on without reasons.
    /// </summary>
    public static DropReasonSource? TryOpen(string sysRoot, Action<string> say)
    {
        DropReasonCounter counter;
        try
        {
            counter = DropReasonCounter.Open(
                Path.Join(sysRoot, "kernel/btf/vmlinux"),
                Path.Join(sysRoot, "kernel/tracing"),
                Path.Join(sysRoot, "kernel/debug/tracing"));
        }
        catch (DropReasonsUnavailableException ex)
        {
            say($"drop reasons are off: {ex.Message.TrimEnd('.')}; {Remedy(ex)} The counters run on without them.");
            return null;
        }

        uint inode = counter.KeysByNamespace ? OwnNetworkNamespace() : 0;
        if (inode == 0)
        {
            say("drop reasons count the whole host (every network namespace): this kernel gave no namespace key (BTF "
                + "without skb->dev->nd_net, or tracefs only), so they may include drops the counters do not see.");
        }

        return new DropReasonSource(counter, inode);
    }

    public void Read(Sample sample)
    {
        Span<ulong> counts = sample.DropReasonBuffer(_counter.Names, _counter.Slots);
        try
        {
            if (_namespaceInode != 0)
            {
                _counter.ReadNamespace(_namespaceInode, counts);
            }
            else
            {
                _counter.Read(counts);
            }
        }
        catch (KernelSourceException)
        {
            counts.Clear();
            throw;
        }
    }

    /// <summary>Detaches the program and frees the map (the kernel frees them with the last fd, also on SIGKILL).</summary>
    public void Dispose() => _counter.Dispose();

    // What to do, by what is missing: the exception's sentence says what; this says how to get it.
    private static string Remedy(DropReasonsUnavailableException ex) => ex.Missing switch
    {
        DropReasonsMissing.Privilege when ex.Errno == 38 => "this kernel cannot load eBPF programs (ENOSYS).", // ENOSYS
        DropReasonsMissing.Privilege => "run netdrop as root, or grant it CAP_BPF and CAP_PERFMON (the chart's dropReasons.enabled).",
        DropReasonsMissing.BtfAndTracefs => "use a kernel built with CONFIG_DEBUG_INFO_BTF, or mount tracefs (mount -t tracefs none /sys/kernel/tracing).",
        DropReasonsMissing.Tracepoint => "the kfree_skb tracepoint carries a reason since Linux 5.17.",
        _ => "please report this line with the kernel version (uname -r).",
    };

    /// <summary>
    /// The inode of the calling thread's network namespace (the agent's: all its threads share one), from the
    /// <c>/proc/thread-self/ns/net</c> link (<c>net:[4026531840]</c>, fs/nsfs.c <c>ns_dname</c>): the namespace
    /// <c>skb-&gt;dev-&gt;nd_net</c> carries for packets on this namespace's devices. 0 when the link cannot be read.
    /// </summary>
    internal static uint OwnNetworkNamespace()
    {
        string? link;
        try
        {
            link = new FileInfo("/proc/thread-self/ns/net").LinkTarget;
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }

        return link is not null && link.StartsWith("net:[", StringComparison.Ordinal) && link.EndsWith(']')
            && uint.TryParse(link.AsSpan(5, link.Length - 6), NumberStyles.None, CultureInfo.InvariantCulture, out uint inode)
            ? inode
            : 0;
    }
}
