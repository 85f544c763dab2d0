using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NetDrop.Agent;
using NetDrop.Sinks.Telemetry;
using NetDrop.Tests.TestSupport;
using OpenTelemetry.Exporter;

namespace NetDrop.Tests.Configuration;

/// <summary>
/// README "OpenTelemetry": the standard <c>OTEL_*</c> variables win over <c>netdrop.yaml</c>'s <c>otlp.*</c>, and
/// <c>otlp.*</c> stands where no variable is set. Read back from the configuration of a host built around a real
/// session (what the exporters are created from), through the OTLP exporter specification's rules.
/// </summary>
public sealed class OtelPrecedenceTests
{
    [Fact]
    public void Build_OtelVariablesAndOtlpKeysBothSet_VariablesWin()
    {
        Dictionary<string, string> environment = new(StringComparer.Ordinal)
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://from-environment:4318",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_EXPORTER_OTLP_HEADERS"] = "authorization=environment",
            ["OTEL_EXPORTER_OTLP_TIMEOUT"] = "2500",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "15000",
        };

        (IConfiguration configuration, OtlpExporterOptions logs, OtlpExporterOptions metrics) = Effective(environment);

        Assert.Equal((OtlpExportProtocol.HttpProtobuf, "http://from-environment:4318/v1/logs", "authorization=environment", 2500),
            (logs.Protocol, logs.Endpoint.ToString(), logs.Headers, logs.TimeoutMilliseconds));
        Assert.Equal("http://from-environment:4318/v1/metrics", metrics.Endpoint.ToString());
        Assert.Equal("15000", configuration["OTEL_METRIC_EXPORT_INTERVAL"]);
    }

    [Fact]
    public void Build_NoOtelVariables_OtlpKeysStand()
    {
        (IConfiguration configuration, OtlpExporterOptions logs, OtlpExporterOptions metrics) = Effective(new(StringComparer.Ordinal));

        Assert.Equal((OtlpExportProtocol.Grpc, "http://from-file:4317/", "authorization=file", 7000),
            (logs.Protocol, logs.Endpoint.ToString(), logs.Headers, logs.TimeoutMilliseconds));
        Assert.Equal("http://from-file:4317/", metrics.Endpoint.ToString());
        Assert.Equal("30000", configuration["OTEL_METRIC_EXPORT_INTERVAL"]);
    }

    [Fact]
    public void Build_OnlyTheMetricsEndpointVariable_MetricsGoThereLogsKeepOtlpEndpoint()
    {
        (_, OtlpExporterOptions logs, OtlpExporterOptions metrics) = Effective(new(StringComparer.Ordinal)
        {
            ["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] = "http://metrics-only:4317",
        });

        Assert.Equal("http://metrics-only:4317/", metrics.Endpoint.ToString());
        Assert.Equal("http://from-file:4317/", logs.Endpoint.ToString());
    }

    /// <summary>A host built with <c>otlp.*</c> set as netdrop.yaml would set them, and the given environment.</summary>
    private static (IConfiguration Configuration, OtlpExporterOptions Logs, OtlpExporterOptions Metrics) Effective(Dictionary<string, string> environment)
    {
        using var monitor = new FixtureMonitor(options =>
        {
            options.Otlp.Endpoint = new Uri("http://from-file:4317");
            options.Otlp.Protocol = "grpc";
            options.Otlp.Headers = "authorization=file";
            options.Otlp.Timeout = TimeSpan.FromSeconds(7);
            options.Otlp.ExportInterval = TimeSpan.FromSeconds(30);
        });
        using IHost host = NetDropHost.Build(monitor.Session, environment);
        IConfiguration configuration = host.Services.GetRequiredService<IConfiguration>();
        return (configuration,
            OtlpExporterSettings.For(configuration, OtlpExporterSettings.Logs),
            OtlpExporterSettings.For(configuration, OtlpExporterSettings.Metrics));
    }
}
