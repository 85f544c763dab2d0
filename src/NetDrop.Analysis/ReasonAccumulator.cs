namespace NetDrop.Analysis;

/// <summary>
/// Sums the detail CSV's <c>reason</c> rows twice: per reason over every namespace (what the top lists show), and per
/// (namespace, reason) (which pod or process lost packets why). Memory is bounded by the distinct series.
/// </summary>
internal sealed class ReasonAccumulator
{
    private readonly Dictionary<string, ReasonTracker> _byReason = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Owner, string Reason), ReasonTracker> _byOwner = [];
    private long _rows;

    /// <param name="key">The row's key: <c>NAME</c> (the agent's own namespace) or <c>OWNER/NAME</c>.</param>
    public void Add(string key, DetailReasonKind kind, LocalTimestamp timestamp, long iteration, long value)
    {
        _rows++;
        int separator = key.LastIndexOf(NetDrop.Model.DetailCsvSchema.ReasonOwnerSeparator);
        string? owner = separator < 0 ? null : key[..separator];
        string reason = separator < 0 ? key : key[(separator + 1)..];

        // A reason's kind is the same in every row a monitor writes; the first row's is kept.
        if (!_byReason.TryGetValue(reason, out ReasonTracker? total))
        {
            _byReason[reason] = total = new ReasonTracker(null, reason, kind);
        }

        total.Add(timestamp, iteration, value);
        if (!_byOwner.TryGetValue((owner ?? "", reason), out ReasonTracker? share))
        {
            _byOwner[(owner ?? "", reason)] = share = new ReasonTracker(owner, reason, total.Kind);
        }

        share.Add(timestamp, iteration, value);
    }

    public ReasonSummary? ToSummary(int top)
    {
        if (_rows == 0)
        {
            return null;
        }

        List<ReasonTotal> reasons = [.. _byReason.Values.Select(tracker => tracker.ToTotal()).OrderBy(total => total, s_largestFirst)];
        List<ReasonTotal> loss = [.. reasons.Where(total => total.Kind == DetailReasonKind.Loss)];
        List<ReasonTotal> keptApart = [.. reasons.Where(total => total.Kind != DetailReasonKind.Loss)];
        List<ReasonTotal> shares = [.. _byOwner.Values.Select(tracker => tracker.ToTotal())
            .OrderBy(total => total.Kind == DetailReasonKind.Loss ? 0 : 1)
            .ThenBy(total => total, s_largestFirst)];
        int owners = _byOwner.Keys.Select(key => key.Owner).Distinct(StringComparer.Ordinal).Count();
        return new ReasonSummary(
            _rows,
            loss.Count, loss.Sum(total => total.Total), [.. loss.Take(top)],
            keptApart.Count, [.. keptApart.Take(top)],
            owners, shares.Count, [.. shares.Take(top)]);
    }

    // Largest total first; ties by owner (the agent's own first), then reason, ordinal: the same order on every run.
    private static readonly Comparer<ReasonTotal> s_largestFirst = Comparer<ReasonTotal>.Create((a, b) =>
    {
        int order = b.Total.CompareTo(a.Total);
        if (order == 0)
        {
            order = string.CompareOrdinal(a.Owner, b.Owner);
        }

        return order != 0 ? order : string.CompareOrdinal(a.Reason, b.Reason);
    });
}
