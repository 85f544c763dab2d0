using System.Text.Json;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// One log record as the Aspire Dashboard stored it, flattened out of the OTLP JSON that
/// <c>/api/telemetry/logs</c> returns (<c>data.resourceLogs[].scopeLogs[].logRecords[]</c>).
/// </summary>
/// <remarks>
/// The dashboard keeps attribute values as strings: an int 1234 comes back as <c>"1234"</c>, a bool false as
/// <c>"false"</c>, a double 0.25 as <c>"0.25"</c>. It adds <c>aspire.log_id</c> to every record's attributes, and its
/// <c>severityText</c> is its own level name (Critical, Error, ...) derived from the severity number.
/// </remarks>
public sealed record StoredLogRecord(
    IReadOnlyDictionary<string, string> ResourceAttributes,
    string? ScopeName,
    string? EventName,
    int SeverityNumber,
    string? SeverityText,
    string? Body,
    IReadOnlyDictionary<string, string> Attributes,
    string? TraceId,
    JsonElement Json)
{
    /// <summary>Every record in a <c>/api/telemetry/logs</c> response, oldest first.</summary>
    public static IReadOnlyList<StoredLogRecord> FromLogsResponse(JsonElement root)
    {
        var records = new List<StoredLogRecord>();
        foreach (JsonElement resourceLogs in root.GetProperty("data").GetProperty("resourceLogs").EnumerateArray())
        {
            IReadOnlyDictionary<string, string> resource = resourceLogs.TryGetProperty("resource", out JsonElement r)
                ? AttributesOf(r)
                : new Dictionary<string, string>();
            foreach (JsonElement scopeLogs in resourceLogs.GetProperty("scopeLogs").EnumerateArray())
            {
                string? scope = scopeLogs.TryGetProperty("scope", out JsonElement s) ? StringOrNull(s, "name") : null;
                foreach (JsonElement record in scopeLogs.GetProperty("logRecords").EnumerateArray())
                {
                    records.Add(new StoredLogRecord(
                        resource,
                        scope,
                        StringOrNull(record, "eventName"),
                        record.TryGetProperty("severityNumber", out JsonElement n) ? n.GetInt32() : 0,
                        StringOrNull(record, "severityText"),
                        record.TryGetProperty("body", out JsonElement body) ? ValueText(body) : null,
                        AttributesOf(record),
                        StringOrNull(record, "traceId"),
                        record.Clone()));
                }
            }
        }

        return records;
    }

    /// <summary>An OTLP JSON <c>attributes</c> array (<c>[{"key":..,"value":{"stringValue":..}}]</c>) as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string> AttributesOf(JsonElement owner)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (owner.TryGetProperty("attributes", out JsonElement array))
        {
            foreach (JsonElement attribute in array.EnumerateArray())
            {
                attributes[attribute.GetProperty("key").GetString()!] = ValueText(attribute.GetProperty("value"));
            }
        }

        return attributes;
    }

    // An AnyValue: the dashboard writes stringValue, or {} for an empty value (a resource without
    // service.instance.id); any other kind is kept as its JSON so nothing is lost.
    private static string ValueText(JsonElement anyValue)
    {
        if (anyValue.TryGetProperty("stringValue", out JsonElement text))
        {
            return text.GetString() ?? "";
        }

        return anyValue.EnumerateObject().Any() ? anyValue.GetRawText() : "";
    }

    private static string? StringOrNull(JsonElement element, string property) =>
        element.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
