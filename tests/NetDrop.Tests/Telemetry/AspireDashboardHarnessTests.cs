using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using NetDrop.Tests.TestSupport;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Xunit.Abstractions;

namespace NetDrop.Tests.Telemetry;

/// <summary>
/// Proves the harness itself: the real OpenTelemetry .NET SDK exports to the real Aspire Dashboard over OTLP/gRPC
/// and OTLP/HTTP (protobuf), and what it sent is read back from the dashboard's telemetry API.
/// </summary>
[Collection(AspireDashboardCollectionDefinition.Name)]
public sealed class AspireDashboardHarnessTests(AspireDashboardFixture fixture, ITestOutputHelper output)
{
    private const string ServiceName = "harness-test";
    private const string HostName = "harness-host";
    private const string CritEventName = "harness.crit";
    private const string WarnEventName = "harness.warn";

    private readonly AspireDashboard _dashboard = fixture.Dashboard;

    [Fact]
    public void Dashboard_Started_ListensOnThreeLoopbackPorts()
    {
        output.WriteLine($"Aspire Dashboard pid {_dashboard.ProcessId} ready in {_dashboard.StartupTime.TotalMilliseconds:0} ms");
        string[] endpoints = [_dashboard.FrontendEndpoint, _dashboard.GrpcEndpoint, _dashboard.HttpEndpoint];

        Assert.All(endpoints, e => Assert.StartsWith("http://127.0.0.1:", e, StringComparison.Ordinal));
        Assert.Equal(3, endpoints.Distinct(StringComparer.Ordinal).Count());
        Assert.InRange(_dashboard.StartupTime, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(60));
    }

    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task LogRecord_ExportedOverOtlp_IsStoredWithAttributesSeverityEventNameAndResource(OtlpExportProtocol protocol)
    {
        // Every test shares the dashboard: a unique service.instance.id keeps this test's records apart.
        string instance = $"{protocol}-{Guid.NewGuid():N}";
        using (ILoggerFactory loggers = CreateLoggerFactory(protocol, instance))
        {
            ILogger logger = loggers.CreateLogger("NetDrop.Tests.Harness");
            KeyValuePair<string, object?>[] crit =
            [
                new("network.interface.name", "veth-harness"),
                new("netdrop.total", 1234L),
                new("netdrop.ratio", 0.25),
                new("netdrop.recovered", false),
            ];
            KeyValuePair<string, object?>[] warn = [new("network.interface.name", "veth-harness")];
            logger.Log(LogLevel.Warning, new EventId(6, WarnEventName), warn, exception: null, (_, _) => "WARN veth-harness is dropping");
            logger.Log(LogLevel.Critical, new EventId(7, CritEventName), crit, exception: null, (_, _) => "CRIT veth-harness dropped 1234 packets");
        }

        // With several instances of one service.name, the API's resource filter must name the instance: its displayName.
        using JsonDocument resources = await _dashboard.WaitForResourcesAsync(
            root => FindResource(root, instance) is not null, $"resource {ServiceName}/{instance}");
        JsonElement resource = FindResource(resources.RootElement, instance)!.Value;
        Assert.Equal(ServiceName, resource.GetProperty("name").GetString());
        Assert.True(resource.GetProperty("hasLogs").GetBoolean());
        string displayName = resource.GetProperty("displayName").GetString()!;
        Assert.Equal($"{ServiceName}-{instance}", displayName);

        using JsonDocument logs = await _dashboard.WaitForLogsAsync(
            root => StoredLogRecord.FromLogsResponse(root).Count == 2, $"both {protocol} log records of {instance}", resource: displayName);
        output.WriteLine(logs.RootElement.GetRawText());
        IReadOnlyList<StoredLogRecord> records = StoredLogRecord.FromLogsResponse(logs.RootElement);
        Assert.Equal(2, logs.RootElement.GetProperty("totalCount").GetInt32());

        StoredLogRecord stored = Assert.Single(records, r => r.EventName == CritEventName);
        Assert.Equal(21, stored.SeverityNumber); // SEVERITY_NUMBER_FATAL: ILogger's Critical
        Assert.Equal("Critical", stored.SeverityText);
        Assert.Equal("CRIT veth-harness dropped 1234 packets", stored.Body);
        Assert.Equal("NetDrop.Tests.Harness", stored.ScopeName);
        Assert.Equal("veth-harness", stored.Attributes["network.interface.name"]);
        Assert.Equal("1234", stored.Attributes["netdrop.total"]);
        Assert.Equal("0.25", stored.Attributes["netdrop.ratio"]);
        Assert.Equal("false", stored.Attributes["netdrop.recovered"]);
        Assert.True(stored.Attributes.ContainsKey("aspire.log_id"));
        Assert.Equal(ServiceName, stored.ResourceAttributes["service.name"]);
        Assert.Equal(instance, stored.ResourceAttributes["service.instance.id"]);
        Assert.Equal(HostName, stored.ResourceAttributes["host.name"]);
        Assert.Equal(CritEventName, stored.Json.GetProperty("eventName").GetString());

        StoredLogRecord warning = Assert.Single(records, r => r.EventName == WarnEventName);
        Assert.Equal(13, warning.SeverityNumber); // SEVERITY_NUMBER_WARN
        Assert.Equal("Warning", warning.SeverityText);

        // severity=Error means Error and above: the Warning is left out.
        using JsonDocument severe = await _dashboard.GetLogsAsync(displayName, severity: "Error");
        Assert.Equal([CritEventName], StoredLogRecord.FromLogsResponse(severe.RootElement).Select(r => r.EventName));
    }

    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task MetricCounter_ExportedOverOtlp_MarksTheResourceAsHavingMetrics(OtlpExportProtocol protocol)
    {
        string instance = $"metrics-{protocol}-{Guid.NewGuid():N}";
        string meterName = "NetDrop.Tests.Harness." + Guid.NewGuid().ToString("N");
        using (var meter = new Meter(meterName))
        using (MeterProvider meters = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(CreateResource(instance))
            .AddMeter(meterName)
            .AddOtlpExporter((exporter, reader) =>
            {
                exporter.Protocol = protocol;
                exporter.Endpoint = ExporterEndpoint(protocol, "/v1/metrics");
                // Only the explicit flush below exports.
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 600_000;
            })
            .Build())
        {
            Counter<long> dropped = meter.CreateCounter<long>("harness.packet.dropped", "{packet}");
            dropped.Add(5, new KeyValuePair<string, object?>("netdrop.category", "rx_dropped"));

            Assert.True(meters.ForceFlush(10_000), "the metric export did not succeed");
        }

        // The telemetry API has no metric values (no /api/telemetry/metrics): hasMetrics is what it tells.
        using JsonDocument resources = await _dashboard.WaitForResourcesAsync(
            root => FindResource(root, instance)?.GetProperty("hasMetrics").GetBoolean() == true,
            $"resource {ServiceName}/{instance} with metrics");
        JsonElement resource = FindResource(resources.RootElement, instance)!.Value;
        Assert.False(resource.GetProperty("hasLogs").GetBoolean());
        Assert.False(resource.GetProperty("hasTraces").GetBoolean());
    }

