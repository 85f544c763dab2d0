using static NetDrop.Analysis.ReportFormatting;

namespace NetDrop.Analysis;

// The terminal report's drop-reason section: the loss reasons, then what is kept apart from them, then who (which
// namespace) lost packets why; each with its first and last interval and its peak. Beside the category totals.
internal static partial class TextReportRenderer
{
    private static void WriteReasons(TextReportWriter writer, DropReport report)
    {
        if (report.Detail?.Reasons is not { } reasons)
        {
            return;
        }

        writer.Line($"Drop reasons (detail CSV): {reasons.LossHeadline}", TerminalStyle.Bold);
        writer.Wrapped(ReasonSummary.BesideTheCounters, "  ", "  ", TerminalStyle.Dim);
        if (reasons.Loss.Count > 0)
        {
            writer.Table(ReasonTable(reasons.Loss, withOwner: false, withKind: false, $"  top {reasons.Loss.Count} of {reasons.LossReasons} loss reasons"));
        }
        else
        {
            writer.Line("  no loss reason in these intervals");
            writer.Line();
        }

        if (reasons.KeptApart.Count > 0)
        {
            writer.Line(reasons.KeptApartHeadline, TerminalStyle.Bold);
            writer.Wrapped(ReasonSummary.KeptApartNote, "  ", "  ", TerminalStyle.Dim);
            writer.Table(ReasonTable(reasons.KeptApart, withOwner: false, withKind: true, null));
        }

        // Per namespace only when some row named one: otherwise it repeats the lists above.
        if (reasons.ByOwner.Any(share => share.Owner is not null))
        {
            writer.Line($"By network namespace: {reasons.ByOwnerHeadline}", TerminalStyle.Bold);
            writer.Table(ReasonTable(reasons.ByOwner, withOwner: true, withKind: true, null));
        }
    }

    private static TerminalTable ReasonTable(IReadOnlyList<ReasonTotal> totals, bool withOwner, bool withKind, string? caption)
    {
        var table = new TerminalTable { Caption = caption };
        if (withOwner)
        {
            table.AddColumn("Namespace", wrap: true);
        }

        // Per namespace, a pod uid takes 36 columns: the kind goes beside a kept-apart reason's name, and "seen" is
        // left to the lists above, so the table fits 110 columns.
        table.AddColumn("Reason", wrap: true);
        if (withKind && !withOwner)
        {
            table.AddColumn("Kind");
        }

        table.AddColumn("Total", rightAligned: true).AddColumn("Intervals", rightAligned: true);
        if (!withOwner)
        {
            table.AddColumn("Seen");
        }

        table.AddColumn("Peak interval");
        foreach (ReasonTotal total in totals)
        {
            var cells = new List<TerminalTable.Cell>();
            if (withOwner)
            {
                cells.Add(ReasonSummary.OwnerText(total.Owner));
            }

            cells.Add(withOwner && total.Kind != DetailReasonKind.Loss ? $"{total.Reason} ({DetailReasonKinds.CellOf(total.Kind)})" : total.Reason);
            if (withKind && !withOwner)
            {
                cells.Add(DetailReasonKinds.CellOf(total.Kind));
            }

            cells.AddRange([Count(total.Total), Count(total.Intervals)]);
            if (!withOwner)
            {
                cells.Add(total.LastSeen == total.FirstSeen ? total.FirstSeen.ToString() : $"{total.FirstSeen} → {SameDayShort(total.LastSeen, total.FirstSeen)}");
            }

            cells.Add($"{Count(total.Peak)} at {SameDayShort(total.PeakAt, total.FirstSeen)}");
            table.AddRow([.. cells]);
        }

        return table;
    }

    // The time of day alone when on the first interval's day: the table fits the terminal without wrapping names.
    private static string SameDayShort(LocalTimestamp timestamp, LocalTimestamp first) =>
        timestamp.Day == first.Day ? timestamp.ToString("HH:mm:ss") : timestamp.ToString();
}
