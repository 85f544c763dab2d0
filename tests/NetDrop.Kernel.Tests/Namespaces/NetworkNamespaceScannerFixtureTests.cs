using NetDrop.Kernel.Namespaces;
using NetDrop.Kernel.Tests.TestSupport;

namespace NetDrop.Kernel.Tests.Namespaces;

/// <summary>
/// The walk's rules on a made-up proc root, where a "namespace" is a <c>net/</c> directory outside the pid
/// directories that the tasks of that namespace link to (stat follows the link, as <c>/proc/PID/net</c> resolves to
/// the task's namespace), so its netstat has one inode for all of them.
/// </summary>
public sealed class NetworkNamespaceScannerFixtureTests
{
    private const string PodUid = "5f1c2a7e-3b1d-4c8e-9f60-1a2b3c4d5e6f";
    private const string Netstat = "TcpExt: ListenOverflows\nTcpExt: 0\n";

    [Fact]
    public void Scan_FixtureRoot_OneNamespacePerNetstatLowestPidRepresentsNodeIsSelf()
    {
        using TemporaryRoot root = Fixtures.Temporary(
            ("ns-node/net/netstat", Netstat), ("ns-pod/net/netstat", Netstat),
            ("1/comm", "init\n"), ("1/cgroup", "0::/init.scope\n"),
            ("300/comm", "pause\n"), ("300/cgroup", $"0::/kubepods/besteffort/pod{PodUid}/" + new string('a', 64) + "\n"),
            ("abc/net/netstat", Netstat),            // not a process
            ("12345678901/net/netstat", Netstat),    // more digits than a pid has
            ("77/comm", "zombie\n"));                // no net/: a task that dropped its namespaces
        foreach ((string task, string ns) in (ReadOnlySpan<(string, string)>)[("1", "ns-node"), ("20", "ns-node"), ("300", "ns-pod"), ("305", "ns-pod"), ("310", "ns-pod")])
        {
            Directory.CreateDirectory(root.PathOf(task));
            Directory.CreateSymbolicLink(root.PathOf(task + "/net"), Path.Join(root.Directory, ns, "net"));
        }

        Directory.CreateSymbolicLink(root.PathOf("self"), "20");

        using var scanner = new NetworkNamespaceScanner(root.Directory);
        scanner.Scan();

        Assert.Equal(2, scanner.Namespaces.Count);
        Assert.Equal(5, scanner.TasksSeen); // 1, 20, 300, 305, 310
        ObservedNamespace node = Assert.Single(scanner.Namespaces, n => n.IsNode);
        Assert.Equal(1, node.RepresentativePid);
        Assert.Equal("init", node.Owner.Comm);
        Assert.Null(node.Owner.PodUid);
        ObservedNamespace pod = Assert.Single(scanner.Namespaces, n => !n.IsNode);
        Assert.Equal(300, pod.RepresentativePid);
        Assert.Equal(PodUid, pod.Owner.PodUid);
        Assert.Null(pod.Owner.ContainerId);
        Assert.Equal(2, scanner.Appeared.Count);
        Assert.Empty(scanner.Vanished);

        // The representative goes, another task of the namespace takes over; then the last one goes.
        Directory.Delete(root.PathOf("300"), recursive: true);
        scanner.Scan();
        Assert.Equal(305, Assert.Single(scanner.Namespaces, n => !n.IsNode).RepresentativePid);
        Assert.Empty(scanner.Appeared);
        Assert.Empty(scanner.Vanished);

        Directory.Delete(root.PathOf("305"), recursive: true);
        Directory.Delete(root.PathOf("310"), recursive: true);
        scanner.Scan();
        Assert.Same(pod, Assert.Single(scanner.Vanished));
        Assert.True(pod.HasVanished);
        Assert.Same(node, Assert.Single(scanner.Namespaces));
    }

    [Fact]
    public void Scan_MissingProcRoot_FailsNamingIt()
    {
        using var scanner = new NetworkNamespaceScanner("/nonexistent-proc-root");

        KernelSourceException error = Assert.Throws<KernelSourceException>(scanner.Scan);

        Assert.Contains("/nonexistent-proc-root", error.Message, StringComparison.Ordinal);
    }
}
