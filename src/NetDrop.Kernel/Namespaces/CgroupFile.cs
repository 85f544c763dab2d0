using System.Text;
using NetDrop.Kernel.Procfs;

namespace NetDrop.Kernel.Namespaces;

/// <summary>
/// Reads <c>/proc/PID/cgroup</c> (kernel/cgroup/cgroup.c, <c>proc_cgroup_show</c>): one line per hierarchy,
/// <c>hierarchy-ID:controller-list:cgroup-path</c>; the cgroup v2 line has ID 0 and no controllers:
/// <code>
/// 9:name=systemd:/kubepods/burstable/pod5f1c2a7e-3b1d-4c8e-9f60-1a2b3c4d5e6f/0123…cdef
/// 0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod5f1c2a7e_3b1d_4c8e_9f60_1a2b3c4d5e6f.slice/cri-containerd-0123…cdef.scope
/// </code>
/// and finds the pod and container the task belongs to in the layouts the kubelet and container runtimes create:
/// <list type="bullet">
/// <item>kubelet, cgroupfs driver: <c>/kubepods[/burstable|/besteffort]/pod&lt;UID&gt;/&lt;CID&gt;</c>
/// (pkg/kubelet/cm: <c>GetPodCgroupNameSuffix</c> is <c>"pod" + UID</c> under the QoS cgroup; guaranteed pods
/// sit directly under <c>kubepods</c>).</item>
/// <item>kubelet, systemd driver: <c>/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod&lt;UID with _&gt;.slice/</c>
/// (pkg/kubelet/cm/cgroup_manager_linux.go: <c>ToSystemd</c> joins the name parts with <c>-</c> after
/// <c>escapeSystemdCgroupName</c> replaced each <c>-</c> of the UID with <c>_</c>), then the runtime's scope
/// <c>&lt;prefix&gt;-&lt;CID&gt;.scope</c> (runc libcontainer/cgroups/systemd: unit name is prefix + "-" + id + ".scope";
/// containerd's CRI uses prefix <c>cri-containerd</c>, CRI-O <c>crio</c>, cri-dockerd <c>docker</c>).</item>
/// <item>plain Docker: <c>/docker/&lt;CID&gt;</c> (cgroupfs driver) or <c>/system.slice/docker-&lt;CID&gt;.scope</c> (systemd).</item>
/// </list>
/// Static pods have a 32-hex-digit UID (the kubelet's hash of the manifest), accepted as well.
/// </summary>
/// <remarks>
/// NOTE: the path is relative to the <em>reader's</em> cgroup namespace root (<c>cgroup_path_ns</c>): an agent in a
/// container with its own cgroup namespace sees <c>0::/../../kubepods-…-pod….slice/cri-containerd-….scope</c>. Each
/// path segment is matched on its own, so any prefix (<c>..</c>, a kubelet <c>--cgroup-root</c>, a kind node's
/// <c>/docker/&lt;id&gt;/</c>) is ignored. CRI-O's <c>crio-conmon-&lt;CID&gt;.scope</c> holds the monitor, not the container.
/// Never throws: an unknown layout or a garbled line is <see cref="CgroupOwner.None"/>.
/// </remarks>
internal static class CgroupFile
{
    private const int ContainerIdLength = 64;

    /// <summary>The owner named by the first line that names a pod; else the first that names a Docker container; else none.</summary>
    public static CgroupOwner Parse(ReadOnlySpan<byte> content)
    {
        CgroupOwner container = CgroupOwner.None;
        foreach (ReadOnlySpan<byte> line in new ProcLines(content))
        {
            CgroupOwner owner = ParsePath(PathOf(line));
            if (owner.IsPod)
            {
                return owner;
            }

            if (owner.IsContainer && !container.IsContainer)
            {
                container = owner;
            }
        }

        return container;
    }

    /// <summary>The cgroup path of one line: everything after the second colon (a path may itself contain colons).</summary>
    private static ReadOnlySpan<byte> PathOf(ReadOnlySpan<byte> line)
    {
        int first = line.IndexOf((byte)':');
        if (first < 0)
        {
            return default;
        }

        int second = line[(first + 1)..].IndexOf((byte)':');
        return second < 0 ? default : line[(first + 1 + second + 1)..];
    }

