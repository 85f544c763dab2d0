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

        writer.Line($"Drop reasons (detail CSV): {Count(reasons.LossTotal)} packets lost for {Count(reasons.LossReasons)} reasons", TerminalStyle.Bold);
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
            writer.Line($"Kept apart from the drops: {Count(reasons.KeptApartReasons)} reasons", TerminalStyle.Bold);
            writer.Wrapped(ReasonSummary.KeptApartNote, "  ", "  ", TerminalStyle.Dim);
            writer.Table(ReasonTable(reasons.KeptApart, withOwner: false, withKind: true, null));
        }

        // Per namespace only when some row named one: otherwise it repeats the lists above.
        if (reasons.ByOwner.Any(share => share.Owner is not null))
        {
            writer.Line($"Drop reasons by network namespace: top {reasons.ByOwner.Count} of {Count(reasons.OwnerSeries)} in {Count(reasons.Owners)} namespaces", TerminalStyle.Bold);
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

        table.AddColumn("Reason", wrap: true);
        if (withKind)
        {
            table.AddColumn("Kind");
        }

        table.AddColumn("Total", rightAligned: true).AddColumn("Intervals", rightAligned: true)
            .AddColumn("First seen").AddColumn("Last seen").AddColumn("Peak", rightAligned: true).AddColumn("Peak at");
        foreach (ReasonTotal total in totals)
        {
            var cells = new List<TerminalTable.Cell>();
            if (withOwner)
            {
                cells.Add(ReasonSummary.OwnerText(total.Owner));
            }

            cells.Add(total.Reason);
            if (withKind)
            {
                cells.Add(DetailReasonKinds.CellOf(total.Kind));
            }

            cells.AddRange([Count(total.Total), Count(total.Intervals), total.FirstSeen.ToString(), total.LastSeen.ToString(), Count(total.Peak), total.PeakAt.ToString()]);
            table.AddRow([.. cells]);
        }

        return table;
    }
}
