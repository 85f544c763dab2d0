using System.Globalization;
using System.Text;
using NetDrop.Model;
using Spectre.Console;
using Spectre.Console.Rendering;
using static NetDrop.Analysis.ReportFormatting;

namespace NetDrop.Analysis;

/// <summary>
/// The terminal report: the seed's sections in the seed's order (totals, category breakdown, worst intervals, drops
/// by hour, last intervals), with NetDrop's findings and episodes added, as tables and bar charts (Spectre.Console).
/// Colours only when asked (a terminal without <c>NO_COLOR</c>); the same layout in plain text otherwise.
/// </summary>
internal static class TextReportRenderer
{
    public const int DefaultWidth = 110;

    private const int BarWidth = 24;

    private static readonly Style s_heading = new(decoration: Decoration.Bold);
    private static readonly Style s_dim = new(foreground: Color.Grey);

    /// <param name="color">ANSI colours; false for files, pipes and <c>NO_COLOR</c>.</param>
    /// <param name="width">Columns to lay out for; a terminal's own width when it has one.</param>
    public static void Render(DropReport report, TextWriter output, bool color, int width = DefaultWidth)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = color ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = color ? ColorSystemSupport.TrueColor : ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(output),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = Math.Max(60, width);
        console.Profile.Capabilities.Unicode = true;
        console.Profile.Capabilities.Links = false;

        WriteTitle(console, report);
        WriteSummary(console, report);
        WriteFindings(console, report);
        if (report.Intervals > 0)
        {
            WriteCategories(console, report);
            WriteEpisodes(console, report);
            WriteTop(console, report);
            WriteByHour(console, report);
            WriteLatest(console, report);
            WriteInterfaces(console, report);
        }

