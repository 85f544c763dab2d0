using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace NetDrop.Kernel.Namespaces;

/// <summary>
/// Finds every network namespace that has a live task, by walking <c>&lt;proc&gt;/[0-9]*</c> and taking
/// <c>stat(&lt;proc&gt;/PID/net/netstat).st_ino</c> as the namespace's identity (see <see cref="ObservedNamespace.Id"/>).
/// Keeps one <see cref="ObservedNamespace"/> per namespace across scans and says which appeared and which vanished.
/// </summary>
/// <remarks>
/// <para>
/// No privilege is needed. <c>/proc/PID/net</c> is mode 0555 and its lookup (fs/proc/proc_net.c,
/// <c>proc_tgid_net_lookup</c> → <c>get_proc_task_net</c>) only takes the task's <c>nsproxy-&gt;net_ns</c>, with no
/// ptrace check, unlike <c>/proc/PID/ns/net</c> (<c>proc_ns_get_link</c> requires <c>PTRACE_MODE_READ</c>). The one
/// exception is a procfs mounted <c>subset=pid</c>, where that lookup demands CAP_NET_ADMIN of the mounter.
/// </para>
/// <para>
/// NOTE: only thread-group leaders are walked (procfs lists tgids at its root). <c>/proc/PID/net</c> is the leader's
/// namespace; a thread that called <c>unshare(CLONE_NEWNET)</c> on its own is not seen, nor a namespace that has no
/// task at all (held only by a bind mount such as <c>ip netns add</c>, or a socket): there is no task to read it
/// through. A zombie has dropped its namespaces (<c>exit_task_namespaces</c>, so <c>get_proc_task_net</c> finds a
/// NULL nsproxy) and its stat fails; it is skipped.
/// </para>
/// <para>
/// PERF: the walk allocates nothing: one <c>open</c> of the proc root per scan, <c>getdents64</c> into a reused
/// buffer, and one <c>statx(dirfd, "PID/net/netstat")</c> per process. Only a namespace seen for the first time (or
/// whose representative changed) costs more: its files are opened and its owner read from <c>cgroup</c> and <c>comm</c>.
/// Not thread-safe: one caller scans.
/// </para>
/// </remarks>
internal sealed class NetworkNamespaceScanner : IDisposable
{
    private readonly string _procRoot;
    private readonly byte[] _procRootPath; // NUL-terminated UTF-8
    private readonly bool _openFiles;
    private readonly byte[] _entries = new byte[32 * 1024];
    private readonly Dictionary<ulong, ObservedNamespace> _byId = [];
    private readonly List<ObservedNamespace> _namespaces = [];
    private readonly List<ObservedNamespace> _appeared = [];
    private readonly List<ObservedNamespace> _vanished = [];
    private int _scan;

    /// <param name="procRoot">The proc root, <c>/proc</c>, or <c>/host/proc</c> in a pod.</param>
    /// <param name="openFiles">
    /// Whether each namespace's <see cref="NetworkNamespaceFiles"/> are opened. They also pin the namespace, which is
    /// what keeps <see cref="ObservedNamespace.Id"/> from being reused by a new namespace while it is known; without
    /// them a pod that dies and another that starts between two scans may look like the same namespace.
    /// </param>
    public NetworkNamespaceScanner(string procRoot = KernelPaths.DefaultProcRoot, bool openFiles = true)
    {
        _procRoot = procRoot;
        _openFiles = openFiles;
        _procRootPath = new byte[Encoding.UTF8.GetByteCount(procRoot) + 1];
        Encoding.UTF8.GetBytes(procRoot, _procRootPath);
    }

    /// <summary>Every namespace with a live task at the last scan, in the order the walk met them (ascending pid on procfs).</summary>
    public IReadOnlyList<ObservedNamespace> Namespaces => _namespaces;

    /// <summary>The namespaces first seen by the last scan (also in <see cref="Namespaces"/>).</summary>
    public IReadOnlyList<ObservedNamespace> Appeared => _appeared;

    /// <summary>
    /// The namespaces whose last task was gone at the last scan. Their files are still open, so a caller can read
    /// their last counters, until <see cref="ReleaseVanished"/> or the next <see cref="Scan"/> closes them.
    /// </summary>
    public IReadOnlyList<ObservedNamespace> Vanished => _vanished;

