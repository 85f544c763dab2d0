using System.Globalization;
using System.Text;
using static NetDrop.Analysis.ReportFormatting;
using Cell = NetDrop.Analysis.TerminalTable.Cell;

namespace NetDrop.Analysis;

/// <summary>
/// The terminal report: the seed's sections in the seed's order (totals, category breakdown, worst intervals, drops
/// by hour, last intervals), with NetDrop's findings and episodes added, as box-drawn tables and bar charts.
/// Colours only when asked (a terminal without <c>NO_COLOR</c>); the same layout in plain text otherwise.
/// </summary>
internal static partial class TextReportRenderer
{
    public const int DefaultWidth = 110;

    private const int BarWidth = 24;
    internal const string Reset = "\u001b[0m";

    /// <param name="color">ANSI colours; false for files, pipes and <c>NO_COLOR</c>.</param>
    /// <param name="width">Columns to lay out for; a terminal's own width when it has one.</param>
    public static void Render(DropReport report, TextWriter output, bool color, int width = DefaultWidth)
    {
        var writer = new TextReportWriter(output, color, Math.Max(60, width));
        WriteTitle(writer, report);
        WriteSummary(writer, report);
        WriteFindings(writer, report);
        if (report.Intervals > 0)
        {
            WriteCategories(writer, report);
            WriteEpisodes(writer, report);
            WriteTop(writer, report);
            WriteByHour(writer, report);
            WriteLatest(writer, report);
            WriteInterfaces(writer, report);
        }

        WriteDetail(writer, report);
        WriteReasons(writer, report);
        WriteMalformed(writer, report);
        WriteNotes(writer, report);
    }

    private static void WriteTitle(TextReportWriter writer, DropReport report)
    {
        const string title = "── NetDrop drop analysis ";
        writer.Line(title + new string('─', Math.Max(0, writer.Width - title.Length)), TerminalStyle.Bold);
        foreach (InputFileSummary file in report.Files)
        {
            string compressed = file.Compressed ? ", gzip" : "";
            writer.Line($"  {file.Path}  ({Layout(file.Layout)}{compressed}, {Count(file.Rows)} rows)", TerminalStyle.Dim);
        }

        if (!report.Filter.IsEmpty)
        {
            writer.Line("  Filter: " + MarkdownReportRenderer.FilterText(report.Filter), TerminalStyle.Dim);
        }

        writer.Line();
    }

    private static void WriteSummary(TextReportWriter writer, DropReport report)
    {
        var rows = new List<(string, string, TerminalStyle)>
        {
            ("Total intervals monitored", Count(report.Intervals), TerminalStyle.Bold),
            ("Intervals with drops", $"{Count(report.IntervalsWithDrops)} ({Percent(report.PercentWithDrops)})", TerminalStyle.Bold),
            ("Time span", Span(report.FirstTimestamp, report.LastTimestamp), TerminalStyle.None),
            ("Severity", SeverityLine(report.Severity, color: false), TerminalStyle.None),
            ("Total drops", $"{Count(report.TotalDrops)} (sum of the total_drops column)", TerminalStyle.Bold),
        };
        if (report.Intervals > 0)
        {
            string longest = report.Episodes.Longest is { } l ? $" (longest {Duration(l.DurationSeconds)})" : "";
            rows.Add(("Drop episodes", Count(report.Episodes.Count) + longest, TerminalStyle.None));
        }

        writer.KeyValues(rows, coloredValues: new Dictionary<string, string> { ["Severity"] = SeverityLine(report.Severity, color: true) });
        writer.Line();
    }

    private static string SeverityLine(SeverityCounts severity, bool color)
    {
        string Paint(string text, TerminalStyle style) => color ? style.Start + text + Reset : text;
        return $"{Paint("CRIT " + Count(severity.Crit), TerminalStyle.Red)} · {Paint("WARN " + Count(severity.Warn), TerminalStyle.Yellow)} · {Paint("OK " + Count(severity.Ok), TerminalStyle.Green)}"
            + (severity.Other > 0 ? $" · other {Count(severity.Other)}" : "");
    }

    private static void WriteFindings(TextReportWriter writer, DropReport report)
    {
        writer.Line("Findings", TerminalStyle.Bold);
        writer.KeyValues([.. ReportFindings.For(report).Select(f => (f.Label, f.Text, TerminalStyle.None))], boldKeys: true);
        writer.Line();
    }

