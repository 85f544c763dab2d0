using System.Collections;
using System.Globalization;

namespace NetDrop.Configuration;

/// <summary>
/// Checks the standard <c>OTEL_*</c> variables the OTLP exporter will read, before anything starts. The SDK silently
/// ignores a value it cannot parse (<c>OTEL_METRIC_EXPORT_INTERVAL=abc</c> exported at the default 60 s,
/// <c>OTEL_EXPORTER_OTLP_PROTOCOL=foo</c> fell back to gRPC, <c>OTEL_EXPORTER_OTLP_ENDPOINT=not-a-url</c> was
/// dropped) or throws on one (<c>OTEL_METRIC_EXPORT_INTERVAL=0</c>, a duplicate header: exit 134 with a stack trace).
/// Either way the operator never learned their setting was not in force; here it is exit 2 naming the variable.
/// </summary>
internal static class OtelEnvironment
{
    // The signals NetDrop exports (it sends no traces, so OTEL_EXPORTER_OTLP_TRACES_* is none of its business).
    private static readonly string[] s_signals = ["", "_METRICS", "_LOGS"];

    // NetDrop's own otlp.export_interval range, in the variable's unit (whole milliseconds).
    private static readonly (long Minimum, long Maximum) s_exportIntervalMs =
        ((long)ConfigKeys.OtlpExportInterval.Minimum.TotalMilliseconds, (long)ConfigKeys.OtlpExportInterval.Maximum.TotalMilliseconds);

    // otlp.timeout's upper bound; the floor for the variables stays the 1 ms the exporter accepts.
    private static readonly long s_timeoutMaximumMs = (long)ConfigKeys.OtlpTimeout.Maximum.TotalMilliseconds;

    /// <summary>Throws <see cref="UsageException"/> for the first standard variable that is set but not valid.</summary>
    public static void Validate(IDictionary environment)
    {
        foreach (string signal in s_signals)
        {
            Check(environment, $"OTEL_EXPORTER_OTLP{signal}_ENDPOINT", value =>
                Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0
                    ? null
                    : "must be an http:// or https:// URL (e.g. http://localhost:4317)");
            Check(environment, $"OTEL_EXPORTER_OTLP{signal}_PROTOCOL", value =>
                value is "grpc" or "http/protobuf" ? null : "must be grpc or http/protobuf (the protocols this exporter speaks)");
            Check(environment, $"OTEL_EXPORTER_OTLP{signal}_HEADERS", OtlpHeaders.Problem);
            Check(environment, $"OTEL_EXPORTER_OTLP{signal}_TIMEOUT", value => Milliseconds(value, 1, s_timeoutMaximumMs));
        }

        Check(environment, "OTEL_METRIC_EXPORT_INTERVAL", value => Milliseconds(value, s_exportIntervalMs.Minimum, s_exportIntervalMs.Maximum));
        Check(environment, "OTEL_METRIC_EXPORT_TIMEOUT", value => Milliseconds(value, 1, s_timeoutMaximumMs));
        Check(environment, "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", value =>
            value.ToUpperInvariant() is "CUMULATIVE" or "DELTA" or "LOWMEMORY" ? null : "must be cumulative, delta or lowmemory");
    }

    private static void Check(IDictionary environment, string name, Func<string, string?> problem)
    {
        // An empty variable is unset (the specification's rule, and what the SDK does).
        if (environment[name] is not string { Length: > 0 } value)
        {
            return;
        }

        if (problem(value) is { } rule)
        {
            bool secret = name.EndsWith("_HEADERS", StringComparison.Ordinal);
            throw new UsageException($"environment {name} {rule}, got '{(secret ? "***" : value)}'");
        }
    }

    private static string? Milliseconds(string value, long minimum, long maximum) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long ms) && ms >= minimum && ms <= maximum
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"must be whole milliseconds from {minimum} to {maximum}");
}