    /// <summary>
    /// The inode of <c>&lt;proc&gt;/self/net/netstat</c> at the last scan, 0 if the root has no <c>self</c>.
    /// </summary>
    /// <remarks>
    /// NOTE: <c>self</c> is resolved by the procfs instance, not by the reader's mount or pid namespace
    /// (fs/proc/self.c, <c>proc_self_get_link</c>: the reader's tgid <em>in the pid namespace of that procfs
    /// superblock</em>). In a pod without hostPID, <c>/host/proc</c> is the host's procfs, the agent's process is
    /// visible there under its host pid (every pid namespace is a descendant of the host's), so
    /// <c>/host/proc/self/net</c> is the agent's own network namespace, which is the node's because the DaemonSet
    /// runs with <c>hostNetwork</c>. Without hostNetwork "node" would mean the agent's pod.
    /// </remarks>
    public ulong NodeNamespaceId { get; private set; }

    /// <summary>How many processes the last scan found a namespace for.</summary>
    public int TasksSeen { get; private set; }

    /// <summary>
    /// Walks the proc root once: updates <see cref="Namespaces"/>, <see cref="Appeared"/> and <see cref="Vanished"/>,
    /// after closing the files of what vanished at the previous scan.
    /// </summary>
    /// <exception cref="KernelSourceException">The proc root cannot be opened or listed.</exception>
    public unsafe void Scan()
    {
        ReleaseVanished();
        _vanished.Clear();
        _appeared.Clear();
        _namespaces.Clear();
        _scan++;
        TasksSeen = 0;

        int dirFd;
        fixed (byte* root = _procRootPath)
        {
            dirFd = Interop.Libc.open(root, Interop.Libc.O_RDONLY | Interop.Libc.O_CLOEXEC);
        }

        if (dirFd < 0)
        {
            throw new KernelSourceException("open " + _procRoot, Marshal.GetLastPInvokeError());
        }

        try
        {
            NodeNamespaceId = TryGetNamespaceId(dirFd, "self/net/netstat\0"u8, out ulong node) ? node : 0;
            Walk(dirFd);
        }
        finally
        {
            _ = Interop.Libc.close(dirFd);
        }

        foreach (ObservedNamespace known in _byId.Values)
        {
            if (known.SeenInScan != _scan)
            {
                known.HasVanished = true;
                _vanished.Add(known);
            }
        }

        foreach (ObservedNamespace gone in _vanished)
        {
            _ = _byId.Remove(gone.Id);
        }

        foreach (ObservedNamespace live in _namespaces)
        {
            // The representative died (another task of the namespace takes over), or the namespace is new and a
            // lower pid of it came later in the walk (procfs lists pids in ascending order, but nothing here relies
            // on it). The files stay: they read the namespace, not the task. The new task may be another container
            // of the same pod, so its owner is read again.
            bool takeOver = !live.RepresentativeSeen ||
                (live.SeenFirstInScan == _scan && live.LowestPidInScan < live.RepresentativePid);
            if (takeOver)
            {
                live.RepresentativePid = live.LowestPidInScan;
                live.Owner = ReadOwner(live.LowestPidInScan);
            }
        }
    }

    /// <summary>Closes the files of the namespaces in <see cref="Vanished"/>, which frees them if nothing else holds them.</summary>
    public void ReleaseVanished()
    {
        foreach (ObservedNamespace gone in _vanished)
        {
            gone.Files?.Dispose();
        }
    }

    public void Dispose()
    {
        ReleaseVanished();
        foreach (ObservedNamespace known in _byId.Values)
        {
            known.Files?.Dispose();
        }

        _byId.Clear();
    }

