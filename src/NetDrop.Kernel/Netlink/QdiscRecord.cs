namespace NetDrop.Kernel.Netlink;

/// <summary>
/// One qdisc from an RTM_GETQDISC dump, reported as the kernel sends it (net/sched/sch_api.c, <c>tc_fill_qdisc</c>):
/// every root, child, ingress/clsact and (when requested) invisible qdisc, with its handle and parent. Series
/// identity is (<see cref="IfIndex"/>, <see cref="Parent"/>, <see cref="Handle"/>): default qdiscs all have handle 0.
/// </summary>
/// <remarks>
/// <para>
/// Counting each dropped packet once is the caller's job, and these kernel facts decide it:
/// </para>
/// <list type="bullet">
/// <item>
/// A classful or wrapping qdisc's drop counter already includes the drops of the qdiscs below it. When a child's
/// enqueue drops, the parent counts the same packet: <c>htb_enqueue</c> in net/sched/sch_htb.c calls
/// <c>qdisc_qstats_drop(sch)</c> on the htb itself (and bumps the class's <c>cl->drops</c>) when the leaf qdisc's
/// <c>qdisc_enqueue</c> returns a drop; <c>tbf_enqueue</c> (sch_tbf.c) does the same for its inner bfifo. Drops a child
/// makes later, at dequeue (codel, fq_codel, ...), reach every ancestor through <c>qdisc_tree_reduce_backlog</c>
/// (sch_api.c), which walks <c>sch->parent</c> upwards adding them with <c>__qdisc_qstats_drop(sch, drops)</c> and
/// stops at <c>TC_H_ROOT</c> or at a qdisc flagged <c>TCQ_F_NOPARENT</c>.
/// </item>
/// <item>
/// An <c>mq</c> or <c>mqprio</c> root keeps no counters of its own: <c>mq_dump</c> (net/sched/sch_mq.c) and
/// <c>mqprio_dump</c> (sch_mqprio.c) zero <c>sch->bstats</c>/<c>sch->qstats</c> and add up every tx queue's child
/// qdisc at dump time. Its numbers are exactly the sum of its children (whose <c>TCQ_F_NOPARENT</c> flag is why
/// <c>qdisc_tree_reduce_backlog</c> does not also add into it).
/// </item>
/// </list>
/// <para>
/// So per interface the egress drops are the root's (<see cref="IsRoot"/>), never root plus children; ingress and
/// clsact (<see cref="IsIngress"/>) are a separate hierarchy.
/// </para>
/// </remarks>
internal struct QdiscRecord
{
    public int IfIndex;         // tcm_ifindex

    /// <summary>The qdisc's handle, major:minor in the high:low 16 bits (<c>1:</c> is 0x00010000); 0 for a default qdisc.</summary>
    public uint Handle;         // tcm_handle

    /// <summary><c>TC_H_ROOT</c> for an egress root, <c>TC_H_INGRESS</c> for ingress/clsact, else the parent class id.</summary>
    public uint Parent;         // tcm_parent

    public QdiscKind Kind;      // TCA_KIND

    public ulong Bytes;         // TCA_STATS_BASIC bytes

    /// <summary>Packets sent: <c>TCA_STATS_PKT64</c> when the kernel sends it (the 32-bit field overflowed), else TCA_STATS_BASIC.</summary>
    public ulong Packets;

    /// <summary>
    /// Packets dropped: <c>gnet_stats_queue.drops</c> from <c>TCA_STATS2</c>/<c>TCA_STATS_QUEUE</c>, or the legacy
    /// <c>struct tc_stats</c> (<c>TCA_STATS</c>) when STATS2 is absent.
    /// </summary>
    /// <remarks>NOTE: the kernel field is <c>__u32</c> and wraps at 2^32; deltas must be computed as 32-bit.</remarks>
    public uint Drops;

    public uint Overlimits;     // gnet_stats_queue.overlimits (__u32)

    public uint Requeues;       // gnet_stats_queue.requeues (__u32; not in the legacy tc_stats)

    public uint QueueLength;    // gnet_stats_queue.qlen, packets queued now (a gauge)

    public uint Backlog;        // gnet_stats_queue.backlog, bytes queued now (a gauge)

    public readonly bool IsRoot => Parent == Interop.Rtnetlink.TC_H_ROOT;

    /// <summary>An ingress or clsact qdisc: both attach at <c>TC_H_INGRESS</c> (= <c>TC_H_CLSACT</c>).</summary>
    public readonly bool IsIngress => Parent == Interop.Rtnetlink.TC_H_INGRESS;
}
