using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;

namespace NetDrop.Tests.Shared;

/// <summary>
/// A Kubernetes node in miniature for ground-truth tests: "pods" that are processes in network namespaces of their
/// own, placed in cgroups named as the kubelet and the container runtimes name them, under this machine's cgroup v1
/// named hierarchy (<c>/sys/fs/cgroup/systemd</c>) and its cgroup v2 mount (<c>/sys/fs/cgroup/unified</c>), so that
/// <c>/proc/PID/cgroup</c> reads as on a real node. Optionally a "node" namespace (<c>ip netns</c>) that pods are joined
/// to by veths. Needs root. Everything it made (processes, cgroups, namespaces) is removed on dispose, even after a
/// failed test; pod processes are <c>sleep</c>s bounded to 10 minutes should a test runner die without disposing.
/// </summary>
/// <remarks>
/// NOTE: a cgroup's parents (<c>/kubepods</c>, <c>/kubepods.slice</c>) may be shared with another run of the suite
/// in parallel; only directories this lab created are removed, deepest first, and a parent another run still uses
/// (not empty) is left for that run to remove. Pod uids and container ids are random per lab, so leaves never collide.
/// </remarks>
internal sealed class PodLab : IDisposable
{
    /// <summary>The cgroup mounts a pod is placed under: the v1 named <c>name=systemd</c> hierarchy and the v2 mount.</summary>
    public static readonly string[] CgroupMounts = ["/sys/fs/cgroup/systemd", "/sys/fs/cgroup/unified"];

    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(30);

    private readonly List<PodLabPod> _pods = [];
    private readonly List<string> _createdCgroups = []; // in creation order: parents before children
    private readonly List<NetworkNamespace> _namespaces = [];

    public IReadOnlyList<PodLabPod> Pods => _pods;

    /// <summary>A fresh pod uid (a random UUID, as the API server assigns).</summary>
    public static string NewPodUid() => Guid.NewGuid().ToString("D");

    /// <summary>A fresh container id (64 hex digits, as containerd and Docker generate).</summary>
    public static string NewContainerId() => Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");

    /// <summary>The kubelet's cgroupfs-driver path: <c>/kubepods[/qos]/pod&lt;UID&gt;/&lt;CID&gt;</c>; qos null for a guaranteed pod.</summary>
    public static string CgroupfsPath(string? qos, string podUid, string containerId) =>
        qos is null ? $"/kubepods/pod{podUid}/{containerId}" : $"/kubepods/{qos}/pod{podUid}/{containerId}";

    /// <summary>
    /// The kubelet's systemd-driver path with the runtime's scope:
    /// <c>/kubepods.slice/kubepods-&lt;qos&gt;.slice/kubepods-&lt;qos&gt;-pod&lt;UID_&gt;.slice/&lt;runtime&gt;-&lt;CID&gt;.scope</c>.
    /// </summary>
    public static string SystemdPath(string? qos, string podUid, string runtimePrefix, string containerId)
    {
        string uid = podUid.Replace('-', '_');
        string pod = qos is null
            ? $"/kubepods.slice/kubepods-pod{uid}.slice"
            : $"/kubepods.slice/kubepods-{qos}.slice/kubepods-{qos}-pod{uid}.slice";
        return $"{pod}/{runtimePrefix}-{containerId}.scope";
    }

    /// <summary>Plain Docker with the systemd driver: <c>/system.slice/docker-&lt;CID&gt;.scope</c>.</summary>
    public static string DockerSystemdPath(string containerId) => $"/system.slice/docker-{containerId}.scope";

    /// <summary>A "node" namespace (<c>ip netns add</c>, unique name) for the host side of veths.</summary>
    public NetworkNamespace CreateNodeNamespace()
    {
        NetworkNamespace node = NetworkNamespace.Create("ndpodnode");
        _namespaces.Add(node);
        return node;
    }