    /// <summary><c>statx(path).stx_ino</c>; false if the path cannot be stat'ed (no such task, a zombie).</summary>
    internal static unsafe bool TryGetNamespaceId(string path, out ulong id)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, bytes);
        return TryGetNamespaceId(Interop.Libc.AT_FDCWD, bytes, out id);
    }

    private static unsafe bool TryGetNamespaceId(int dirFd, ReadOnlySpan<byte> pathNul, out ulong id)
    {
        Interop.Libc.Statx stat;
        int result;
        fixed (byte* path = pathNul)
        {
            result = Interop.Libc.statx(dirFd, path, 0, Interop.Libc.STATX_INO, &stat);
        }

        id = result == 0 ? stat.stx_ino : 0;
        return result == 0;
    }

    private unsafe void Walk(int dirFd)
    {
        Span<byte> path = stackalloc byte[32]; // "<pid>/net/netstat\0": a pid has at most 10 digits
        while (true)
        {
            nint read;
            fixed (byte* entries = _entries)
            {
                read = Interop.Libc.getdents64(dirFd, entries, (nuint)_entries.Length);
            }

            if (read < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Interop.Errno.EINTR)
                {
                    continue;
                }

                throw new KernelSourceException("getdents64 " + _procRoot, errno);
            }

            if (read == 0)
            {
                return;
            }

            ReadOnlySpan<byte> batch = _entries.AsSpan(0, (int)read);
            while (batch.Length > Interop.Libc.DIRENT64_NAME_OFFSET)
            {
                int length = BinaryPrimitives.ReadUInt16LittleEndian(batch[Interop.Libc.DIRENT64_RECLEN_OFFSET..]);
                if (length <= Interop.Libc.DIRENT64_NAME_OFFSET || length > batch.Length)
                {
                    break;
                }

                ReadOnlySpan<byte> name = batch[Interop.Libc.DIRENT64_NAME_OFFSET..length];
                name = name[..Math.Max(0, name.IndexOf((byte)0))];
                batch = batch[length..];
                if (name.IsEmpty || name.Length > 10 || !IsDigits(name) ||
                    !int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
                {
                    continue; // self, thread-self, net, sys, ...: only processes
                }

                name.CopyTo(path);
                "/net/netstat\0"u8.CopyTo(path[name.Length..]);
                if (TryGetNamespaceId(dirFd, path, out ulong id))
                {
                    TasksSeen++;
                    Observe(pid, id);
                }
            }
        }
    }

    private void Observe(int pid, ulong id)
    {
        if (_byId.TryGetValue(id, out ObservedNamespace? known))
        {
            if (known.SeenInScan != _scan)
            {
                known.SeenInScan = _scan;
                known.LowestPidInScan = pid;
                known.RepresentativeSeen = false;
                _namespaces.Add(known);
            }

            known.LowestPidInScan = Math.Min(known.LowestPidInScan, pid);
            known.RepresentativeSeen |= pid == known.RepresentativePid;
            return;
        }

        NetworkNamespaceFiles? files = null;
        if (_openFiles)
        {
            files = NetworkNamespaceFiles.TryOpen(_procRoot, pid, id);
            if (files is null)
            {
                return; // the task died or left; another task of the namespace, if any, comes later in the walk
            }
        }

        var found = new ObservedNamespace(id, pid, id == NodeNamespaceId, ReadOwner(pid), files)
        {
            SeenInScan = _scan,
            SeenFirstInScan = _scan,
            LowestPidInScan = pid,
            RepresentativeSeen = true,
        };
        _byId.Add(id, found);
        _namespaces.Add(found);
        _appeared.Add(found);
    }

    private NamespaceOwner ReadOwner(int pid)
    {
        string directory = Path.Join(_procRoot, pid.ToString(CultureInfo.InvariantCulture));
        CgroupOwner cgroup = TryReadSmallFile(Path.Join(directory, "cgroup"), out byte[] content)
            ? CgroupFile.Parse(content)
            : CgroupOwner.None;
        string comm = TryReadSmallFile(Path.Join(directory, "comm"), out byte[] name)
            ? Encoding.UTF8.GetString(name).TrimEnd('\n')
            : "";
        return NamespaceOwner.From(cgroup, comm, pid);
    }

    /// <summary>Reads a per-task file; false when the task is gone or the file unreadable (attribution then falls back).</summary>
    private static bool TryReadSmallFile(string path, out byte[] content)
    {
        try
        {
            content = File.ReadAllBytes(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            content = [];
            return false;
        }
    }

    private static bool IsDigits(ReadOnlySpan<byte> name)
    {
        foreach (byte c in name)
        {
            if (c is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        return true;
    }
}
