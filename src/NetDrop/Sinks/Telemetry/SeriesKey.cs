namespace NetDrop.Sinks.Telemetry;

/// <summary>
/// Which series of a <see cref="SeriesTotals"/>: the category, and the interface, CPU or other network namespace it
/// is split by (null, -1 and 0 when it is not). Values the report already holds, so a lookup allocates nothing.
/// </summary>
/// <param name="CategoryId">The category's id (<see cref="Model.DropCategory.Id"/>); for <c>system.network.packet.dropped</c>, the direction.</param>
/// <param name="Interface">The interface's name, for interface categories.</param>
/// <param name="Cpu">The CPU, for per-CPU softirq series; -1 otherwise.</param>
/// <param name="NamespaceId">Another namespace's id (<see cref="Deltas.NamespaceDelta.NamespaceId"/>); 0 for the node's own series.</param>
internal readonly record struct SeriesKey(int CategoryId, string? Interface, int Cpu, ulong NamespaceId);
