namespace NetDrop.Kernel.Namespaces;

/// <summary>
/// What a task's cgroup path says about who runs it: the Kubernetes pod (<c>k8s.pod.uid</c>, dashes restored) and the
/// container (<c>container.id</c>, 64 hex digits), each null when the path does not name one.
/// </summary>
internal readonly record struct CgroupOwner(string? PodUid, string? ContainerId)
{
    public static CgroupOwner None => default;

    public bool IsPod => PodUid is not null;

    public bool IsContainer => ContainerId is not null;
}