    /// <summary>
    /// Starts a process in a new network namespace and moves it into <paramref name="cgroupPath"/> under every
    /// <see cref="CgroupMounts"/>; returns once <c>/proc/PID/cgroup</c> shows the path.
    /// </summary>
    /// <param name="cgroupPath">Where the process goes, e.g. <see cref="CgroupfsPath"/>.</param>
    /// <param name="podUid">The pod uid written in the path (kept for the test's expectations), or null.</param>
    /// <param name="containerId">The container id written in the path, or null.</param>
    /// <param name="shareNetworkWith">Another container of the same pod: join its namespace (<c>nsenter --net</c>) instead of making one.</param>
    public PodLabPod StartPod(string cgroupPath, string? podUid, string? containerId, PodLabPod? shareNetworkWith = null)
    {
        foreach (string mount in CgroupMounts)
        {
            CreateCgroup(mount, cgroupPath);
        }

        string[] command = shareNetworkWith is null
            ? ["unshare", "--net", "--", "sleep", "600"]
            : ["nsenter", "--net", "--target", shareNetworkWith.Pid.ToString(CultureInfo.InvariantCulture), "--", "sleep", "600"];
        var startInfo = new ProcessStartInfo(command[0]) { UseShellExecute = false };
        foreach (string argument in command[1..])
        {
            startInfo.ArgumentList.Add(argument);
        }

        Process process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start unshare");
        var pod = new PodLabPod(process, podUid, containerId, cgroupPath);
        _pods.Add(pod);

        // unshare and nsenter exec sleep in place (no --fork), so the pid is the pod's task; wait until the exec happened, or
        // the cgroup move could land on unshare before the namespace exists.
        WaitFor(() => ReadOrEmpty($"/proc/{pod.Pid}/comm").Trim() == "sleep", $"pid {pod.Pid} to exec sleep");
        foreach (string mount in CgroupMounts)
        {
            File.WriteAllText(Path.Join(mount, cgroupPath, "cgroup.procs"), pod.Pid.ToString(CultureInfo.InvariantCulture));
        }

        WaitFor(() => ReadOrEmpty($"/proc/{pod.Pid}/cgroup").Contains("0::" + cgroupPath + "\n", StringComparison.Ordinal),
            $"pid {pod.Pid} to show cgroup {cgroupPath}");
        return pod;
    }

    /// <summary>Joins a pod to the node namespace by a veth pair: <paramref name="nodeSide"/> in the node, <paramref name="podSide"/> in the pod, both up.</summary>
    public static void AddVeth(NetworkNamespace node, PodLabPod pod, string nodeSide, string podSide)
    {
        ToolRunner.Run("ip", "-n", node.Name, "link", "add", nodeSide, "type", "veth", "peer", "name", podSide,
            "netns", pod.Pid.ToString(CultureInfo.InvariantCulture));
        ToolRunner.Run("ip", "-n", node.Name, "link", "set", nodeSide, "up");
        _ = pod.Exec("ip", "link", "set", podSide, "up");
    }