    private static void WriteCategories(TextReportWriter writer, DropReport report)
    {
        writer.Line("Total drops by category", TerminalStyle.Bold);
        TerminalTable table = new TerminalTable()
            .AddColumn("Category", wrap: true).AddColumn("Column").AddColumn("Drops", rightAligned: true)
            .AddColumn("Share", rightAligned: true).AddColumn("Intervals", rightAligned: true).AddColumn("");
        long whole = report.DropCategorySum;
        long largest = report.DropCategories.Select(c => c.Total).DefaultIfEmpty(0).Max();
        foreach (CategoryTotal total in report.DropCategories)
        {
            table.AddRow(
                total.Category.Label,
                new Cell(total.Category.Column, TerminalStyle.Dim),
                Count(total.Total),
                Share(total.Total, whole),
                Count(total.IntervalsWithAny),
                new Cell(Bar(total.Total, largest), TerminalStyle.Of(total.Category)));
        }

        table.AddEmptyRow();
        table.AddRow(new Cell("All drop categories", TerminalStyle.Bold), "", new Cell(Count(whole), TerminalStyle.Bold), "", "", "");
        table.AddRow(new Cell("total_drops column", TerminalStyle.Bold), "", new Cell(Count(report.TotalDrops), TerminalStyle.Bold), "", "", "");

        List<CategoryTotal> pressure = [.. report.PressureCategories];
        if (pressure.Count > 0)
        {
            table.AddEmptyRow();
            table.AddRow(new Cell("Pressure (not drops)", TerminalStyle.Dim), "", "", "", "", "");
            foreach (CategoryTotal total in pressure)
            {
                table.AddRow(
                    new Cell(total.Category.Label.Replace(" (pressure)", "", StringComparison.Ordinal), TerminalStyle.Dim),
                    new Cell(total.Category.Column, TerminalStyle.Dim),
                    new Cell(Count(total.Total), TerminalStyle.Dim),
                    "",
                    new Cell(Count(total.IntervalsWithAny), TerminalStyle.Dim),
                    new Cell(Bar(total.Total, Math.Max(largest, total.Total)), TerminalStyle.Dim));
            }
        }

        writer.Table(table);
    }

    private static void WriteEpisodes(TextReportWriter writer, DropReport report)
    {
        EpisodeSummary episodes = report.Episodes;
        if (episodes.Worst.Count == 0)
        {
            return;
        }

        writer.Line($"Worst drop episodes ({episodes.Worst.Count} of {Count(episodes.Count)})", TerminalStyle.Bold);
        bool severalInterfaces = report.Interfaces.Count > 1;
        TerminalTable table = new TerminalTable()
            .AddColumn("#", rightAligned: true).AddColumn("When").AddColumn("Duration").AddColumn("Drops", rightAligned: true)
            .AddColumn("Peak", rightAligned: true).AddColumn("Categories (dominant first)", wrap: true);
        if (severalInterfaces)
        {
            table.AddColumn("Interface", wrap: true);
        }

        int rank = 1;
        foreach (DropEpisode episode in episodes.Worst)
        {
            string categories = string.Join(", ", episode.Categories.Where(c => c.Category.IsDrop).Select(c => $"{c.Category.Column} {Count(c.Amount)}"));
            var cells = new List<Cell>
            {
                rank++.ToString(CultureInfo.InvariantCulture),
                $"{episode.Start} → {episode.End.ToString("HH:mm:ss")}{(episode.Ongoing ? " (ongoing)" : "")}",
                Duration(episode.DurationSeconds),
                new Cell(Count(episode.TotalDrops), TerminalStyle.Bold),
                $"{Count(episode.Peak)} at {episode.PeakAt.ToString("HH:mm:ss")}",
                new Cell(categories, episode.Dominant is { } dominant ? TerminalStyle.Of(dominant) : TerminalStyle.None),
            };
            if (severalInterfaces)
            {
                cells.Add(episode.Interface);
            }

            table.AddRow([.. cells]);
        }

        writer.Table(table);
    }

    private static void WriteTop(TextReportWriter writer, DropReport report)
    {
        if (report.TopLimit == 0)
        {
            return;
        }

        writer.Line($"Top {report.TopLimit} worst intervals", TerminalStyle.Bold);
        if (report.Top.Count == 0)
        {
            writer.Line("  No interval had drops.", TerminalStyle.Dim);
            writer.Line();
            return;
        }

        writer.Table(IntervalTable(report.Top, ranked: true));
    }

    private static void WriteByHour(TextReportWriter writer, DropReport report)
    {
        writer.Line("Drops by hour of day", TerminalStyle.Bold);
        TerminalTable table = new TerminalTable()
            .AddColumn("Hour").AddColumn("Drops", rightAligned: true).AddColumn("Share", rightAligned: true).AddColumn("");
        long largest = report.ByHour.DefaultIfEmpty(0).Max();
        int quiet = 0;
        for (int hour = 0; hour < report.ByHour.Count; hour++)
        {
            long drops = report.ByHour[hour];
            if (drops == 0)
            {
                quiet++;
                continue;
            }

            table.AddRow(
                string.Create(CultureInfo.InvariantCulture, $"{hour:00}:00"),
                Count(drops),
                Share(drops, report.TotalDrops),
                new Cell(Bar(drops, largest), TerminalStyle.Rgb((0xf2, 0x8e, 0x2b))));
        }

        if (quiet > 0)
        {
            table.Caption = quiet == 24 ? "  no hour had drops" : $"  the other {quiet} hours had no drops";
        }

        writer.Table(table);
    }

