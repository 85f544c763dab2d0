using System.Globalization;
using System.Text;
using static NetDrop.Analysis.ReportFormatting;

namespace NetDrop.Analysis;

// The Markdown report's drop-reason section, in the terminal report's order and words.
internal static partial class MarkdownReportRenderer
{
    private static void WriteReasons(StringBuilder md, DropReport report)
    {
        if (report.Detail?.Reasons is not { } reasons)
        {
            return;
        }

        md.Append(CultureInfo.InvariantCulture, $"## Drop reasons (detail CSV): {reasons.LossHeadline}\n\n");
        md.Append(Inline(ReasonSummary.BesideTheCounters)).Append("\n\n");
        if (reasons.Loss.Count > 0)
        {
            md.Append(CultureInfo.InvariantCulture, $"Top {reasons.Loss.Count} of {reasons.LossReasons} loss reasons:\n\n");
            ReasonTable(md, reasons.Loss, withOwner: false, withKind: false);
        }
        else
        {
            md.Append("No loss reason in these intervals.\n\n");
        }

        if (reasons.KeptApart.Count > 0)
        {
            md.Append(CultureInfo.InvariantCulture, $"### {reasons.KeptApartHeadline}\n\n");
            md.Append(Inline(ReasonSummary.KeptApartNote)).Append("\n\n");
            ReasonTable(md, reasons.KeptApart, withOwner: false, withKind: true);
        }

        if (reasons.ByOwner.Any(share => share.Owner is not null))
        {
            md.Append(CultureInfo.InvariantCulture, $"### By network namespace: {reasons.ByOwnerHeadline}\n\n");
            ReasonTable(md, reasons.ByOwner, withOwner: true, withKind: true);
        }
    }

    private static void ReasonTable(StringBuilder md, IReadOnlyList<ReasonTotal> totals, bool withOwner, bool withKind)
    {
        md.Append(withOwner ? "| Namespace " : "").Append("| Reason ").Append(withKind ? "| Kind " : "")
            .Append("| Total | Intervals | First seen | Last seen | Peak | Peak at |\n")
            .Append(withOwner ? "|---" : "").Append("|---").Append(withKind ? "|---" : "").Append("|---:|---:|---|---|---:|---|\n");
        foreach (ReasonTotal total in totals)
        {
            if (withOwner)
            {
                md.Append("| ").Append(Cell(ReasonSummary.OwnerText(total.Owner))).Append(' ');
            }

            md.Append("| `").Append(Code(total.Reason)).Append("` ");
            if (withKind)
            {
                md.Append("| ").Append(DetailReasonKinds.CellOf(total.Kind)).Append(' ');
            }

            md.Append(CultureInfo.InvariantCulture, $"| {Count(total.Total)} | {Count(total.Intervals)} | {total.FirstSeen} | {total.LastSeen} | {Count(total.Peak)} | {total.PeakAt} |\n");
        }

        md.Append('\n');
    }
}
