using NetDrop.Model;

namespace NetDrop.Analysis;

/// <summary>A reason row's kind, from its <c>category</c> cell (<see cref="DetailCsvSchema.ReasonLoss"/>, ...).</summary>
internal enum DetailReasonKind
{
    /// <summary><c>loss</c>: a packet the network lost.</summary>
    Loss,

    /// <summary><c>unspecified</c>: <c>NOT_SPECIFIED</c>, a plain <c>kfree_skb()</c>; a drop or a clean-up, nobody can say.</summary>
    Unspecified,

    /// <summary><c>not_loss</c>: freed on a path that loses nothing the network carried (a close, a duplicate, ...).</summary>
    NotLoss,
}
