namespace NetDrop.Tests.Coverage;

/// <summary>
/// Tests that induce drops counted in the host's neighbour tables. /proc/net/stat/arp_cache and ndisc_cache are one
/// per-CPU struct neigh_statistics per table for every namespace of the machine (neigh_table_init(),
/// net/core/neighbour.c), so an unresolved-neighbour discard one test induces is seen by every other test reading
/// them: <see cref="KernelDropPointTests"/> requires those counters to stay put unless it moved them itself. Tests in
/// one collection never run at the same time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class HostNeighbourTablesCollectionDefinition
{
    public const string Name = "Host neighbour tables";
}
