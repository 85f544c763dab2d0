using NetDrop.Kernel.Netlink;

namespace NetDrop.Sources;

/// <summary>
/// The drop counter of one qdisc that counts each packet once for its interface: a root (parent <c>ffff:ffff</c>) or
/// the ingress/clsact qdisc.
/// </summary>
/// <remarks>
/// Identity is ifindex + handle + parent + kind, and a qdisc whose bytes or packets went down is a new instance: a
/// qdisc deleted and re-added at the same handle within one interval (<c>tc qdisc del</c> + <c>add</c>, or
/// <c>replace</c> with another kind) starts its counters from zero (<c>qdisc_alloc</c> zeroes them), so diffing it
/// against the old one would subtract the old lifetime from the new drops.
/// </remarks>
internal struct QdiscReading
{
    public int IfIndex;
    public uint Handle;
    public uint Parent;
    public QdiscKind Kind;
    public ulong Bytes;   // gnet_stats_basic.bytes: __u64, monotonic for one instance
    public ulong Packets; // TCA_STATS_PKT64 or gnet_stats_basic.packets (clamped there, never wrapped)
    public uint Drops;    // struct gnet_stats_queue .drops is __u32: it wraps at 2^32

    /// <summary>True when <paramref name="earlier"/> is this same qdisc instance, read one sample before.</summary>
    public readonly bool IsSameInstance(in QdiscReading earlier) =>
        earlier.IfIndex == IfIndex && earlier.Handle == Handle && earlier.Parent == Parent && earlier.Kind == Kind &&
        Bytes >= earlier.Bytes && Packets >= earlier.Packets;
}
