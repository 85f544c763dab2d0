namespace NetDrop.Configuration;

/// <summary>
/// Checks an OTLP headers value as <c>otlp.headers</c> and <c>OTEL_EXPORTER_OTLP_HEADERS</c> carry it:
/// <c>key=value,key2=value2</c> (the OpenTelemetry specification's list of W3C-baggage-style pairs).
/// </summary>
/// <remarks>
/// NOTE: checked at start, not left to the exporter: the SDK parses the value when the host is built and throws on a
/// duplicate or empty key, which crashed the agent with a stack trace (exit 134) instead of naming the value.
/// Header names are case-insensitive (HTTP, and gRPC metadata lower-cases them), so <c>A=1,a=2</c> is a duplicate too.
/// </remarks>
internal static class OtlpHeaders
{
    /// <summary>Why <paramref name="value"/> is not a valid headers list, or null when it is (an empty value is none).</summary>
    public static string? Problem(string value)
    {
        if (value.Length == 0)
        {
            return null;
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string pair in value.Split(','))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string key = equals < 0 ? pair.Trim() : pair[..equals].Trim();
            if (equals < 0)
            {
                return pair.Trim().Length == 0
                    ? "must be key=value pairs separated by commas, with no empty entry"
                    : $"must be key=value pairs separated by commas; '{key}' has no '='";
            }

            if (key.Length == 0)
            {
                return "must be key=value pairs separated by commas; a header has an empty name";
            }

            if (pair[(equals + 1)..].Trim().Length == 0)
            {
                return $"must be key=value pairs separated by commas; header '{key}' has no value";
            }

            if (!seen.Add(key))
            {
                return $"must name each header once; '{key}' appears twice";
            }
        }

        return null;
    }
}
