namespace NetDrop.Deltas;

/// <summary>What a kernel drop reason says about the packet (<see cref="DropReasonKinds"/> decides, and says why).</summary>
internal enum DropReasonKind
{
    /// <summary>A packet the network lost: the kernel refused or could not deliver it (NO_SOCKET, QDISC_DROP, ...).</summary>
    Loss,

    /// <summary><c>NOT_SPECIFIED</c>: a plain <c>kfree_skb()</c> that gave no reason; a drop or a clean-up, nobody can say.</summary>
    Unspecified,

    /// <summary>Freed on a path that loses nothing the network carried: a close, a purge, a duplicate, another host's frame.</summary>
    NotLoss,
}
