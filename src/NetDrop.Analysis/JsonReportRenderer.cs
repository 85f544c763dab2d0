using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using NetDrop.Model;

namespace NetDrop.Analysis;

/// <summary>
/// <c>--format json</c>: one object for scripts. The keys DESIGN.md promises (<c>intervals</c>,
/// <c>intervals_with_drops</c>, <c>totals</c>, <c>by_hour</c>, <c>top</c>, <c>last</c>, <c>malformed_lines</c>) are
/// always present and keep their meaning; <c>totals</c> has a key for every category of the drop model, <c>null</c>
/// where no input file has its column. Written with <see cref="Utf8JsonWriter"/>: no reflection, AOT-safe.
/// </summary>
internal static partial class JsonReportRenderer
{
    public const string Schema = "netdrop-analyze/1";

    public static void Render(DropReport report, TextWriter output)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        Render(report, buffer);
        output.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        output.Write('\n');
    }

    public static void Render(DropReport report, IBufferWriter<byte> destination)
    {
        using var json = new Utf8JsonWriter(destination, new JsonWriterOptions
        {
            Indented = true,
            // The output is a file for scripts, never embedded in HTML: keep "eth0+eth1" and "→" readable.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        json.WriteStartObject();
        json.WriteString("schema", Schema);

        json.WriteStartArray("files");
        foreach (InputFileSummary file in report.Files)
        {
            json.WriteStartObject();
            json.WriteString("path", file.Path);
            json.WriteString("layout", LayoutName(file.Layout));
            json.WriteBoolean("compressed", file.Compressed);
            json.WriteNumber("rows", file.Rows);
            WriteTimestamp(json, "first", file.First);
            WriteTimestamp(json, "last", file.Last);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartObject("filter");
        WriteTimestamp(json, "since", report.Filter.Since);
        WriteTimestamp(json, "until", report.Filter.Until);
        json.WriteStartArray("interfaces");
        foreach (string name in report.Filter.Interfaces)
        {
            json.WriteStringValue(name);
        }

        json.WriteEndArray();
        json.WriteEndObject();

        WriteTimestamp(json, "first_timestamp", report.FirstTimestamp);
        WriteTimestamp(json, "last_timestamp", report.LastTimestamp);
        json.WriteNumber("intervals", report.Intervals);
        json.WriteNumber("intervals_with_drops", report.IntervalsWithDrops);
        json.WriteNumber("intervals_with_drops_pct", Math.Round(report.PercentWithDrops, 2));

        json.WriteStartObject("severity");
        json.WriteNumber("OK", report.Severity.Ok);
        json.WriteNumber("WARN", report.Severity.Warn);
        json.WriteNumber("CRIT", report.Severity.Crit);
        json.WriteNumber("other", report.Severity.Other);
        json.WriteEndObject();

        json.WriteStartObject("totals");
        json.WriteNumber("total_drops", report.TotalDrops);
        foreach (DropCategory category in report.Table)
        {
            CategoryTotal? total = report.Categories.FirstOrDefault(c => c.Category == category);
            if (total is null)
            {
                json.WriteNull(category.Column);
            }
            else
            {
                json.WriteNumber(category.Column, total.Total);
            }
        }

        json.WriteEndObject();
        json.WriteNumber("drop_category_sum", report.DropCategorySum);

        json.WriteStartArray("categories");
        foreach (CategoryTotal total in report.Categories)
        {
            json.WriteStartObject();
            json.WriteString("name", total.Category.Column);
            json.WriteString("label", total.Category.Label);
            json.WriteString("kind", total.Category.IsDrop ? "drop" : "pressure");
            json.WriteNumber("total", total.Total);
            json.WriteNumber("intervals_with_any", total.IntervalsWithAny);
            json.WriteNumber("unavailable_intervals", total.UnavailableIntervals);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("by_hour");
        foreach (long drops in report.ByHour)
        {
            json.WriteNumberValue(drops);
        }

        json.WriteEndArray();

        json.WriteStartArray("top");
        foreach (IntervalRecord record in report.Top)
        {
            WriteInterval(json, record);
        }

        json.WriteEndArray();

        json.WriteStartArray("last");
        foreach (IntervalRecord record in report.Latest)
        {
            WriteInterval(json, record);
        }

        json.WriteEndArray();

        json.WriteStartObject("episodes");
        json.WriteNumber("count", report.Episodes.Count);
        json.WriteStartArray("worst");
        foreach (DropEpisode episode in report.Episodes.Worst)
        {
            WriteEpisode(json, episode);
        }

        json.WriteEndArray();
        json.WritePropertyName("longest");
        if (report.Episodes.Longest is { } longest)
        {
            WriteEpisode(json, longest);
        }
        else
        {
            json.WriteNullValue();
        }

        json.WriteEndObject();

        json.WriteStartObject("gaps");
        json.WriteNumber("count", report.Gaps.Count);
        json.WriteStartArray("first");
        foreach (MonitoringGap gap in report.Gaps.First)
        {
            json.WriteStartObject();
            json.WriteString("after", gap.After.ToString());
            json.WriteString("before", gap.Before.ToString());
            json.WriteNumber("seconds", gap.Seconds);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();

        json.WriteStartArray("interfaces");
        foreach (InterfaceSummary summary in report.Interfaces)
        {
            json.WriteStartObject();
            json.WriteString("name", summary.Name);
            json.WriteNumber("intervals", summary.Intervals);
            json.WriteNumber("intervals_with_drops", summary.IntervalsWithDrops);
            json.WriteNumber("total_drops", summary.TotalDrops);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("findings");
        foreach (ReportFinding finding in ReportFindings.For(report))
        {
            json.WriteStartObject();
            json.WriteString("label", finding.Label);
            json.WriteString("text", finding.Text);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        if (report.Detail is { } detail)
        {
            // Only when a detail CSV was among the inputs: scope -> [{key, category, total}], largest first.
            json.WriteStartObject("detail");
            foreach (DetailScopeTop scope in detail.Scopes)
            {
                json.WriteStartArray(scope.Scope);
                foreach (DetailTotal total in scope.Top)
                {
                    json.WriteStartObject();
                    json.WriteString("key", total.Key);
                    json.WriteString("category", total.Category);
                    json.WriteNumber("total", total.Total);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        WriteReasons(json, report);
        json.WriteNumber("left_out", report.LeftOut);
        json.WriteNumber("malformed_lines", report.MalformedLines);
        json.WriteStartArray("malformed_examples");
        foreach (MalformedLine line in report.MalformedExamples)
        {
            json.WriteStartObject();
            json.WriteString("file", line.File);
            json.WriteNumber("line", line.Line);
            json.WriteString("reason", line.Reason);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("notes");
        foreach (string note in report.Notes)
        {
            json.WriteStringValue(note);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteInterval(Utf8JsonWriter json, IntervalRecord record)
    {
        json.WriteStartObject();
        json.WriteString("timestamp", record.Timestamp.ToString());
        json.WriteString("interface", record.Interface);
        json.WriteNumber("total_drops", record.TotalDrops);
        json.WriteString("severity", ReportFormatting.Severity(record.Severity));
        WriteAmounts(json, "categories", record.Categories);
        json.WriteString("file", record.File);
        json.WriteNumber("line", record.Line);
        json.WriteEndObject();
    }

    private static void WriteEpisode(Utf8JsonWriter json, DropEpisode episode)
    {
        json.WriteStartObject();
        json.WriteString("interface", episode.Interface);
        json.WriteString("start", episode.Start.ToString());
        json.WriteString("end", episode.End.ToString());
        json.WriteNumber("duration_s", episode.DurationSeconds);
        json.WriteNumber("intervals", episode.Intervals);
        json.WriteNumber("total_drops", episode.TotalDrops);
        json.WriteNumber("peak", episode.Peak);
        json.WriteString("peak_at", episode.PeakAt.ToString());
        if (episode.Dominant is { } dominant)
        {
            json.WriteString("dominant", dominant.Column);
        }
        else
        {
            json.WriteNull("dominant");
        }

        WriteAmounts(json, "categories", episode.Categories);
        json.WriteBoolean("ongoing", episode.Ongoing);
        json.WriteEndObject();
    }

    private static void WriteAmounts(Utf8JsonWriter json, string name, IReadOnlyList<CategoryAmount> amounts)
    {
        json.WriteStartObject(name);
        foreach (CategoryAmount amount in amounts)
        {
            json.WriteNumber(amount.Category.Column, amount.Amount);
        }

        json.WriteEndObject();
    }

    private static void WriteTimestamp(Utf8JsonWriter json, string name, LocalTimestamp? timestamp)
    {
        if (timestamp is { } value)
        {
            json.WriteString(name, value.ToString());
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string LayoutName(CsvInputLayout? layout) => layout switch
    {
        CsvInputLayout.SeedHeader => "seed",
        CsvInputLayout.NetDropHeader => "netdrop",
        CsvInputLayout.HeaderlessSeed => "headerless-seed",
        CsvInputLayout.HeaderlessNetDrop => "headerless-netdrop",
        _ => "empty",
    };
}
