using Microsoft.Extensions.Configuration;
using NetDrop.Sinks.Telemetry;
using OpenTelemetry.Exporter;

namespace NetDrop.Tests.Telemetry;

/// <summary>The OTLP exporter specification's rules for the endpoint, protocol, headers and timeout of each signal.</summary>
public sealed class OtlpExporterSettingsTests
{
    [Theory]
    [InlineData("grpc", "http://collector:4317", "http://collector:4317/")]
    [InlineData("http/protobuf", "http://collector:4318", "http://collector:4318/v1/logs")]
    [InlineData("http/protobuf", "http://gateway/otlp/", "http://gateway/otlp/v1/logs")]
    public void For_GeneralEndpoint_SignalPathAppendedForHttpOnly(string protocol, string endpoint, string expected)
    {
        OtlpExporterOptions options = OtlpExporterSettings.For(Configuration(new()
        {
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
        }), OtlpExporterSettings.Logs);

        Assert.Equal(expected, options.Endpoint.ToString());
    }

    [Fact]
    public void For_SignalSettings_WinOverGeneralAndEndpointUsedAsIs()
    {
        IConfiguration configuration = Configuration(new()
        {
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://general:4317",
            ["OTEL_EXPORTER_OTLP_HEADERS"] = "authorization=general",
            ["OTEL_EXPORTER_OTLP_TIMEOUT"] = "10000",
            ["OTEL_EXPORTER_OTLP_METRICS_PROTOCOL"] = "http/protobuf",
            ["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] = "http://metrics:9090/api/v1/otlp/v1/metrics",
            ["OTEL_EXPORTER_OTLP_METRICS_HEADERS"] = "authorization=metrics",
            ["OTEL_EXPORTER_OTLP_METRICS_TIMEOUT"] = "2500",
        });

        OtlpExporterOptions metrics = OtlpExporterSettings.For(configuration, OtlpExporterSettings.Metrics);
        OtlpExporterOptions logs = OtlpExporterSettings.For(configuration, OtlpExporterSettings.Logs);

        Assert.Equal((OtlpExportProtocol.HttpProtobuf, "http://metrics:9090/api/v1/otlp/v1/metrics", "authorization=metrics", 2500),
            (metrics.Protocol, metrics.Endpoint.ToString(), metrics.Headers, metrics.TimeoutMilliseconds));
        Assert.Equal((OtlpExportProtocol.Grpc, "http://general:4317/", "authorization=general", 10000),
            (logs.Protocol, logs.Endpoint.ToString(), logs.Headers, logs.TimeoutMilliseconds));
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
