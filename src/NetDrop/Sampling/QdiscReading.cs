namespace NetDrop.Sampling;

/// <summary>
/// The drop counter of one qdisc that counts each packet once for its interface: a root (parent <c>ffff:ffff</c>) or
/// the ingress/clsact qdisc. Identity is ifindex + handle + parent: a replaced qdisc is a new series.
/// </summary>
internal struct QdiscReading
{
    public int IfIndex;
    public uint Handle;
    public uint Parent;
    public uint Drops; // struct gnet_stats_queue .drops is __u32: it wraps at 2^32
}
