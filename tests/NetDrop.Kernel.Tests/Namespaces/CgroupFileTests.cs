using NetDrop.Kernel.Namespaces;
using NetDrop.Kernel.Tests.TestSupport;

namespace NetDrop.Kernel.Tests.Namespaces;

public sealed class CgroupFileTests
{
    private const string Pod = "5f1c2a7e-3b1d-4c8e-9f60-1a2b3c4d5e6f";
    private const string Container = "0f3e6b2a9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f";

    [Theory]
    [InlineData("k8s-cgroupfs-v1-burstable", Pod, Container)]
    [InlineData("k8s-cgroupfs-v1-guaranteed", Pod, Container)]
    [InlineData("k8s-cgroupfs-v1-besteffort", Pod, Container)]
    [InlineData("k8s-cgroupfs-v2-containerd", Pod, Container)]
    [InlineData("k8s-systemd-v1-containerd", Pod, Container)]
    [InlineData("k8s-systemd-v2-containerd", Pod, Container)]
    [InlineData("k8s-systemd-v2-crio-besteffort", Pod, Container)]
    [InlineData("k8s-systemd-v2-crio-conmon", Pod, null)]
    [InlineData("k8s-systemd-v1-docker-guaranteed", Pod, Container)]
    [InlineData("k8s-systemd-v2-kubelet-cgroup-root", Pod, Container)]
    [InlineData("k8s-systemd-v2-cgroupns-relative", Pod, Container)]
    [InlineData("k8s-cgroupfs-v1-static-pod", "6d2b0c3ee1c5b1d4f6a7b8c9d0e1f2a3", Container)]
    [InlineData("k8s-systemd-v2-pod-slice-only", Pod, null)]
    [InlineData("docker-cgroupfs-v1", null, Container)]
    [InlineData("docker-systemd-v1", null, Container)]
    [InlineData("docker-systemd-v2", null, Container)]
    [InlineData("host-systemd-v2", null, null)]
    [InlineData("host-hybrid-v1", null, null)]
    [InlineData("garbage", null, null)]
    public void Parse_NodeLayout_FindsPodAndContainer(string layout, string? podUid, string? containerId)
    {
        byte[] content = File.ReadAllBytes(Path.Join(Fixtures.Root, "cgroups", layout, "cgroup"));

        CgroupOwner owner = CgroupFile.Parse(content);

        Assert.Equal(podUid, owner.PodUid);
        Assert.Equal(containerId, owner.ContainerId);
    }

    [Fact]
    public void Parse_EveryPrefixOfEveryFixture_NeverThrows()
    {
        // A read cut anywhere (a task exiting mid-read) must still parse to something, never an exception.
        foreach (string file in Directory.EnumerateFiles(Path.Join(Fixtures.Root, "cgroups"), "cgroup", SearchOption.AllDirectories))
        {
            byte[] content = File.ReadAllBytes(file);
            for (int length = 0; length <= content.Length; length++)
            {
                _ = CgroupFile.Parse(content.AsSpan(0, length));
            }
        }
    }

    [Fact]
    public void Parse_PodLineAfterContainerLine_PodWins()
    {
        // A kind node: the Docker container of the node itself on one hierarchy, the pod inside it on another.
        byte[] content = """
            1:name=systemd:/docker/a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90
            0::/kubepods/besteffort/pod5f1c2a7e-3b1d-4c8e-9f60-1a2b3c4d5e6f/0f3e6b2a9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f

            """u8.ToArray();

        CgroupOwner owner = CgroupFile.Parse(content);

        Assert.Equal(Pod, owner.PodUid);
        Assert.Equal(Container, owner.ContainerId);
    }

    [Fact]
    public void From_PodNamespace_CarriesNoContainerId()
    {
        NamespaceOwner owner = NamespaceOwner.From(new CgroupOwner(Pod, Container), "pause", 4242);

        Assert.Equal(Pod, owner.PodUid);
        Assert.Null(owner.ContainerId);
        Assert.Equal("pause", owner.Comm);
        Assert.Equal(4242, owner.Pid);
    }

    [Fact]
    public void From_PlainContainer_KeepsContainerId()
    {
        NamespaceOwner owner = NamespaceOwner.From(new CgroupOwner(null, Container), "nginx", 17);

        Assert.Null(owner.PodUid);
        Assert.Equal(Container, owner.ContainerId);
    }
}
