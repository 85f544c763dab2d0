using System.Diagnostics;
using System.Globalization;

namespace NetDrop.Tests.Shared;

/// <summary>
/// One "pod" of a <see cref="PodLab"/>: a <c>sleep</c> process in a network namespace of its own (made by
/// <c>unshare --net</c>, so the process is the only thing that holds it), placed in kubelet-style cgroups.
/// </summary>
internal sealed class PodLabPod
{
    private readonly Process _process;

    internal PodLabPod(Process process, string? podUid, string? containerId, string cgroupPath)
    {
        _process = process;
        PodUid = podUid;
        ContainerId = containerId;
        CgroupPath = cgroupPath;
    }

    public int Pid => _process.Id;

    /// <summary>The pod uid the test put in the cgroup path, or null for a plain container.</summary>
    public string? PodUid { get; }

    /// <summary>The container id the test put in the cgroup path, or null.</summary>
    public string? ContainerId { get; }

    /// <summary>The cgroup path (the same under the v1 <c>name=systemd</c> hierarchy and the v2 mount).</summary>
    public string CgroupPath { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The inode of <c>/proc/PID/net/netstat</c>: what NetDrop takes as the namespace's identity. The test's oracle reads it with <c>stat</c>.</summary>
    public ulong NamespaceInode() =>
        ulong.Parse(ToolRunner.Run("stat", "-L", "-c", "%i", $"/proc/{Pid}/net/netstat").Trim(), CultureInfo.InvariantCulture);

    /// <summary>Runs a command inside the pod's network namespace (<c>nsenter --net --target PID</c>).</summary>
    public string Exec(params string[] command) =>
        ToolRunner.Run("nsenter", ["--net", "--target", Pid.ToString(CultureInfo.InvariantCulture), "--", .. command]);

    /// <summary>
    /// Runs test code inside the pod's network namespace (a socket belongs to the namespace of the thread that creates
    /// it), through <c>/proc/PID/ns/net</c>: the namespace has no name, <c>unshare --net</c> made it.
    /// </summary>
    public T Run<T>(Func<T> function) =>
        NetworkNamespace.RunIn($"/proc/{Pid.ToString(CultureInfo.InvariantCulture)}/ns/net", $"the namespace of pod task {Pid.ToString(CultureInfo.InvariantCulture)}", function);

    /// <summary>Kills the pod's process and reaps it: from then on nothing of the test holds the namespace.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.WaitForExit();
    }

    internal void Release()
    {
        Kill();
        _process.Dispose();
    }
}
