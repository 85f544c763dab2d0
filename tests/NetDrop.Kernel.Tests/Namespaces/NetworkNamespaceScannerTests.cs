using System.Globalization;
using NetDrop.Kernel.Namespaces;

namespace NetDrop.Kernel.Tests.Namespaces;

/// <summary>
/// Real namespaces, real cgroups (root): "pods" made by <see cref="PodLab"/>, found by a scan of this machine's
/// <c>/proc</c>. The oracle for a namespace's identity is <c>stat -L -c %i /proc/PID/net/netstat</c> run by the test;
/// the expected owner is what the test itself wrote into the cgroup path.
/// </summary>
[Collection(PodLabCollectionDefinition.Name)]
public sealed class NetworkNamespaceScannerTests
{
    [Fact]
    public void Scan_KubeletStylePods_FindsEachNamespaceOnceWithItsOwner()
    {
        using var lab = new PodLab();
        string uidA = PodLab.NewPodUid(), uidB = PodLab.NewPodUid(), uidC = PodLab.NewPodUid(), uidD = PodLab.NewPodUid();
        string cidA = PodLab.NewContainerId(), cidA2 = PodLab.NewContainerId(), cidB = PodLab.NewContainerId();
        string cidC = PodLab.NewContainerId(), cidD = PodLab.NewContainerId(), cidE = PodLab.NewContainerId();

        // Every driver spelling, each under both the v1 name=systemd hierarchy and the v2 mount.
        PodLabPod sandboxA = lab.StartPod(PodLab.CgroupfsPath("burstable", uidA, cidA), uidA, cidA);
        PodLabPod appA = lab.StartPod(PodLab.CgroupfsPath("burstable", uidA, cidA2), uidA, cidA2, shareNetworkWith: sandboxA);
        PodLabPod guaranteedB = lab.StartPod(PodLab.CgroupfsPath(null, uidB, cidB), uidB, cidB);
        PodLabPod containerdC = lab.StartPod(PodLab.SystemdPath("besteffort", uidC, "cri-containerd", cidC), uidC, cidC);
        PodLabPod crioD = lab.StartPod(PodLab.SystemdPath("burstable", uidD, "crio", cidD), uidD, cidD);
        PodLabPod dockerE = lab.StartPod(PodLab.DockerSystemdPath(cidE), null, cidE);

        using var scanner = new NetworkNamespaceScanner("/proc", openFiles: false);
        scanner.Scan();

        // Pods are one namespace each, keyed by pod uid, without a container id (NamespaceOwner's rule); the plain
        // Docker container is its container id. The two containers of pod A are one namespace, represented by the
        // lower pid (the sandbox, started first).
        Assert.Equal(sandboxA.NamespaceInode(), appA.NamespaceInode());
        AssertOwner(scanner, sandboxA, uidA, null, expectedPid: Math.Min(sandboxA.Pid, appA.Pid));
        AssertOwner(scanner, guaranteedB, uidB, null, guaranteedB.Pid);
        AssertOwner(scanner, containerdC, uidC, null, containerdC.Pid);
        AssertOwner(scanner, crioD, uidD, null, crioD.Pid);
        AssertOwner(scanner, dockerE, null, cidE, dockerE.Pid);
        Assert.Single(scanner.Namespaces, n => n.Owner.PodUid == uidA);

        // The node: the namespace of <proc>/self, i.e. this test process's own.
        ulong own = StatInode($"/proc/{Environment.ProcessId}/net/netstat");
        Assert.Equal(own, scanner.NodeNamespaceId);
        ObservedNamespace node = Assert.Single(scanner.Namespaces, n => n.IsNode);
        Assert.Equal(own, node.Id);
        Assert.Equal(scanner.Namespaces.Count, scanner.Namespaces.Select(n => n.Id).Distinct().Count());

        // A pod killed is gone at the next scan; the others are neither new nor gone.
        ulong idC = containerdC.NamespaceInode();
        containerdC.Kill();
        scanner.Scan();
        Assert.Contains(scanner.Vanished, n => n.Id == idC);
        Assert.DoesNotContain(scanner.Namespaces, n => n.Id == idC);
        Assert.DoesNotContain(scanner.Appeared, n => n.Owner.PodUid is { } uid && (uid == uidA || uid == uidB || uid == uidD));

        // Pod A's sandbox dies, its app container lives on: the same namespace, now represented by the app.
        int first = Math.Min(sandboxA.Pid, appA.Pid);
        PodLabPod survivor = first == sandboxA.Pid ? appA : sandboxA;
        ulong idA = survivor.NamespaceInode();
        (first == sandboxA.Pid ? sandboxA : appA).Kill();
        scanner.Scan();
        ObservedNamespace a = Assert.Single(scanner.Namespaces, n => n.Id == idA);
        Assert.Equal(survivor.Pid, a.RepresentativePid);
        Assert.Equal(uidA, a.Owner.PodUid);
        Assert.DoesNotContain(scanner.Vanished, n => n.Id == idA);
        Assert.DoesNotContain(scanner.Appeared, n => n.Id == idA);
    }

