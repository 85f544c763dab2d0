using System.Globalization;

namespace NetDrop.Analysis;

/// <summary>How every renderer spells numbers, shares and durations: invariant culture, thousands separators.</summary>
internal static class ReportFormatting
{
    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    public static string Count(long value) => value.ToString("N0", s_invariant);

    /// <summary>Two decimals, as the seed printed its drop rate: <c>5.00%</c>.</summary>
    public static string Percent(double value) => value.ToString("0.00", s_invariant) + "%";

    public static string Share(long part, long whole) => whole == 0 ? "–" : Percent(part * 100.0 / whole);

    /// <summary><c>45s</c>, <c>5m 30s</c>, <c>2h 05m</c>, <c>3d 04h</c>.</summary>
    public static string Duration(long seconds)
    {
        if (seconds < 60)
        {
            return string.Create(s_invariant, $"{seconds}s");
        }

        if (seconds < 3600)
        {
            return string.Create(s_invariant, $"{seconds / 60}m {seconds % 60:00}s");
        }

        if (seconds < 86_400)
        {
            return string.Create(s_invariant, $"{seconds / 3600}h {seconds % 3600 / 60:00}m");
        }

        return string.Create(s_invariant, $"{seconds / 86_400}d {seconds % 86_400 / 3600:00}h");
    }

    /// <summary>Short axis labels: <c>950</c>, <c>1.2k</c>, <c>34k</c>, <c>5.6M</c>.</summary>
    public static string Compact(double value)
    {
        double magnitude = Math.Abs(value);
        return magnitude switch
        {
            >= 1e9 => Trim(value / 1e9) + "G",
            >= 1e6 => Trim(value / 1e6) + "M",
            >= 1e3 => Trim(value / 1e3) + "k",
            _ => Trim(value),
        };

        static string Trim(double v) => Math.Abs(v) >= 10 || v == Math.Floor(v)
            ? Math.Round(v).ToString("0", s_invariant)
            : v.ToString("0.#", s_invariant);
    }

    /// <summary>The seed's spelling of a severity.</summary>
    public static string Severity(IntervalSeverity severity) => severity switch
    {
        IntervalSeverity.Ok => "OK",
        IntervalSeverity.Warn => "WARN",
        IntervalSeverity.Crit => "CRIT",
        _ => "?",
    };

    /// <summary><c>softirq 500, accept_queue 23</c>: what dropped in an interval, at most <paramref name="limit"/> categories.</summary>
    public static string WhatDropped(IReadOnlyList<CategoryAmount> amounts, int limit = 3)
    {
        if (amounts.Count == 0)
        {
            return "";
        }

        IEnumerable<string> parts = amounts.Take(limit).Select(a => a.Category.Column + " " + Count(a.Amount) + (a.Category.IsDrop ? "" : " (pressure)"));
        string text = string.Join(", ", parts);
        return amounts.Count > limit ? text + string.Create(s_invariant, $", +{amounts.Count - limit} more") : text;
    }

    public static string Span(LocalTimestamp? first, LocalTimestamp? last) =>
        first is { } f && last is { } l
            ? $"{f} → {l} ({Duration(l.Seconds - f.Seconds)})"
            : "no intervals";

    public static string Layout(CsvInputLayout? layout) => layout switch
    {
        CsvInputLayout.SeedHeader => "seed CSV (16 columns)",
        CsvInputLayout.NetDropHeader => "NetDrop CSV",
        CsvInputLayout.HeaderlessSeed => "no header; seed columns assumed",
        CsvInputLayout.HeaderlessNetDrop => "no header; NetDrop columns assumed",
        _ => "empty",
    };
}
