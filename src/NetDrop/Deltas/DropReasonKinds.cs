namespace NetDrop.Deltas;

/// <summary>
/// Sorts the kernel's drop reasons (include/net/dropreason-core.h, names without <c>SKB_DROP_REASON_</c>) into
/// loss, unspecified and not-loss, by name: values are renumbered between kernels, names are not.
/// </summary>
/// <remarks>
/// Why these are kept out of "loss" (every one is still shown, on its own line):
/// <list type="bullet">
/// <item><c>NOT_SPECIFIED</c> is what <c>kfree_skb(skb)</c> passes (include/linux/skbuff.h:
/// <c>kfree_skb_reason(skb, SKB_DROP_REASON_NOT_SPECIFIED)</c>): every free on a path nobody annotated yet, real
/// drops and error-path clean-ups alike. It can be large on a busy host and says nothing about why.</item>
/// <item><c>SKB_CONSUMED</c> is not a drop at all: a packet delivered and done with. It never reaches
/// <c>skb:kfree_skb</c> (net/core/skbuff.c <c>__sk_skb_reason_drop</c> sends <c>SKB_CONSUMED</c> to
/// <c>trace_consume_skb</c> instead); <c>SKB_NOT_DROPPED_YET</c> (0) is "no drop" by definition. Both are listed so
/// that a kernel which did pass them would not turn them into loss.</item>
/// <item>Socket tear-down: <c>SOCKET_CLOSE</c> (a socket close()d with unread data in its queue, e.g.
/// net/unix/af_unix.c <c>unix_release_sock</c>), <c>QUEUE_PURGE</c> (a queue emptied in bulk,
/// <c>skb_queue_purge</c>), <c>UNIX_DISCONNECT</c> and <c>UNIX_SKIP_OOB</c> (AF_UNIX messages, never on a network):
/// the application chose to end, the network lost nothing.</item>
/// <item>Duplicates: <c>TCP_OLD_DATA</c>, <c>TCP_OLD_SEQUENCE</c>, <c>TCP_OFOMERGE</c>, <c>TCP_OFO_DROP</c>: the
/// segment's data had already been received (a retransmission's second copy); the packet is freed, the data is not lost.</item>
/// <item>Not ours: <c>OTHERHOST</c> (a frame for another host's MAC, seen in promiscuous mode: normal on bridges and
/// sniffers; docs/coverage.md keeps <c>rx_otherhost_dropped</c> a pressure signal for the same reason) and
/// <c>IPV6_NDISC_NS_OTHERHOST</c> (a neighbour solicitation for an address this host does not own).</item>
/// </list>
/// Every other reason, including ones a newer kernel adds, is loss: an unknown name errs on the side of being seen.
/// </remarks>
internal static class DropReasonKinds
{
    /// <summary>The reason a plain <c>kfree_skb()</c> gives.</summary>
    public const string NotSpecified = "NOT_SPECIFIED";

    private static readonly HashSet<string> s_notLoss = new(StringComparer.Ordinal)
    {
        "SKB_NOT_DROPPED_YET", "SKB_CONSUMED", "NOT_DROPPED_YET", "CONSUMED",
        "SOCKET_CLOSE", "QUEUE_PURGE", "UNIX_DISCONNECT", "UNIX_SKIP_OOB",
        "TCP_OLD_DATA", "TCP_OLD_SEQUENCE", "TCP_OFOMERGE", "TCP_OFO_DROP",
        "OTHERHOST", "IPV6_NDISC_NS_OTHERHOST",
    };

    public static DropReasonKind Of(string name) =>
        name == NotSpecified ? DropReasonKind.Unspecified
        : s_notLoss.Contains(name) ? DropReasonKind.NotLoss
        : DropReasonKind.Loss;

    /// <summary>The <c>netdrop.drop_reason_kind</c> attribute value: <c>loss</c>, <c>unspecified</c>, <c>not_loss</c>.</summary>
    public static string AttributeValue(DropReasonKind kind) => kind switch
    {
        DropReasonKind.Unspecified => "unspecified",
        DropReasonKind.NotLoss => "not_loss",
        _ => "loss",
    };
}
