using System.Globalization;
using System.Text;
using NetDrop.Model;
using static NetDrop.Analysis.ReportFormatting;

namespace NetDrop.Analysis;

/// <summary>
/// The HTML report's charts as inline SVG, drawn here rather than by a chart library so the file opens offline with
/// no script at all. Hover text comes from SVG <c>&lt;title&gt;</c> elements; colours from <see cref="CategoryPalette"/>.
/// </summary>
internal static class SvgCharts
{
    /// <summary>Display bucket widths for the timeline, in seconds.</summary>
    private static readonly long[] s_displaySteps = [5, 10, 30, 60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];

    /// <summary>Axis tick spacings, in seconds.</summary>
    private static readonly long[] s_tickSteps = [60, 300, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 345600, 604800, 1209600, 2419200];

    private const int MaxBars = 180;
    private const int MaxHeatmapDays = 62;

    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    /// <summary>Stacked bars of drops per category over the report's time span.</summary>
    public static string Timeline(DropReport report)
    {
        if (report.FirstTimestamp is not { } first || report.LastTimestamp is not { } last || report.IntervalsWithDrops == 0)
        {
            return Empty("chart-timeline", "No drops in this period.");
        }

        long span = Math.Max(1, last.Seconds - first.Seconds);
        long step = s_displaySteps.FirstOrDefault(s => s >= report.Timeline.BucketSeconds && span / s <= MaxBars);
        if (step == 0)
        {
            step = s_displaySteps[^1];
        }

        // Merge the analysis buckets into display buckets of `step` seconds.
        var bars = new SortedDictionary<long, long[]>();
        foreach (TimelineBucket bucket in report.Timeline.Buckets)
        {
            long key = bucket.Start.Seconds / step;
            if (!bars.TryGetValue(key, out long[]? sums))
            {
                sums = new long[report.Table.Count];
                bars.Add(key, sums);
            }

            for (int id = 0; id < sums.Length; id++)
            {
                sums[id] += bucket.Categories[id];
            }
        }

        long rangeStart = first.Seconds / step * step;
        long rangeEnd = ((last.Seconds / step) + 1) * step;
        double maxStack = 1;
        foreach (long[] sums in bars.Values)
        {
            maxStack = Math.Max(maxStack, DropSum(report.Table, sums));
        }

        (double Top, double Step) scale = NiceScale(maxStack);
        double yMax = scale.Top;
        const double left = 64, right = 988, top = 14, bottom = 232, width = 1000, height = 268;
        double plotWidth = right - left;
        double plotHeight = bottom - top;
        double pixelsPerSecond = plotWidth / (rangeEnd - rangeStart);
        double barWidth = Math.Max(1.2, (step * pixelsPerSecond) - (step * pixelsPerSecond > 4 ? 1 : 0));

        var svg = new StringBuilder(64 * 1024);
        Open(svg, "chart-timeline", width, height, $"Drops per category over time, {Duration(step)} per bar");
        YAxis(svg, scale, left, right, top, bottom);

        // Where the monitor recorded nothing, say so on the chart: an empty stretch must not read as "no drops".
        if (report.Gaps.First.Count > 0)
        {
            svg.Append("<defs><pattern id=\"gap-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" class=\"nodata-bg\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" class=\"nodata-line\"/></pattern></defs>");
            foreach (MonitoringGap gap in report.Gaps.First)
            {
                double x0 = left + ((gap.After.Seconds - rangeStart) * pixelsPerSecond);
                double x1 = left + ((gap.Before.Seconds - rangeStart) * pixelsPerSecond);
                svg.Append(s_invariant, $"<rect class=\"gap\" x=\"{x0:0.##}\" y=\"{top:0.#}\" width=\"{Math.Max(1, x1 - x0):0.##}\" height=\"{plotHeight:0.#}\" fill=\"url(#gap-hatch)\"><title>{HtmlText.Encode($"no rows from {gap.After} to {gap.Before} ({Duration(gap.Seconds)}): the monitor was not running")}</title></rect>");
            }
        }

        foreach ((long key, long[] sums) in bars)
        {
            long total = DropSum(report.Table, sums);
            if (total <= 0)
            {
                continue;
            }

            long start = key * step;
            double x = left + ((start - rangeStart) * pixelsPerSecond);
            var tip = new StringBuilder();
            tip.Append(new LocalTimestamp(start).ToString("yyyy-MM-dd HH:mm:ss")).Append(" + ").Append(Duration(step)).Append('\n');
            svg.Append("<g class=\"bar\">");
            double y = bottom;
            foreach (DropCategory category in report.Table)
            {
                long value = sums[category.Id];
                if (!category.IsDrop || value <= 0)
                {
                    continue;
                }

                double h = value / yMax * plotHeight;
                y -= h;
                svg.Append(s_invariant, $"<rect x=\"{x:0.##}\" y=\"{y:0.##}\" width=\"{barWidth:0.##}\" height=\"{Math.Max(h, 0.5):0.##}\" fill=\"{CategoryPalette.Hex(category)}\"/>");
                tip.Append(category.Column).Append(' ').Append(Count(value)).Append('\n');
            }

            tip.Append("total ").Append(Count(total));
            svg.Append("<title>").Append(HtmlText.Encode(tip.ToString())).Append("</title></g>");
        }

        TimeAxis(svg, rangeStart, rangeEnd, left, plotWidth, bottom);
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>Calendar days down, hours of the day across; colour by drops (log scale), hatched where nothing was recorded.</summary>
    public static string Heatmap(DropReport report, out int daysLeftOut)
    {
        daysLeftOut = 0;
        IReadOnlyList<HeatmapDay> days = report.Heatmap;
        if (days.Count == 0)
        {
            return Empty("chart-heatmap", "No intervals recorded.");
        }

        if (days.Count > MaxHeatmapDays)
        {
            daysLeftOut = days.Count - MaxHeatmapDays;
            days = [.. days.Skip(daysLeftOut)];
        }

        long max = 1;
        foreach (HeatmapDay day in days)
        {
            foreach (long drops in day.Drops)
            {
                max = Math.Max(max, drops);
            }
        }

        const double left = 92, top = 22, cellWidth = 36, cellHeight = 18, gap = 2;
        double width = left + (24 * cellWidth) + 8;
        double height = top + (days.Count * cellHeight) + 8;
        var svg = new StringBuilder(64 * 1024);
        Open(svg, "chart-heatmap", width, height, "Drops per day and hour of day");
        svg.Append("<defs><pattern id=\"nodata\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" class=\"nodata-bg\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" class=\"nodata-line\"/></pattern></defs>");
        for (int hour = 0; hour < 24; hour++)
        {
            svg.Append(s_invariant, $"<text class=\"axis\" x=\"{left + (hour * cellWidth) + (cellWidth / 2):0.#}\" y=\"{top - 8:0.#}\" text-anchor=\"middle\">{hour:00}</text>");
        }

        for (int row = 0; row < days.Count; row++)
        {
            HeatmapDay day = days[row];
            double y = top + (row * cellHeight);
            svg.Append(s_invariant, $"<text class=\"axis\" x=\"{left - 8:0.#}\" y=\"{y + (cellHeight / 2) + 4:0.#}\" text-anchor=\"end\">{day.Date.ToString("ddd MM-dd")}</text>");
            for (int hour = 0; hour < 24; hour++)
            {
                double x = left + (hour * cellWidth);
                long drops = day.Drops[hour];
                int intervals = day.Intervals[hour];
                string fill = intervals == 0 ? "url(#nodata)" : drops <= 0 ? "var(--zero)" : HeatColor(Math.Log(1 + drops) / Math.Log(1 + max));
                string tip = intervals == 0
                    ? $"{day.Date.ToString("yyyy-MM-dd")} {hour:00}:00–{hour:00}:59: nothing recorded"
                    : $"{day.Date.ToString("yyyy-MM-dd")} {hour:00}:00–{hour:00}:59: {Count(drops)} drops, {Count(day.IntervalsWithDrops[hour])} of {Count(intervals)} intervals with drops";
                svg.Append(s_invariant, $"<rect x=\"{x + (gap / 2):0.#}\" y=\"{y + (gap / 2):0.#}\" width=\"{cellWidth - gap:0.#}\" height=\"{cellHeight - gap:0.#}\" rx=\"2\" fill=\"{fill}\"><title>{HtmlText.Encode(tip)}</title></rect>");
            }
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>The heatmap's colour scale as a small legend strip.</summary>
    public static string HeatmapLegend(DropReport report)
    {
        long max = report.Heatmap.SelectMany(d => d.Drops).DefaultIfEmpty(0).Max();
        var svg = new StringBuilder();
        svg.Append("<svg class=\"legend-scale\" viewBox=\"0 0 460 26\" width=\"460\" height=\"26\" role=\"img\" aria-label=\"Heatmap colour scale\">");
        svg.Append("<rect x=\"0\" y=\"4\" width=\"14\" height=\"14\" rx=\"2\" fill=\"url(#nodata)\" class=\"legend-nodata\"/><text class=\"axis\" x=\"19\" y=\"15\">no data</text>");
        svg.Append("<rect x=\"80\" y=\"4\" width=\"14\" height=\"14\" rx=\"2\" fill=\"var(--zero)\"/><text class=\"axis\" x=\"99\" y=\"15\">no drops</text>");
        for (int i = 0; i < 20; i++)
        {
            svg.Append(s_invariant, $"<rect x=\"{170 + (i * 9)}\" y=\"4\" width=\"9\" height=\"14\" fill=\"{HeatColor((i + 1) / 20.0)}\"/>");
        }

        svg.Append(s_invariant, $"<text class=\"axis\" x=\"168\" y=\"26\" text-anchor=\"start\" font-size=\"9\">1</text><text class=\"axis\" x=\"350\" y=\"26\" text-anchor=\"end\" font-size=\"9\">{Compact(max)}</text>");
        svg.Append("<text class=\"axis\" x=\"358\" y=\"15\">drops / hour (log)</text></svg>");
        return svg.ToString();
    }

    /// <summary>Horizontal bars, one per category with drops; pressure signals below in their own group.</summary>
    public static string CategoryBars(DropReport report)
    {
        List<CategoryTotal> drops = [.. report.DropCategories.Where(c => c.Total > 0).OrderByDescending(c => c.Total).ThenBy(c => c.Category.Id)];
        List<CategoryTotal> pressure = [.. report.PressureCategories.Where(c => c.Total > 0).OrderByDescending(c => c.Total).ThenBy(c => c.Category.Id)];
        if (drops.Count == 0 && pressure.Count == 0)
        {
            return Empty("chart-categories", "No category had drops.");
        }

        const double labelWidth = 150, barLeft = 158, barMax = 250, rowHeight = 24, width = 560;
        double height = 10 + ((drops.Count + pressure.Count) * rowHeight) + (pressure.Count > 0 ? 30 : 0);
        long largest = Math.Max(drops.Select(c => c.Total).DefaultIfEmpty(0).Max(), pressure.Select(c => c.Total).DefaultIfEmpty(0).Max());
        var svg = new StringBuilder(8 * 1024);
        Open(svg, "chart-categories", width, height, "Drops by category");
        double y = 6;
        foreach (CategoryTotal total in drops)
        {
            CategoryRow(svg, total, Share(total.Total, report.DropCategorySum), largest, y, labelWidth, barLeft, barMax, rowHeight, pressure: false);
            y += rowHeight;
        }

        if (pressure.Count > 0)
        {
            y += 8;
            svg.Append(s_invariant, $"<text class=\"group\" x=\"0\" y=\"{y + 12:0.#}\">Pressure signals (not drops)</text>");
            y += 22;
            foreach (CategoryTotal total in pressure)
            {
                CategoryRow(svg, total, "", largest, y, labelWidth, barLeft, barMax, rowHeight, pressure: true);
                y += rowHeight;
            }
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>24 vertical bars: drops per hour of the day over the whole report.</summary>
    public static string HourBars(DropReport report)
    {
        const double left = 52, right = 548, top = 12, bottom = 200, width = 560, height = 226;
        (double Top, double Step) scale = NiceScale(report.ByHour.DefaultIfEmpty(0).Max());
        double yMax = scale.Top;
        double slot = (right - left) / 24;
        var svg = new StringBuilder(8 * 1024);
        Open(svg, "chart-by-hour", width, height, "Drops by hour of day");
        YAxis(svg, scale, left, right, top, bottom);
        for (int hour = 0; hour < 24; hour++)
        {
            long drops = report.ByHour[hour];
            double x = left + (hour * slot);
            if (drops > 0)
            {
                double h = Math.Max(1, drops / yMax * (bottom - top));
                svg.Append(s_invariant, $"<rect class=\"hour\" x=\"{x + 2:0.##}\" y=\"{bottom - h:0.##}\" width=\"{slot - 4:0.##}\" height=\"{h:0.##}\" rx=\"2\"><title>{hour:00}:00–{hour:00}:59: {Count(drops)} drops ({Share(drops, report.TotalDrops)})</title></rect>");
            }

            if (hour % 2 == 0)
            {
                svg.Append(s_invariant, $"<text class=\"axis\" x=\"{x + (slot / 2):0.##}\" y=\"{bottom + 16:0.#}\" text-anchor=\"middle\">{hour:00}</text>");
            }
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void CategoryRow(StringBuilder svg, CategoryTotal total, string share, long largest, double y, double labelWidth, double barLeft, double barMax, double rowHeight, bool pressure)
    {
        DropCategory category = total.Category;
        double barWidth = Math.Max(2, total.Total * barMax / (double)Math.Max(1, largest));
        string tip = $"{category.Label} ({category.Column}): {Count(total.Total)}{(pressure ? " events" : " drops")} in {Count(total.IntervalsWithAny)} intervals{(share.Length > 0 ? ", " + share + " of the drops" : "")}";
        svg.Append(s_invariant, $"<g class=\"{(pressure ? "pressure" : "category")}\"><title>{HtmlText.Encode(tip)}</title>");
        svg.Append(s_invariant, $"<text class=\"label\" x=\"{labelWidth:0.#}\" y=\"{y + 15:0.#}\" text-anchor=\"end\">{HtmlText.Encode(category.Column)}</text>");
        svg.Append(s_invariant, $"<rect x=\"{barLeft:0.#}\" y=\"{y + 3:0.#}\" width=\"{barWidth:0.#}\" height=\"{rowHeight - 8:0.#}\" rx=\"3\" fill=\"{CategoryPalette.Hex(category)}\"{(pressure ? " fill-opacity=\"0.55\"" : "")}/>");
        string value = Count(total.Total) + (share.Length > 0 ? "  " + share : "");
        svg.Append(s_invariant, $"<text class=\"value\" x=\"{barLeft + barWidth + 6:0.#}\" y=\"{y + 15:0.#}\">{HtmlText.Encode(value)}</text></g>");
    }

    private static void Open(StringBuilder svg, string id, double width, double height, string label) =>
        svg.Append(s_invariant, $"<svg id=\"{id}\" class=\"chart\" viewBox=\"0 0 {width:0.#} {height:0.#}\" preserveAspectRatio=\"xMinYMin meet\" role=\"img\" aria-label=\"{HtmlText.Encode(label)}\" xmlns=\"http://www.w3.org/2000/svg\">");

    private static string Empty(string id, string message) =>
        $"<svg id=\"{id}\" class=\"chart empty\" viewBox=\"0 0 560 60\" role=\"img\" aria-label=\"{HtmlText.Encode(message)}\" xmlns=\"http://www.w3.org/2000/svg\"><text class=\"axis\" x=\"280\" y=\"34\" text-anchor=\"middle\">{HtmlText.Encode(message)}</text></svg>";

    private static void YAxis(StringBuilder svg, (double Top, double Step) scale, double left, double right, double top, double bottom)
    {
        int ticks = (int)Math.Round(scale.Top / scale.Step);
        for (int i = 0; i <= ticks; i++)
        {
            double value = scale.Step * i;
            double y = bottom - ((bottom - top) * value / scale.Top);
            svg.Append(s_invariant, $"<line class=\"grid\" x1=\"{left:0.#}\" y1=\"{y:0.##}\" x2=\"{right:0.#}\" y2=\"{y:0.##}\"/>");
            svg.Append(s_invariant, $"<text class=\"axis\" x=\"{left - 6:0.#}\" y=\"{y + 4:0.##}\" text-anchor=\"end\">{Compact(value)}</text>");
        }
    }

    private static void TimeAxis(StringBuilder svg, long rangeStart, long rangeEnd, double left, double plotWidth, double bottom)
    {
        long span = rangeEnd - rangeStart;
        long tick = s_tickSteps.FirstOrDefault(s => span / s <= 8);
        if (tick == 0)
        {
            tick = s_tickSteps[^1];
        }

        string format = tick >= 86_400 ? "MM-dd" : span > 86_400 ? "MM-dd HH:mm" : "HH:mm";
        svg.Append(s_invariant, $"<line class=\"axis-line\" x1=\"{left:0.#}\" y1=\"{bottom:0.#}\" x2=\"{left + plotWidth:0.#}\" y2=\"{bottom:0.#}\"/>");
        for (long t = ((rangeStart / tick) + 1) * tick; t < rangeEnd; t += tick)
        {
            double x = left + ((t - rangeStart) * plotWidth / span);
            svg.Append(s_invariant, $"<line class=\"tick\" x1=\"{x:0.##}\" y1=\"{bottom:0.#}\" x2=\"{x:0.##}\" y2=\"{bottom + 5:0.#}\"/>");
            svg.Append(s_invariant, $"<text class=\"axis\" x=\"{x:0.##}\" y=\"{bottom + 20:0.#}\" text-anchor=\"middle\">{new LocalTimestamp(t).ToString(format)}</text>");
        }
    }

    private static long DropSum(DropCategoryTable table, long[] sums)
    {
        long total = 0;
        foreach (DropCategory category in table)
        {
            if (category.IsDrop && sums[category.Id] > 0)
            {
                total += sums[category.Id];
            }
        }

        return total;
    }

    /// <summary>
    /// An axis for values up to <paramref name="max"/>: a "nice" step (1, 2, 2.5 or 5 times a power of ten, never
    /// below 1 since drops are whole) giving about four gridlines, and the top as a whole number of steps.
    /// </summary>
    internal static (double Top, double Step) NiceScale(double max)
    {
        double raw = Math.Max(max, 1) / 4;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = magnitude * 10;
        foreach (double factor in (double[])[1, 2, 2.5, 5])
        {
            if (factor * magnitude >= raw)
            {
                step = factor * magnitude;
                break;
            }
        }

        step = Math.Max(1, step);
        return (Math.Max(step, Math.Ceiling(Math.Max(max, 1) / step) * step), step);
    }

    /// <summary>Light yellow to dark red (a YlOrRd-like ramp) for <paramref name="t"/> in 0..1.</summary>
    private static string HeatColor(double t)
    {
        ReadOnlySpan<(double At, int R, int G, int B)> stops =
        [
            (0.0, 0xff, 0xf0, 0xb3),
            (0.25, 0xfe, 0xc4, 0x4f),
            (0.5, 0xfb, 0x8a, 0x3c),
            (0.75, 0xe3, 0x4a, 0x33),
            (1.0, 0x99, 0x10, 0x1f),
        ];
        t = Math.Clamp(t, 0, 1);
        for (int i = 1; i < stops.Length; i++)
        {
            if (t <= stops[i].At)
            {
                (double a, int r0, int g0, int b0) = stops[i - 1];
                (double b, int r1, int g1, int b1) = stops[i];
                double f = (t - a) / (b - a);
                return string.Create(s_invariant, $"#{(int)(r0 + ((r1 - r0) * f)):x2}{(int)(g0 + ((g1 - g0) * f)):x2}{(int)(b0 + ((b1 - b0) * f)):x2}");
            }
        }

        return "#99101f";
    }
}
