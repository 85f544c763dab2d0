using System.Text.Json;

namespace NetDrop.Analysis;

// "drop_reasons": only when a detail CSV with reason rows was read, so a report without one keeps its bytes.
//   {"note": ..., "rows": N, "loss_total": N, "loss_reasons": N, "loss": [reason...],
//    "kept_apart_note": ..., "kept_apart_reasons": N, "kept_apart": [reason...],
//    "namespaces": N, "namespace_series": N, "by_namespace": [reason with "owner"...]}
// a reason: {"owner"?, "reason", "kind" (loss|unspecified|not_loss), "total", "intervals", "first_seen",
//            "last_seen", "peak", "peak_at"}; "owner" null for the agent's own namespace.
internal static partial class JsonReportRenderer
{
    private static void WriteReasons(Utf8JsonWriter json, DropReport report)
    {
        if (report.Detail?.Reasons is not { } reasons)
        {
            return;
        }

        json.WriteStartObject("drop_reasons");
        json.WriteString("note", ReasonSummary.BesideTheCounters);
        json.WriteNumber("rows", reasons.Rows);
        json.WriteNumber("loss_total", reasons.LossTotal);
        json.WriteNumber("loss_reasons", reasons.LossReasons);
        WriteReasonList(json, "loss", reasons.Loss, withOwner: false);
        json.WriteString("kept_apart_note", ReasonSummary.KeptApartNote);
        json.WriteNumber("kept_apart_reasons", reasons.KeptApartReasons);
        WriteReasonList(json, "kept_apart", reasons.KeptApart, withOwner: false);
        json.WriteNumber("namespaces", reasons.Owners);
        json.WriteNumber("namespace_series", reasons.OwnerSeries);
        WriteReasonList(json, "by_namespace", reasons.ByOwner, withOwner: true);
        json.WriteEndObject();
    }

    private static void WriteReasonList(Utf8JsonWriter json, string name, IReadOnlyList<ReasonTotal> totals, bool withOwner)
    {
        json.WriteStartArray(name);
        foreach (ReasonTotal total in totals)
        {
            json.WriteStartObject();
            if (withOwner)
            {
                if (total.Owner is null)
                {
                    json.WriteNull("owner");
                }
                else
                {
                    json.WriteString("owner", total.Owner);
                }
            }

            json.WriteString("reason", total.Reason);
            json.WriteString("kind", DetailReasonKinds.CellOf(total.Kind));
            json.WriteNumber("total", total.Total);
            json.WriteNumber("intervals", total.Intervals);
            WriteTimestamp(json, "first_seen", total.FirstSeen);
            WriteTimestamp(json, "last_seen", total.LastSeen);
            json.WriteNumber("peak", total.Peak);
            WriteTimestamp(json, "peak_at", total.PeakAt);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
