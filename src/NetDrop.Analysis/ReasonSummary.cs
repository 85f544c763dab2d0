using static NetDrop.Analysis.ReportFormatting;

namespace NetDrop.Analysis;

/// <summary>
/// What the detail CSVs' <c>reason</c> rows say (opt-in <c>--drop-reasons</c>): why the kernel freed packets, loss
/// apart from the frees that may have lost nothing. Shown beside the category totals, never added into them.
/// </summary>
/// <param name="Rows">Reason rows kept by the filter.</param>
/// <param name="LossReasons">Distinct loss reasons; <see cref="Loss"/> holds at most the top N.</param>
/// <param name="LossTotal">Packets over every loss reason (not a second total of drops: the same packets the categories count).</param>
/// <param name="Loss">Loss reasons over every namespace, largest total first (ties by name, ordinal).</param>
/// <param name="KeptApartReasons">Distinct unspecified and not-loss reasons; <see cref="KeptApart"/> holds at most the top N.</param>
/// <param name="KeptApart"><c>NOT_SPECIFIED</c> and the not-loss reasons over every namespace, largest first.</param>
/// <param name="Owners">Distinct namespaces with reason rows, the agent's own included.</param>
/// <param name="OwnerSeries">Distinct (namespace, reason) series; <see cref="ByOwner"/> holds at most the top N.</param>
/// <param name="ByOwner">Per (namespace, reason): loss first, largest first, then the rest, largest first.</param>
internal sealed record ReasonSummary(
    long Rows,
    int LossReasons,
    long LossTotal,
    IReadOnlyList<ReasonTotal> Loss,
    int KeptApartReasons,
    IReadOnlyList<ReasonTotal> KeptApart,
    int Owners,
    int OwnerSeries,
    IReadOnlyList<ReasonTotal> ByOwner)
{
    /// <summary>What every format says with the reasons, so nobody adds them to the drops.</summary>
    public const string BesideTheCounters =
        "Kernel drop reasons (skb_drop_reason) count the same packets as the drop categories, so they are shown beside them and never added into total drops.";

    /// <summary>What every format says over the kept-apart list.</summary>
    public const string KeptApartNote =
        "Not counted as loss: NOT_SPECIFIED (a free that gave no reason, a drop or a clean-up) and frees that lose nothing the network carried (a socket closed with unread data, a duplicate segment, another host's frame).";

    /// <summary>The section's title after "Drop reasons (detail CSV): ".</summary>
    public string LossHeadline => $"{Count(LossTotal)} packets lost for {Reasons(LossReasons)}";

    /// <summary>The kept-apart list's title.</summary>
    public string KeptApartHeadline => $"Kept apart from the drops: {Reasons(KeptApartReasons)}";

    /// <summary>The per-namespace list's title, after "By network namespace: ".</summary>
    public string ByOwnerHeadline => $"top {ByOwner.Count} of {Count(OwnerSeries)} in {Count(Owners)} {(Owners == 1 ? "namespace" : "namespaces")}";

    private static string Reasons(int count) => Count(count) + (count == 1 ? " reason" : " reasons");

    /// <summary>How an owner is shown: the agent's own namespace has none in the detail CSV.</summary>
    public static string OwnerText(string? owner) => owner ?? "own namespace";
}
