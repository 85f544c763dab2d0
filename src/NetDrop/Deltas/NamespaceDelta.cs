using NetDrop.Kernel.Namespaces;

namespace NetDrop.Deltas;

/// <summary>
/// One network namespace other than the node's that dropped (or showed pressure) this interval: its identity, who owns
/// it, and its share of every per-namespace category. Also what the detail CSV writes (scope namespace / pod).
/// </summary>
/// <param name="NamespaceId">The inode of the namespace's <c>net/netstat</c> (<see cref="ObservedNamespace.Id"/>).</param>
/// <param name="Owner">Pod uid (<c>k8s.pod.uid</c>), else container id (<c>container.id</c>), else comm and pid.</param>
/// <param name="Values">Per category id (<see cref="Model.DropCategory.Id"/>): this namespace's delta; 0 for categories not read per namespace. Use <see cref="IntervalReport.ValueOf(in NamespaceDelta, Model.DropCategory)"/>.</param>
/// <param name="Drops">The namespace's drops over every drop category, each packet once (its share of the total).</param>
internal readonly record struct NamespaceDelta(ulong NamespaceId, NamespaceOwner Owner, ulong[] Values, ulong Drops);
