using System.Globalization;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;

namespace NetDrop.Sinks.Telemetry;

/// <summary>
/// The OTLP exporter options of one signal, from configuration (the process environment over <c>netdrop.yaml</c>'s
/// <c>otlp.*</c>, both under the standard variable names), by the OTLP exporter specification's rules: a signal's own
/// <c>OTEL_EXPORTER_OTLP_{LOGS,METRICS}_*</c> wins over the general one; the general endpoint gets <c>v1/logs</c> or
/// <c>v1/metrics</c> appended for http/protobuf; a signal's own endpoint is used as it is.
/// </summary>
/// <remarks>
/// NetDrop builds its exporters itself (to keep CRIT records across an outage and to see failed exports), so it cannot
/// use <c>UseOtlpExporter()</c>, which reads these variables the same way. What only the environment can set
/// (certificates, compression) the exporter options' own constructor reads from the environment.
/// </remarks>
internal static class OtlpExporterSettings
{
    public const string Logs = "logs";
    public const string Metrics = "metrics";

    private const string Prefix = "OTEL_EXPORTER_OTLP_";

    public static OtlpExporterOptions For(IConfiguration configuration, string signal)
    {
        var options = new OtlpExporterOptions();
        string signalPrefix = Prefix + signal.ToUpperInvariant() + "_";
        string? protocol = Value(configuration, signalPrefix + "PROTOCOL") ?? Value(configuration, Prefix + "PROTOCOL");
        options.Protocol = protocol switch
        {
            "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            "grpc" => OtlpExportProtocol.Grpc,
            _ => options.Protocol,
        };

        options.Endpoint = Endpoint(configuration, signalPrefix, signal, options.Protocol);
        if ((Value(configuration, signalPrefix + "HEADERS") ?? Value(configuration, Prefix + "HEADERS")) is string headers)
        {
            options.Headers = headers;
        }

        if ((Value(configuration, signalPrefix + "TIMEOUT") ?? Value(configuration, Prefix + "TIMEOUT")) is string timeout &&
            int.TryParse(timeout, NumberStyles.None, CultureInfo.InvariantCulture, out int milliseconds) && milliseconds > 0)
        {
            options.TimeoutMilliseconds = milliseconds;
        }

        return options;
    }

    private static Uri Endpoint(IConfiguration configuration, string signalPrefix, string signal, OtlpExportProtocol protocol)
    {
        if (Url(Value(configuration, signalPrefix + "ENDPOINT")) is Uri signalEndpoint)
        {
            return signalEndpoint;
        }

        Uri general = Url(Value(configuration, Prefix + "ENDPOINT"))
            ?? new Uri(protocol == OtlpExportProtocol.Grpc ? "http://localhost:4317" : "http://localhost:4318");
        if (protocol == OtlpExportProtocol.Grpc)
        {
            return general;
        }

        // http://collector:4318 -> http://collector:4318/v1/logs; http://gw/otlp -> http://gw/otlp/v1/logs.
        string path = general.AbsolutePath.EndsWith('/') ? general.AbsolutePath : general.AbsolutePath + "/";
        return new UriBuilder(general) { Path = path + "v1/" + signal }.Uri;
    }

    private static string? Value(IConfiguration configuration, string key) =>
        configuration[key] is string value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static Uri? Url(string? text) =>
        text is not null && Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https" ? uri : null;
}