    /// <summary>Finds a pod segment and the container segment right after it, or a plain Docker container.</summary>
    public static CgroupOwner ParsePath(ReadOnlySpan<byte> path)
    {
        string? podUid = null;
        string? containerId = null;
        bool afterDocker = false;
        bool afterPod = false;
        foreach (Range range in path.Split((byte)'/'))
        {
            ReadOnlySpan<byte> segment = path[range];
            if (segment.IsEmpty)
            {
                continue;
            }

            if (afterPod)
            {
                // The segment after the pod's is the container's (cgroupfs: the bare id; systemd: the runtime's scope).
                containerId = ContainerIdOf(segment);
                break;
            }

            if (TryPodUid(segment, out string? uid))
            {
                podUid = uid;
                containerId = null;
                afterPod = true;
                continue;
            }

            if (afterDocker && IsContainerId(segment))
            {
                containerId = Encoding.ASCII.GetString(segment); // cgroupfs driver: /docker/<CID>
            }
            else if (segment.StartsWith("docker-"u8) && ScopeId(segment) is { } scoped)
            {
                containerId = scoped; // systemd driver: /system.slice/docker-<CID>.scope
            }

            afterDocker = segment.SequenceEqual("docker"u8);
        }

        return new CgroupOwner(podUid, containerId);
    }

    /// <summary>
    /// <c>pod&lt;UID&gt;</c> (cgroupfs) or <c>…-pod&lt;UID with _&gt;.slice</c> (systemd), where the UID is a
    /// UUID (8-4-4-4-12 hex digits) or a static pod's 32 hex digits. Returns the UID with dashes.
    /// </summary>
    private static bool TryPodUid(ReadOnlySpan<byte> segment, out string? uid)
    {
        uid = null;
        ReadOnlySpan<byte> candidate;
        if (segment.EndsWith(".slice"u8))
        {
            ReadOnlySpan<byte> unit = segment[..^".slice".Length];
            int pod = unit.LastIndexOf("-pod"u8);
            if (pod < 0)
            {
                return false;
            }

            candidate = unit[(pod + "-pod".Length)..];
        }
        else if (segment.StartsWith("pod"u8))
        {
            candidate = segment["pod".Length..];
        }
        else
        {
            return false;
        }

        if (!IsUid(candidate))
        {
            return false;
        }

        Span<byte> dashed = stackalloc byte[candidate.Length];
        candidate.CopyTo(dashed);
        dashed.Replace((byte)'_', (byte)'-');
        uid = Encoding.ASCII.GetString(dashed);
        return true;
    }

    private static bool IsUid(ReadOnlySpan<byte> candidate)
    {
        if (candidate.Length == 32)
        {
            return IsHex(candidate);
        }

        if (candidate.Length != 36)
        {
            return false;
        }

        for (int i = 0; i < candidate.Length; i++)
        {
            byte c = candidate[i];
            bool separator = i is 8 or 13 or 18 or 23;
            if (separator ? c is not ((byte)'-' or (byte)'_') : !IsHex(c))
            {
                return false;
            }
        }

        // systemd spells every separator '_', cgroupfs every one '-': a mix is neither layout.
        return candidate[8] == candidate[13] && candidate[13] == candidate[18] && candidate[18] == candidate[23];
    }

    /// <summary>The container id of the segment after a pod's: <c>&lt;CID&gt;</c> or <c>&lt;runtime&gt;-&lt;CID&gt;.scope</c>.</summary>
    private static string? ContainerIdOf(ReadOnlySpan<byte> segment)
    {
        if (IsContainerId(segment))
        {
            return Encoding.ASCII.GetString(segment);
        }

        return segment.IndexOf("conmon-"u8) >= 0 ? null : ScopeId(segment);
    }

    /// <summary>The id of <c>&lt;prefix&gt;-&lt;64 hex&gt;.scope</c>, or null.</summary>
    private static string? ScopeId(ReadOnlySpan<byte> segment)
    {
        if (!segment.EndsWith(".scope"u8))
        {
            return null;
        }

        ReadOnlySpan<byte> unit = segment[..^".scope".Length];
        int dash = unit.LastIndexOf((byte)'-');
        if (dash <= 0)
        {
            return null;
        }

        ReadOnlySpan<byte> id = unit[(dash + 1)..];
        return IsContainerId(id) ? Encoding.ASCII.GetString(id) : null;
    }

    private static bool IsContainerId(ReadOnlySpan<byte> candidate) =>
        candidate.Length == ContainerIdLength && IsHex(candidate);

    private static bool IsHex(ReadOnlySpan<byte> candidate)
    {
        foreach (byte c in candidate)
        {
            if (!IsHex(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsHex(byte c) => c is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f');
}