    private static void WriteLatest(TextReportWriter writer, DropReport report)
    {
        if (report.LastLimit == 0 || report.Latest.Count == 0)
        {
            return;
        }

        writer.Line($"Last {report.Latest.Count} intervals", TerminalStyle.Bold);
        writer.Table(IntervalTable(report.Latest, ranked: false));
    }

    private static void WriteInterfaces(TextReportWriter writer, DropReport report)
    {
        if (report.Interfaces.Count < 2)
        {
            return;
        }

        writer.Line("Interfaces", TerminalStyle.Bold);
        TerminalTable table = new TerminalTable()
            .AddColumn("Interface", wrap: true).AddColumn("Intervals", rightAligned: true).AddColumn("With drops", rightAligned: true)
            .AddColumn("Drops", rightAligned: true).AddColumn("Share", rightAligned: true);
        foreach (InterfaceSummary summary in report.Interfaces.OrderByDescending(i => i.TotalDrops).ThenBy(i => i.Name, StringComparer.Ordinal))
        {
            table.AddRow(summary.Name, Count(summary.Intervals), Count(summary.IntervalsWithDrops), Count(summary.TotalDrops), Share(summary.TotalDrops, report.TotalDrops));
        }

        writer.Table(table);
    }

    private static void WriteDetail(TextReportWriter writer, DropReport report)
    {
        if (report.Detail is not { } detail)
        {
            return;
        }

        foreach (DetailScopeTop scope in detail.Scopes)
        {
            writer.Line($"Top {scope.Top.Count} of {scope.Series} {scope.Scope} series (detail CSV)", TerminalStyle.Bold);
            TerminalTable table = new TerminalTable().AddColumn(Capitalized(scope.Scope), wrap: true).AddColumn("Category").AddColumn("Total", rightAligned: true);
            foreach (DetailTotal total in scope.Top)
            {
                table.AddRow(total.Key, total.Category, Count(total.Total));
            }

            writer.Table(table);
        }
    }

    private static string Capitalized(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];

    private static void WriteMalformed(TextReportWriter writer, DropReport report)
    {
        if (report.MalformedLines == 0)
        {
            return;
        }

        string shown = report.MalformedExamples.Count < report.MalformedLines ? $", first {report.MalformedExamples.Count} shown" : "";
        writer.Line($"Malformed lines skipped: {Count(report.MalformedLines)}{shown}", TerminalStyle.Bold);
        foreach (MalformedLine line in report.MalformedExamples)
        {
            writer.Wrapped(string.Create(CultureInfo.InvariantCulture, $"{line.File}:{line.Line}: {line.Reason}"), "  ", "    ", TerminalStyle.Yellow);
        }

        writer.Line();
    }

    private static void WriteNotes(TextReportWriter writer, DropReport report)
    {
        if (report.Notes.Count == 0)
        {
            return;
        }

        writer.Line("Notes", TerminalStyle.Bold);
        foreach (string note in report.Notes)
        {
            writer.Wrapped(note, "  • ", "    ", TerminalStyle.None);
        }

        writer.Line();
    }

    private static TerminalTable IntervalTable(IReadOnlyList<IntervalRecord> records, bool ranked)
    {
        var table = new TerminalTable();
        if (ranked)
        {
            table.AddColumn("#", rightAligned: true);
        }

        table.AddColumn("Timestamp").AddColumn("Interface", wrap: true).AddColumn("Drops", rightAligned: true)
            .AddColumn("Severity").AddColumn("What dropped", wrap: true);
        int rank = 1;
        foreach (IntervalRecord record in records)
        {
            var cells = new List<Cell>();
            if (ranked)
            {
                cells.Add(rank++.ToString(CultureInfo.InvariantCulture));
            }

            cells.Add(record.Timestamp.ToString());
            cells.Add(record.Interface);
            cells.Add(new Cell(Count(record.TotalDrops), record.TotalDrops > 0 ? TerminalStyle.Bold : TerminalStyle.Dim));
            cells.Add(new Cell(Severity(record.Severity), TerminalStyle.Of(record.Severity)));
            cells.Add(WhatDropped(record.Categories));
            table.AddRow([.. cells]);
        }

        return table;
    }

    /// <summary>A bar of <see cref="BarWidth"/> cells at most, in eighths of a cell so small values still show.</summary>
    private static string Bar(long value, long largest)
    {
        if (value <= 0 || largest <= 0)
        {
            return "";
        }

        long eighths = Math.Max(1, value * BarWidth * 8 / largest);
        var bar = new StringBuilder();
        bar.Append('█', (int)(eighths / 8));
        int rest = (int)(eighths % 8);
        if (rest > 0)
        {
            bar.Append("▏▎▍▌▋▊▉"[rest - 1]);
        }

        return bar.ToString();
    }
}
