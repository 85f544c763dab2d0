using NetDrop.Sinks.Telemetry;

namespace NetDrop.Tests.Telemetry;

public sealed class ServiceInstanceIdTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("netdrop-instance-").FullName;

    [Fact]
    public void Version5_KnownVector_MatchesRfcAlgorithm()
    {
        // Python's documented example: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org').
        Guid dns = new("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        Assert.Equal(new Guid("886313e1-3b8a-5372-9b90-0c9aee199e5d"), ServiceInstanceId.Version5(dns, "python.org"));
    }

    [Fact]
    public void Create_SameNodeTwice_SameId_AndNodeNameWinsOverMachineId()
    {
        string machineId = WriteMachineId("0123456789abcdef0123456789abcdef");
        string once = ServiceInstanceId.Create("k8s.node.name=node-a,k8s.pod.name=netdrop-x1", machineId, "pod-x1", []);
        string again = ServiceInstanceId.Create("k8s.pod.name=netdrop-y2,k8s.node.name=node-a", machineId, "pod-y2", []);

        Assert.Equal(once, again); // a new pod on the same node is the same instance
        Assert.Equal(ServiceInstanceId.Version5(ServiceInstanceId.OpenTelemetryNamespace, "k8s.node.name=node-a").ToString(), once);
        Assert.NotEqual(once, ServiceInstanceId.Create("k8s.node.name=node-b", machineId, "pod-x1", []));
    }

    [Fact]
    public void Create_TwoReleasesOnOneNode_DifferentIds()
    {
        string chart = "k8s.node.name=node-a,k8s.pod.name=p,k8s.namespace.name=netdrop,k8s.daemonset.name=netdrop";
        string other = "k8s.node.name=node-a,k8s.pod.name=q,k8s.namespace.name=staging,k8s.daemonset.name=netdrop";

        string id = ServiceInstanceId.Create(chart, "/nonexistent", "p", []);
        Assert.Equal(ServiceInstanceId.Version5(ServiceInstanceId.OpenTelemetryNamespace, "k8s.node.name=node-a\nk8s.namespace.name=netdrop\nk8s.daemonset.name=netdrop").ToString(), id);
        Assert.NotEqual(id, ServiceInstanceId.Create(other, "/nonexistent", "q", []));
    }

    [Fact]
    public void Create_PlainHost_MachineIdThenHostName_InterfacesTellUnitsApart()
    {
        string machineId = WriteMachineId("0123456789abcdef0123456789abcdef\n");
        string eth0 = ServiceInstanceId.Create(null, machineId, "host", ["eth0"]);

        Assert.Equal(ServiceInstanceId.Version5(ServiceInstanceId.OpenTelemetryNamespace, "machine-id=0123456789abcdef0123456789abcdef\ninterfaces=eth0").ToString(), eth0);
        Assert.NotEqual(eth0, ServiceInstanceId.Create(null, machineId, "host", ["eth1"]));
        Assert.Equal(
            ServiceInstanceId.Version5(ServiceInstanceId.OpenTelemetryNamespace, "host.name=host").ToString(),
            ServiceInstanceId.Create("", WriteMachineId(""), "host", [])); // an empty machine-id, as some images have
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteMachineId(string content)
    {
        string path = Path.Join(_directory, Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, content);
        return path;
    }
}
