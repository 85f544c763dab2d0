using NetDrop.Model;

namespace NetDrop.Analysis;

/// <summary>
/// Sums the detail CSV's rows per (scope, key, category), and its <c>reason</c> rows apart (<see cref="ReasonAccumulator"/>:
/// they count packets the other rows already count). Memory is bounded by the number of distinct series (a few per
/// interface, CPU, pod or reason), not by the log's length.
/// </summary>
internal sealed class DetailAccumulator
{
    private readonly Dictionary<(DetailCsvScope Scope, string Key, string Category), long> _totals = [];
    private readonly List<string> _files = [];
    private readonly ReasonAccumulator _reasons = new();

    public long Rows { get; private set; }

    public void AddFile(string path) => _files.Add(path);

    public void Add(DetailCsvScope scope, string key, string category, long value)
    {
        Rows++;
        var series = (scope, key, category);
        _totals[series] = _totals.GetValueOrDefault(series) + value;
    }

    /// <summary>A <c>reason</c> row: its interval (to find the peak), key and kind.</summary>
    public void AddReason(LocalTimestamp timestamp, long iteration, string key, DetailReasonKind kind, long value)
    {
        Rows++;
        _reasons.Add(key, kind, timestamp, iteration, value);
    }

    /// <summary>Each scope's <paramref name="top"/> largest series (ties by key, then category, ordinal), and the reasons'.</summary>
    public DetailSummary ToSummary(int top)
    {
        var scopes = new List<DetailScopeTop>();
        foreach (DetailCsvScope scope in DetailCsvSchema.Scopes)
        {
            List<DetailTotal> series = [.. _totals
                .Where(entry => entry.Key.Scope == scope)
                .Select(entry => new DetailTotal(entry.Key.Key, entry.Key.Category, entry.Value))
                .OrderByDescending(total => total.Total)
                .ThenBy(total => total.Key, StringComparer.Ordinal)
                .ThenBy(total => total.Category, StringComparer.Ordinal)];
            if (series.Count > 0)
            {
                scopes.Add(new DetailScopeTop(DetailCsvSchema.ScopeName(scope), series.Count, [.. series.Take(top)]));
            }
        }

        return new DetailSummary(_files, Rows, scopes, _reasons.ToSummary(top));
    }
}