    [Fact]
    public async Task WaitForLogs_NothingMatches_FailsWithTheDashboardOutput()
    {
        TimeoutException timeout = await Assert.ThrowsAsync<TimeoutException>(() => _dashboard.WaitForLogsAsync(
            _ => false, "a record that is never sent", resource: "never-sent-" + Guid.NewGuid().ToString("N"), timeout: TimeSpan.FromSeconds(1)));

        Assert.Contains("a record that is never sent", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("answered 404", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("Aspire dashboard version", timeout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ThenDispose_KillsTheProcessAndFreesItsPort()
    {
        AspireDashboard second = await AspireDashboard.StartAsync();
        int pid = second.ProcessId;
        var frontend = new Uri(second.FrontendEndpoint);
        Assert.NotEqual(_dashboard.FrontendEndpoint, second.FrontendEndpoint);
        using (JsonDocument empty = await second.GetLogsAsync())
        {
            Assert.Equal(0, empty.RootElement.GetProperty("totalCount").GetInt32());
        }

        second.Dispose();

        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid));
        using var client = new TcpClient(AddressFamily.InterNetwork);
        SocketException refused = await Assert.ThrowsAsync<SocketException>(async () => await client.ConnectAsync(IPAddress.Loopback, frontend.Port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    private ILoggerFactory CreateLoggerFactory(OtlpExportProtocol protocol, string instance) =>
        LoggerFactory.Create(logging => logging.AddOpenTelemetry(otel =>
        {
            otel.SetResourceBuilder(CreateResource(instance));
            otel.IncludeFormattedMessage = true;
            otel.AddOtlpExporter((exporter, processor) =>
            {
                exporter.Protocol = protocol;
                exporter.Endpoint = ExporterEndpoint(protocol, "/v1/logs");
                // Export on the logging call itself, so disposing the factory leaves nothing queued.
                processor.ExportProcessorType = ExportProcessorType.Simple;
            });
        }));

    private static ResourceBuilder CreateResource(string instance) =>
        ResourceBuilder.CreateEmpty()
            .AddService(ServiceName, serviceInstanceId: instance, autoGenerateServiceInstanceId: false)
            .AddAttributes([new("host.name", HostName)]);

    // A programmatic Endpoint is used as given: OTLP/HTTP needs the signal's path, gRPC only the authority.
    private Uri ExporterEndpoint(OtlpExportProtocol protocol, string signalPath) =>
        protocol == OtlpExportProtocol.Grpc
            ? new Uri(_dashboard.GrpcEndpoint)
            : new Uri(_dashboard.HttpEndpoint + signalPath);

    private static JsonElement? FindResource(JsonElement resources, string instance)
    {
        foreach (JsonElement resource in resources.EnumerateArray())
        {
            if (resource.GetProperty("instanceId").GetString() == instance)
            {
                return resource;
            }
        }

        return null;
    }
}
