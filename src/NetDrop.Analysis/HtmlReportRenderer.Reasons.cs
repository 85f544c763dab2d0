using System.Globalization;
using System.Text;
using static NetDrop.Analysis.HtmlText;
using static NetDrop.Analysis.ReportFormatting;

namespace NetDrop.Analysis;

// The HTML report's drop-reason panel, in the terminal report's order and words; a kept-apart row is marked
// class="pressure", as the pressure categories are, so it never reads as a drop.
internal static partial class HtmlReportRenderer
{
    private static void WriteReasons(StringBuilder html, DropReport report)
    {
        if (report.Detail?.Reasons is not { } reasons)
        {
            return;
        }

        html.Append(CultureInfo.InvariantCulture, $"<section class=\"panel\">\n<h2>Drop reasons (detail CSV): {reasons.LossHeadline}</h2>\n");
        html.Append("<p>").Append(Encode(ReasonSummary.BesideTheCounters)).Append("</p>\n");
        if (reasons.Loss.Count > 0)
        {
            ReasonTable(html, "reasons-loss", $"Top {reasons.Loss.Count} of {reasons.LossReasons} loss reasons", reasons.Loss, withOwner: false, withKind: false);
        }
        else
        {
            html.Append("<p>No loss reason in these intervals.</p>\n");
        }

        if (reasons.KeptApart.Count > 0)
        {
            html.Append("<p>").Append(Encode(ReasonSummary.KeptApartNote)).Append("</p>\n");
            ReasonTable(html, "reasons-kept-apart", reasons.KeptApartHeadline, reasons.KeptApart, withOwner: false, withKind: true);
        }

        if (reasons.ByOwner.Any(share => share.Owner is not null))
        {
            ReasonTable(html, "reasons-by-namespace", $"By network namespace: {reasons.ByOwnerHeadline}", reasons.ByOwner, withOwner: true, withKind: true);
        }

        html.Append("</section>\n");
    }

    private static void ReasonTable(StringBuilder html, string id, string caption, IReadOnlyList<ReasonTotal> totals, bool withOwner, bool withKind)
    {
        html.Append(CultureInfo.InvariantCulture, $"<table id=\"{id}\">\n<caption>{Encode(caption)}</caption>\n<thead><tr>")
            .Append(withOwner ? "<th>Namespace</th>" : "").Append("<th>Reason</th>").Append(withKind ? "<th>Kind</th>" : "")
            .Append("<th class=\"num\">Total</th><th class=\"num\">Intervals</th><th>First seen</th><th>Last seen</th><th class=\"num\">Peak</th><th>Peak at</th></tr></thead>\n<tbody>\n");
        foreach (ReasonTotal total in totals)
        {
            html.Append(total.Kind == DetailReasonKind.Loss ? "<tr>" : "<tr class=\"pressure\">");
            if (withOwner)
            {
                html.Append("<td>").Append(Encode(ReasonSummary.OwnerText(total.Owner))).Append("</td>");
            }

            html.Append("<td><code>").Append(Encode(total.Reason)).Append("</code></td>");
            if (withKind)
            {
                html.Append("<td>").Append(DetailReasonKinds.CellOf(total.Kind)).Append("</td>");
            }

            html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{Count(total.Total)}</td><td class=\"num\">{Count(total.Intervals)}</td><td class=\"time\">{total.FirstSeen}</td><td class=\"time\">{total.LastSeen}</td><td class=\"num\">{Count(total.Peak)}</td><td class=\"time\">{total.PeakAt}</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }
}
