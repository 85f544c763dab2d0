using NetDrop.Kernel.Namespaces;

namespace NetDrop.Deltas;

/// <summary>
/// One interface of a network namespace other than the node's (the pod side of a veth, a pod's <c>lo</c>) that dropped
/// this interval: whose it is, its name in that namespace, and its share of each interface category its <c>net/dev</c>
/// expresses (<see cref="Sources.NetDevCategoryMap"/>); the other slots stay 0 and are never written as values.
/// </summary>
internal struct PodInterfaceDelta
{
    /// <summary>The namespace's id (<see cref="ObservedNamespace.Id"/>).</summary>
    public ulong NamespaceId;

    /// <summary>Pod uid, else container id, else comm and pid: as for the namespace's socket-layer share.</summary>
    public NamespaceOwner Owner;

    /// <summary>The interface's name inside its namespace (<c>eth0</c>), not unique across namespaces.</summary>
    public string Name;

    /// <summary>Indexed by <see cref="Model.DropCategoryTable.InterfaceSlotOf"/>, as a node interface's.</summary>
    public InterfaceValues Values;
}
