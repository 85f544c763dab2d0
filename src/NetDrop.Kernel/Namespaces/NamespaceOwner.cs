namespace NetDrop.Kernel.Namespaces;

/// <summary>
/// Who a network namespace belongs to, from its representative task: a Kubernetes pod (<see cref="PodUid"/>, the
/// <c>k8s.pod.uid</c> attribute), else a container (<see cref="ContainerId"/>, <c>container.id</c>), else just the
/// task (<see cref="Comm"/> and <see cref="Pid"/>, always set).
/// </summary>
/// <remarks>
/// NOTE: a pod's namespace carries no container id. All containers of a pod share the namespace the sandbox (pause)
/// container created, and the lowest pid in it is usually that sandbox, whose id no user knows; every drop in it
/// belongs to the pod as a whole. The pod uid is the key; the collector's <c>k8sattributes</c> turns it into names.
/// </remarks>
internal sealed record NamespaceOwner(string? PodUid, string? ContainerId, string Comm, int Pid)
{
    /// <summary>Applies the pod-over-container rule to what the representative's cgroup path said.</summary>
    public static NamespaceOwner From(CgroupOwner cgroup, string comm, int pid) =>
        cgroup.IsPod
            ? new NamespaceOwner(cgroup.PodUid, null, comm, pid)
            : new NamespaceOwner(null, cgroup.ContainerId, comm, pid);
}