    [Fact]
    public void Scan_PodLastTaskKilled_ClosesItsFilesAndTheNamespaceIsFreed()
    {
        using var lab = new PodLab();
        NetworkNamespace nodeLike = lab.CreateNodeNamespace();
        string suffix = Guid.NewGuid().ToString("N")[..6];
        string uid = PodLab.NewPodUid(), cid = PodLab.NewContainerId();
        PodLabPod held = lab.StartPod(PodLab.CgroupfsPath("besteffort", uid, cid), uid, cid);
        PodLab.AddVeth(nodeLike, held, "bnh" + suffix, "bnhp" + suffix);

        using var scanner = new NetworkNamespaceScanner("/proc");
        scanner.Scan();
        ObservedNamespace found = Assert.Single(scanner.Namespaces, n => n.Id == held.NamespaceInode());
        NetworkNamespaceFiles files = found.Files!;
        Assert.True(files.Dev.IndexOf(System.Text.Encoding.ASCII.GetBytes("bnhp" + suffix)) >= 0, "the pod's dev lists its veth end");
        Assert.Equal(-1, files.Dev.IndexOf(System.Text.Encoding.ASCII.GetBytes("bnh" + suffix)));

        // A control pod the scanner never saw (started after the scan): killed, nothing holds it, its veth goes.
        PodLabPod control = lab.StartPod(PodLab.CgroupfsPath("besteffort", PodLab.NewPodUid(), PodLab.NewContainerId()), null, null);
        PodLab.AddVeth(nodeLike, control, "bnc" + suffix, "bncp" + suffix);
        held.Kill();
        control.Kill();
        Poll.Until(() => !PodLab.HasLink(nodeLike, "bnc" + suffix), TimeSpan.FromSeconds(60),
            "the control pod's namespace to be freed (its veth end in the node namespace gone)");

        // The held pod was killed first, yet its veth is still there: our open files hold its namespace, and it can
        // still be read for its last counters.
        Assert.True(PodLab.HasLink(nodeLike, "bnh" + suffix), "the held pod's namespace must still exist");
        Assert.True(files.Dev.TryRead(out _));
        Assert.True(files.Dev.IndexOf(System.Text.Encoding.ASCII.GetBytes("bnhp" + suffix)) >= 0);
        Assert.True(files.Netstat.TryRead(out _));

        scanner.Scan();
        Assert.Same(found, Assert.Single(scanner.Vanished, n => n.Id == found.Id));
        Assert.False(files.IsReleased, "a vanished namespace stays readable until released");
        scanner.ReleaseVanished();
        Assert.True(files.IsReleased);
        Assert.False(files.Netstat.TryRead(out int errno), "a released file is never reopened: its pid may be another task's now");
        Assert.Equal(9, errno); // EBADF
        Poll.Until(() => !PodLab.HasLink(nodeLike, "bnh" + suffix), TimeSpan.FromSeconds(60),
            "the released pod's namespace to be freed (cleanup_net destroys its veth pair)");
    }