    /// <summary>
    /// Makes the veth pair a quiet, deterministic link for counting: IPv6 off on both sides (no router solicitations
    /// or DAD), addresses <c>10.77.<paramref name="subnet"/>.1</c> (node) and <c>.2</c> (pod), permanent neighbour
    /// entries (no ARP), and no ICMP rate limit in the node namespace, so every packet on the link is one the test sent
    /// or the direct reply to it. Sysctls are set inside the two namespaces only.
    /// </summary>
    public static void ConfigureQuietLink(NetworkNamespace node, PodLabPod pod, string nodeSide, string podSide, int subnet)
    {
        string nodeAddress = string.Create(CultureInfo.InvariantCulture, $"10.77.{subnet}.1");
        string podAddress = string.Create(CultureInfo.InvariantCulture, $"10.77.{subnet}.2");
        foreach (string scope in (string[])["all", "default", nodeSide])
        {
            ToolRunner.Run("ip", "netns", "exec", node.Name, "sysctl", "-qw", $"net.ipv6.conf.{scope}.disable_ipv6=1");
        }

        foreach (string scope in (string[])["all", "default", podSide])
        {
            _ = pod.Exec("sysctl", "-qw", $"net.ipv6.conf.{scope}.disable_ipv6=1");
        }

        ToolRunner.Run("ip", "netns", "exec", node.Name, "sysctl", "-qw", "net.ipv4.icmp_ratelimit=0");
        ToolRunner.Run("ip", "-n", node.Name, "addr", "add", nodeAddress + "/24", "dev", nodeSide);
        _ = pod.Exec("ip", "addr", "add", podAddress + "/24", "dev", podSide);
        string nodeMac = MacOf(ToolRunner.Run("ip", "-n", node.Name, "-j", "link", "show", nodeSide));
        string podMac = MacOf(pod.Exec("ip", "-j", "link", "show", podSide));
        _ = pod.Exec("ip", "neigh", "add", nodeAddress, "lladdr", nodeMac, "dev", podSide, "nud", "permanent");
        ToolRunner.Run("ip", "-n", node.Name, "neigh", "add", podAddress, "lladdr", podMac, "dev", nodeSide, "nud", "permanent");
    }

    /// <summary>Sets an interface of the node namespace down (its veth peer then drops what it is sent, veth_xmit).</summary>
    public static void SetDown(NetworkNamespace node, string name) => ToolRunner.Run("ip", "-n", node.Name, "link", "set", name, "down");

    private static string MacOf(string ipJson)
    {
        using var document = System.Text.Json.JsonDocument.Parse(ipJson);
        return document.RootElement[0].GetProperty("address").GetString()!;
    }

    /// <summary>Whether the node namespace still has the interface (a veth end disappears when its peer's namespace is freed).</summary>
    public static bool HasLink(NetworkNamespace node, string name) =>
        ToolRunner.Run("ip", "-n", node.Name, "-o", "link", "show").Contains(" " + name + "@", StringComparison.Ordinal);

    public void Dispose()
    {
        var failures = new List<Exception>();
        foreach (PodLabPod pod in _pods)
        {
            Try(pod.Release, failures);
        }

        for (int i = _createdCgroups.Count - 1; i >= 0; i--)
        {
            string directory = _createdCgroups[i];
            Try(() => RemoveCgroup(directory), failures);
        }

        foreach (NetworkNamespace node in _namespaces)
        {
            Try(node.Dispose, failures);
        }

        if (failures.Count > 0)
        {
            ExceptionDispatchInfo.Throw(new AggregateException("PodLab cleanup failed", failures));
        }
    }

    private void CreateCgroup(string mount, string cgroupPath)
    {
        string directory = mount;
        foreach (string part in cgroupPath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            directory = Path.Join(directory, part);
            if (!Directory.Exists(directory))
            {
                Directory.CreateDirectory(directory);
                _createdCgroups.Add(directory);
            }
        }
    }

    private static void RemoveCgroup(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        // A cgroup directory is removed with rmdir alone (its control files are not real files); it fails while a
        // task or a child cgroup is in it. Our tasks are reaped by now; a child left means another run's pod.
        WaitFor(() => File.ReadAllText(Path.Join(directory, "cgroup.procs")).Length == 0, $"{directory} to have no task");
        try
        {
            Directory.Delete(directory);
        }
        catch (IOException) when (Directory.EnumerateDirectories(directory).Any())
        {
            // Shared parent still used by a parallel run: it removes it.
        }
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static void WaitFor(Func<bool> condition, string what) => Poll.Until(condition, s_startTimeout, what);

    private static void Try(Action action, List<Exception> failures)
    {
        try
        {
            action();
        }
#pragma warning disable CA1031 // collected and rethrown together once every resource had its chance
        catch (Exception e)
#pragma warning restore CA1031
        {
            failures.Add(e);
        }
    }
}