        WriteMalformed(console, report);
        WriteNotes(console, report);
    }

    /// <summary>
    /// Renders a throw-away report to nowhere. Under the JIT (not Native AOT) compiling Spectre.Console's rendering
    /// costs more than analysing a month of rows, so the command runs this on another core while it reads the log.
    /// </summary>
    public static void WarmUp()
    {
        var files = new List<InputFileSummary> { new("warm-up", CsvInputLayout.NetDropHeader, false, 1, null, null) };
        var empty = new DropReport(
            files, ReportFilter.None, 1, 1, 1, 1,
            [new CategoryTotal(DropCategories.Softirq, 1, 1, 0), new CategoryTotal(DropCategories.TcpCollapsed, 1, 1, 0)],
            new SeverityCounts(0, 1, 0, 0), new long[24],
            [new IntervalRecord(default, "eth0", 1, IntervalSeverity.Warn, [new CategoryAmount(DropCategories.Softirq, 1)], "warm-up", 2)],
            [], new EpisodeSummary(0, [], null), new GapSummary(0, []), [], new TimelineSeries(1, []), [], null, null, 0, 0, [], ["warm-up"], 1, 1);
        Render(empty, TextWriter.Null, color: true);
    }

    private static void WriteTitle(IAnsiConsole console, DropReport report)
    {
        console.Write(new Rule("[bold]NetDrop drop analysis[/]") { Justification = Justify.Left });
        foreach (InputFileSummary file in report.Files)
        {
            string compressed = file.Compressed ? ", gzip" : "";
            console.Write(new Text($"  {file.Path}  ({Layout(file.Layout)}{compressed}, {Count(file.Rows)} rows)", s_dim));
            console.WriteLine();
        }

        if (!report.Filter.IsEmpty)
        {
            var parts = new List<string>();
            if (report.Filter.Since is { } since)
            {
                parts.Add($"since {since}");
            }

            if (report.Filter.Until is { } until)
            {
                parts.Add($"until {until}");
            }

            if (report.Filter.Interfaces.Count > 0)
            {
                parts.Add("interface " + string.Join(", ", report.Filter.Interfaces));
            }

            console.Write(new Text("  Filter: " + string.Join("; ", parts), s_dim));
            console.WriteLine();
        }

        console.WriteLine();
    }

    private static void WriteSummary(IAnsiConsole console, DropReport report)
    {
        Grid grid = new Grid().AddColumn(new GridColumn().PadLeft(2).PadRight(3).NoWrap()).AddColumn(new GridColumn());
        grid.AddRow(new Text("Total intervals monitored"), new Text(Count(report.Intervals), s_heading));
        grid.AddRow(new Text("Intervals with drops"), new Text($"{Count(report.IntervalsWithDrops)} ({Percent(report.PercentWithDrops)})", s_heading));
        grid.AddRow(new Text("Time span"), new Text(Span(report.FirstTimestamp, report.LastTimestamp)));
        grid.AddRow(new Text("Severity"), SeverityLine(report.Severity));
        grid.AddRow(new Text("Total drops"), new Paragraph().Append(Count(report.TotalDrops), s_heading).Append(" (sum of the total_drops column)", s_dim));
        if (report.Intervals > 0)
        {
            string longest = report.Episodes.Longest is { } l ? $" (longest {Duration(l.DurationSeconds)})" : "";
            grid.AddRow(new Text("Drop episodes"), new Text(Count(report.Episodes.Count) + longest));
        }

        console.Write(grid);
        console.WriteLine();
    }

    private static Paragraph SeverityLine(SeverityCounts severity)
    {
        // Paragraphs of styled text rather than Markup: no markup parsing, nothing in a name can be taken for a tag.
        var line = new Paragraph()
            .Append($"CRIT {Count(severity.Crit)}", new Style(Color.Red))
            .Append(" · ")
            .Append($"WARN {Count(severity.Warn)}", new Style(Color.Yellow))
            .Append(" · ")
            .Append($"OK {Count(severity.Ok)}", new Style(Color.Green));
        if (severity.Other > 0)
        {
            line.Append($" · other {Count(severity.Other)}");
        }

        return line;
    }

    private static void WriteFindings(IAnsiConsole console, DropReport report)
    {
        Heading(console, "Findings");
        Grid grid = new Grid().AddColumn(new GridColumn().PadLeft(2).PadRight(2).NoWrap()).AddColumn(new GridColumn());
        foreach (ReportFinding finding in ReportFindings.For(report))
        {
            grid.AddRow(new Text(finding.Label, s_heading), new Text(finding.Text));
        }

        console.Write(grid);
        console.WriteLine();
    }

    private static void WriteCategories(IAnsiConsole console, DropReport report)
    {
        Heading(console, "Total drops by category");
        Table table = NewTable("Category", "Column", "Drops", "Share", "Intervals", "");
        NoWrap(table, 0, 1, 5);
        long whole = report.DropCategorySum;
        long largest = report.DropCategories.Select(c => c.Total).DefaultIfEmpty(0).Max();
        foreach (CategoryTotal total in report.DropCategories)
        {
            table.AddRow(
                new Text(total.Category.Label),
                new Text(total.Category.Column, s_dim),
                new Text(Count(total.Total)),
                new Text(Share(total.Total, whole)),
                new Text(Count(total.IntervalsWithAny)),
                Bar(total.Total, largest, CategoryColor(total.Category)));
        }

        table.AddEmptyRow();
        table.AddRow(new Text("All drop categories", s_heading), new Text(""), new Text(Count(whole), s_heading), new Text(""), new Text(""), new Text(""));
        table.AddRow(new Text("total_drops column", s_heading), new Text(""), new Text(Count(report.TotalDrops), s_heading), new Text(""), new Text(""), new Text(""));

        List<CategoryTotal> pressure = [.. report.PressureCategories];
        if (pressure.Count > 0)
        {
            table.AddEmptyRow();
            table.AddRow(new Text("Pressure (not drops)", s_dim), new Text(""), new Text(""), new Text(""), new Text(""), new Text(""));
            foreach (CategoryTotal total in pressure)
            {
                table.AddRow(
                    new Text(total.Category.Label.Replace(" (pressure)", "", StringComparison.Ordinal), s_dim),
                    new Text(total.Category.Column, s_dim),
                    new Text(Count(total.Total), s_dim),
                    new Text(""),
                    new Text(Count(total.IntervalsWithAny), s_dim),
                    Bar(total.Total, Math.Max(largest, total.Total), Color.Grey));
            }
        }

        console.Write(table);
        console.WriteLine();
    }

    private static void WriteEpisodes(IAnsiConsole console, DropReport report)
    {
        EpisodeSummary episodes = report.Episodes;
        if (episodes.Worst.Count == 0)
        {
            return;
        }

        Heading(console, $"Worst drop episodes ({episodes.Worst.Count} of {Count(episodes.Count)})");
        bool severalInterfaces = report.Interfaces.Count > 1;
        Table table = severalInterfaces
            ? NewTable("#", "When", "Duration", "Drops", "Peak", "Categories (dominant first)", "Interface")
            : NewTable("#", "When", "Duration", "Drops", "Peak", "Categories (dominant first)");
        NoWrap(table, 1, 2, 3, 4);
        int rank = 1;
        foreach (DropEpisode episode in episodes.Worst)
        {
            var cells = new List<IRenderable>
            {
                new Text(rank++.ToString(CultureInfo.InvariantCulture)),
                new Text($"{episode.Start} → {episode.End.ToString("HH:mm:ss")}{(episode.Ongoing ? " (ongoing)" : "")}"),
                new Text(Duration(episode.DurationSeconds)),
                new Text(Count(episode.TotalDrops), s_heading),
                new Text($"{Count(episode.Peak)} at {episode.PeakAt.ToString("HH:mm:ss")}"),
                EpisodeCategories(episode),
            };
            if (severalInterfaces)
            {
                cells.Add(new Text(episode.Interface));
            }

            table.AddRow(cells);
        }

        console.Write(table);
        console.WriteLine();
    }

    private static void WriteTop(IAnsiConsole console, DropReport report)
    {
        if (report.TopLimit == 0)
        {
            return;
        }

        Heading(console, $"Top {report.TopLimit} worst intervals");
        if (report.Top.Count == 0)
        {
            console.Write(new Text("  No interval had drops.", s_dim));
            console.WriteLine();
            console.WriteLine();
            return;
        }

        console.Write(IntervalTable(report.Top, ranked: true));
        console.WriteLine();
    }

    private static void WriteByHour(IAnsiConsole console, DropReport report)
    {
        Heading(console, "Drops by hour of day");
        Table table = NewTable("Hour", "Drops", "Share", "");
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
                new Text(string.Create(CultureInfo.InvariantCulture, $"{hour:00}:00")),
                new Text(Count(drops)),
                new Text(Share(drops, report.TotalDrops)),
                Bar(drops, largest, Color.Orange3));
        }

        if (quiet > 0)
        {
            table.Caption = new TableTitle(quiet == 24 ? "no hour had drops" : $"the other {quiet} hours had no drops", s_dim);
        }

        console.Write(table);
        console.WriteLine();
    }

    private static void WriteLatest(IAnsiConsole console, DropReport report)
    {
        if (report.LastLimit == 0 || report.Latest.Count == 0)
        {
            return;
        }

        Heading(console, $"Last {report.Latest.Count} intervals");
        console.Write(IntervalTable(report.Latest, ranked: false));
        console.WriteLine();
    }

    private static void WriteInterfaces(IAnsiConsole console, DropReport report)
    {
        if (report.Interfaces.Count < 2)
        {
            return;
        }

        Heading(console, "Interfaces");
        Table table = NewTable("Interface", "Intervals", "With drops", "Drops", "Share");
        foreach (InterfaceSummary summary in report.Interfaces.OrderByDescending(i => i.TotalDrops).ThenBy(i => i.Name, StringComparer.Ordinal))
        {
            table.AddRow(summary.Name, Count(summary.Intervals), Count(summary.IntervalsWithDrops), Count(summary.TotalDrops), Share(summary.TotalDrops, report.TotalDrops));
        }

        console.Write(table);
        console.WriteLine();
    }

    private static void WriteMalformed(IAnsiConsole console, DropReport report)
    {
        if (report.MalformedLines == 0)
        {
            return;
        }

        string shown = report.MalformedExamples.Count < report.MalformedLines ? $", first {report.MalformedExamples.Count} shown" : "";
        Heading(console, $"Malformed lines skipped: {Count(report.MalformedLines)}{shown}");
        foreach (MalformedLine line in report.MalformedExamples)
        {
            console.Write(new Text(string.Create(CultureInfo.InvariantCulture, $"  {line.File}:{line.Line}: {line.Reason}"), new Style(Color.Yellow)));
            console.WriteLine();
        }

        console.WriteLine();
    }

    private static void WriteNotes(IAnsiConsole console, DropReport report)
    {
        if (report.Notes.Count == 0)
        {
            return;
        }

        Heading(console, "Notes");
        Grid grid = new Grid().AddColumn(new GridColumn().PadLeft(2).PadRight(1).NoWrap()).AddColumn(new GridColumn());
        foreach (string note in report.Notes)
        {
            grid.AddRow(new Text("•"), new Text(note));
        }

        console.Write(grid);
        console.WriteLine();
    }

    /// <summary>The drop categories of an episode, dominant first, in their colours; pressure is left to the other formats.</summary>
    private static Paragraph EpisodeCategories(DropEpisode episode)
    {
        var line = new Paragraph();
        bool first = true;
        foreach (CategoryAmount amount in episode.Categories)
        {
            if (amount.Category.IsDrop)
            {
                line.Append(first ? "" : ", ").Append(amount.Category.Column, new Style(CategoryColor(amount.Category))).Append(" " + Count(amount.Amount));
                first = false;
            }
        }

        return line;
    }

    private static void NoWrap(Table table, params int[] columns)
    {
        foreach (int column in columns)
        {
            table.Columns[column].NoWrap();
        }
    }

    private static Table IntervalTable(IReadOnlyList<IntervalRecord> records, bool ranked)
    {
        Table table = ranked
            ? NewTable("#", "Timestamp", "Interface", "Drops", "Severity", "What dropped")
            : NewTable("Timestamp", "Interface", "Drops", "Severity", "What dropped");
        NoWrap(table, ranked ? 1 : 0);
        int rank = 1;
        foreach (IntervalRecord record in records)
        {
            var cells = new List<IRenderable>();
            if (ranked)
            {
                cells.Add(new Text(rank++.ToString(CultureInfo.InvariantCulture)));
            }

            cells.Add(new Text(record.Timestamp.ToString()));
            cells.Add(new Text(record.Interface));
            cells.Add(new Text(Count(record.TotalDrops), record.TotalDrops > 0 ? s_heading : s_dim));
            cells.Add(new Text(Severity(record.Severity), SeverityStyle(record.Severity)));
            cells.Add(new Text(WhatDropped(record.Categories)));
            table.AddRow(cells);
        }

        return table;
    }

    private static Table NewTable(params string[] headers)
    {
        var table = new Table { Border = TableBorder.Rounded };
        table.BorderStyle = s_dim;
        foreach (string header in headers)
        {
            var column = new TableColumn(new Text(header, s_heading));
            if (header is "Drops" or "Share" or "Intervals" or "With drops" or "#" or "Peak")
            {
                column.RightAligned();
            }

            table.AddColumn(column);
        }

        return table;
    }

    private static void Heading(IAnsiConsole console, string text)
    {
        console.Write(new Text(text, s_heading));
        console.WriteLine();
    }

    private static Style SeverityStyle(IntervalSeverity severity) => severity switch
    {
        IntervalSeverity.Crit => new Style(Color.Red, decoration: Decoration.Bold),
        IntervalSeverity.Warn => new Style(Color.Yellow),
        IntervalSeverity.Ok => new Style(Color.Green),
        _ => Style.Plain,
    };

    private static Color CategoryColor(DropCategory category)
    {
        (byte red, byte green, byte blue) = CategoryPalette.Rgb(category);
        return new Color(red, green, blue);
    }

    /// <summary>A bar of <see cref="BarWidth"/> cells at most, in eighths of a cell so small values still show.</summary>
    private static Text Bar(long value, long largest, Color color)
    {
        if (value <= 0 || largest <= 0)
        {
            return new Text("");
        }

        long eighths = Math.Max(1, value * BarWidth * 8 / largest);
        var bar = new StringBuilder();
        bar.Append('█', (int)(eighths / 8));
        int rest = (int)(eighths % 8);
        if (rest > 0)
        {
            bar.Append("▏▎▍▌▋▊▉"[rest - 1]);
        }

        return new Text(bar.ToString(), new Style(color));
    }
}