    [Fact]
    public void Scan_PodReplacedBetweenScans_NewPodAppearsAndOldVanishes()
    {
        // procfs hands a freed namespace's inode numbers to the next one (proc_alloc_inum: ida_alloc_max, lowest
        // free first): a pod that dies and another that starts between two scans would get the same netstat inode
        // and pass for the old pod, its counters for a reset, unless the old namespace is still pinned. The scanner
        // pins it with its open files until it has seen it vanish.
        using var lab = new PodLab();
        string uidOld = PodLab.NewPodUid(), uidNew = PodLab.NewPodUid();
        PodLabPod old = lab.StartPod(PodLab.CgroupfsPath("besteffort", uidOld, PodLab.NewContainerId()), uidOld, null);
        using var scanner = new NetworkNamespaceScanner("/proc");
        scanner.Scan();
        ObservedNamespace oldNamespace = Assert.Single(scanner.Namespaces, n => n.Owner.PodUid == uidOld);

        // Make the reuse as likely as the kernel allows: once a control pod killed after the old one is freed
        // (its veth gone), the old one would be freed too were it not pinned (cleanup_net takes every namespace
        // released so far in one batch), and its numbers would be the lowest free ones for the replacement.
        NetworkNamespace nodeLike = lab.CreateNodeNamespace();
        string control = "bnr" + Guid.NewGuid().ToString("N")[..8];
        PodLabPod controlPod = lab.StartPod(PodLab.CgroupfsPath("besteffort", PodLab.NewPodUid(), PodLab.NewContainerId()), null, null);
        PodLab.AddVeth(nodeLike, controlPod, control, "eth0");
        old.Kill();
        controlPod.Kill();
        Poll.Until(() => !PodLab.HasLink(nodeLike, control), TimeSpan.FromSeconds(60), "the control pod's namespace to be freed");
        PodLabPod replacement = lab.StartPod(PodLab.CgroupfsPath("besteffort", uidNew, PodLab.NewContainerId()), uidNew, null);
        scanner.Scan();

        // Other namespaces on this machine may come and go meanwhile: look at ours only.
        Assert.Contains(oldNamespace, scanner.Vanished);
        Assert.DoesNotContain(scanner.Namespaces, n => n.Owner.PodUid == uidOld);
        ObservedNamespace appeared = Assert.Single(scanner.Appeared, n => n.Owner.PodUid == uidNew);
        Assert.Equal(replacement.Pid, appeared.RepresentativePid);
        Assert.NotEqual(oldNamespace.Id, appeared.Id);
    }

    [Fact]
    public void Scan_AsUnprivilegedUserWithoutCapabilities_FindsRootsPods()
    {
        using var lab = new PodLab();
        string uidA = PodLab.NewPodUid(), uidB = PodLab.NewPodUid();
        PodLabPod a = lab.StartPod(PodLab.CgroupfsPath("burstable", uidA, PodLab.NewContainerId()), uidA, null);
        PodLabPod b = lab.StartPod(PodLab.SystemdPath("besteffort", uidB, "cri-containerd", PodLab.NewContainerId()), uidB, null);

        string setpriv = RequiredTool.Find("setpriv", "util-linux");
        string[] unprivileged = ["--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"];

        // The credentials are real: as this user the pods' /proc/PID/ns/net (ptrace rights) is refused...
        Assert.Throws<InvalidOperationException>(() => ToolRunner.Run(setpriv, [.. unprivileged, "readlink", $"/proc/{a.Pid}/ns/net"]));

        // ...and yet the scanner, run as that user, finds both pods and the node.
        string assembly = typeof(PodLab).Assembly.Location;
        string output = ToolRunner.Run(setpriv, [.. unprivileged, "env", "DOTNET_STARTUP_HOOKS=" + assembly,
            StartupHook.ProcRootVariable + "=/proc", "DOTNET_CLI_TELEMETRY_OPTOUT=1", "HOME=/tmp",
            RequiredTool.Find("dotnet", "dotnet-sdk-10.0"), "exec", assembly]);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Contains(lines, l => l.StartsWith("Uid:\t65534\t65534\t65534\t65534", StringComparison.Ordinal));
        Assert.Contains("CapEff:\t0000000000000000", lines);
        Assert.Contains("CapPrm:\t0000000000000000", lines);
        Assert.Contains("CapBnd:\t0000000000000000", lines);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"ns {a.NamespaceInode()} {a.Pid} {uidA} - other"), lines);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"ns {b.NamespaceInode()} {b.Pid} {uidB} - other"), lines);
        ulong node = StatInode($"/proc/{Environment.ProcessId}/net/netstat");
        Assert.Single(lines, l => l.StartsWith($"ns {node} ", StringComparison.Ordinal) && l.EndsWith(" node", StringComparison.Ordinal));
    }

    private static void AssertOwner(NetworkNamespaceScanner scanner, PodLabPod pod, string? podUid, string? containerId, int expectedPid)
    {
        ObservedNamespace found = Assert.Single(scanner.Namespaces, n => n.Id == pod.NamespaceInode());
        Assert.Equal(podUid, found.Owner.PodUid);
        Assert.Equal(containerId, found.Owner.ContainerId);
        Assert.Equal(expectedPid, found.RepresentativePid);
        Assert.Equal("sleep", found.Owner.Comm);
        Assert.False(found.IsNode);
    }

    private static ulong StatInode(string path) =>
        ulong.Parse(ToolRunner.Run("stat", "-L", "-c", "%i", path).Trim(), CultureInfo.InvariantCulture);
}
