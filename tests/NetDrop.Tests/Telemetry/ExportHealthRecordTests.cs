using System.Globalization;
using System.Text.Json;
using NetDrop.Tests.TestSupport;

namespace NetDrop.Tests.Telemetry;

/// <summary>
/// Export failing and recovered, end to end with the real agent: for a dead endpoint and for one answering 401, each
/// signal says "failing" once and "recovered" once, on stderr and as a log record with its stable event name
/// (event ids 3001/3002), and the failing record, raised while nothing got through, is delivered once it does.
/// TelemetryOutageTests already holds the stderr lines of the dead endpoint and the 401's failing line; this adds the
/// records and the 401's recovery.
/// </summary>
[Collection(AspireDashboardCollectionDefinition.Name)]
[Trait("Category", "Telemetry")]
public sealed class ExportHealthRecordTests : IDisposable
{
    private const string Failing = "netdrop.export.failing";
    private const string Recovered = "netdrop.export.recovered";
    private static readonly TimeSpan s_runTimeout = TimeSpan.FromSeconds(60);
    private static readonly string[] s_signals = ["logs", "metrics"];

    private readonly AspireDashboard _dashboard;
    private readonly string _directory = Directory.CreateTempSubdirectory("netdrop-export-health-").FullName;

    public ExportHealthRecordTests(AspireDashboardFixture fixture)
    {
        _dashboard = fixture.Dashboard;
    }

    [Fact]
    public async Task DeadEndpointThenCollector_FailingAndRecoveredOnceEachOnStderrAndAsRecords()
    {
        int port = AspireDashboard.FreeLoopbackPort();
        string endpoint = $"http://127.0.0.1:{port}";
        string instance = Guid.NewGuid().ToString("N");
        string csv = Path.Join(_directory, "dead.log");
        using MonitorProcess agent = MonitorProcess.StartHere(csv, new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={instance}",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        }, "monitor", "-i", "lo", "--interval", "0.2", "--count", "600", "--csv", csv);

        // Nothing listens on the port: gRPC's connection is refused (the exporter returns failure).
        agent.WaitForOutput($"OTLP export of metrics to {endpoint}/ is failing", s_runTimeout);
        agent.WaitForOutput($"OTLP export of logs to {endpoint}/ is failing", s_runTimeout);

        using (AspireDashboard collector = await AspireDashboard.StartAsync(grpcPort: port))
        {
            await AssertSaidOnceEachAsync(collector, agent, instance, endpoint + "/", endpoint + "/");
        }
    }

    [Fact]
    public async Task EndpointAnswering401ThenAccepting_FailingAndRecoveredOnceEachOnStderrAndAsRecords()
    {
        await using var endpoint = new RejectingThenForwardingEndpoint(AspireDashboard.FreeLoopbackPort());
        string instance = Guid.NewGuid().ToString("N");
        string csv = Path.Join(_directory, "unauthorized.log");
        using MonitorProcess agent = MonitorProcess.StartHere(csv, new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_EXPORTER_OTLP_HEADERS"] = "authorization=Bearer wrong-token",
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={instance}",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        }, "monitor", "-i", "lo", "--interval", "0.2", "--count", "600", "--csv", csv);

        agent.WaitForOutput($"OTLP export of metrics to {endpoint.Endpoint}/v1/metrics is failing", s_runTimeout);
        agent.WaitForOutput($"OTLP export of logs to {endpoint.Endpoint}/v1/logs is failing", s_runTimeout);
        Assert.True(endpoint.Rejected >= 2, $"the endpoint answered 401 {endpoint.Rejected} times");

        // The token is "fixed": the same endpoint now accepts (it hands the requests to a real collector).
        endpoint.ForwardTo(_dashboard.HttpEndpoint);
        await AssertSaidOnceEachAsync(_dashboard, agent, instance, $"{endpoint.Endpoint}/v1/logs", $"{endpoint.Endpoint}/v1/metrics");
        Assert.True(endpoint.Forwarded > 0, "no request reached the collector after the switch");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task AssertSaidOnceEachAsync(AspireDashboard collector, MonitorProcess agent, string instance, string logsEndpoint, string metricsEndpoint)
    {
        // Both signals recover; every record raised meanwhile (the failing ones included) is then delivered.
        (await collector.WaitForLogsAsync(
            root => s_signals.All(signal => Count(root, instance, Recovered, signal) >= 1 && Count(root, instance, Failing, signal) >= 1),
            "a failing and a recovered record per signal", timeout: s_runTimeout)).Dispose();

        // Stop the agent (its final push goes out before exit 0), then count what arrived and what was printed.
        Signals.Send(agent.ProcessId, Signals.SIGTERM);
        Assert.Equal(0, agent.WaitForExit(s_runTimeout));
        using JsonDocument logs = await collector.GetLogsAsync();
        foreach ((string signal, string endpoint) in new[] { ("logs", logsEndpoint), ("metrics", metricsEndpoint) })
        {
            Assert.Equal(1, Occurrences(agent.Output, $"netdrop: OTLP export of {signal} to {endpoint} is failing"));
            Assert.Equal(1, Occurrences(agent.Output, $"netdrop: OTLP export of {signal} to {endpoint} recovered after"));
            Assert.Equal(1, Count(logs.RootElement, instance, Failing, signal));
            Assert.Equal(1, Count(logs.RootElement, instance, Recovered, signal));

            StoredLogRecord recovered = Records(logs.RootElement, instance, Recovered, signal).Single();
            Assert.Equal(endpoint, recovered.Attributes["netdrop.export.endpoint"]);
            Assert.True(long.Parse(recovered.Attributes["netdrop.export.failed_attempts"], CultureInfo.InvariantCulture) >= 1);
        }
    }

    private static int Count(JsonElement root, string instance, string eventName, string signal) => Records(root, instance, eventName, signal).Count();

    private static IEnumerable<StoredLogRecord> Records(JsonElement root, string instance, string eventName, string signal) =>
        StoredLogRecord.FromLogsResponse(root).Where(record =>
            record.EventName == eventName
            && record.ResourceAttributes.TryGetValue("service.instance.id", out string? id) && id == instance
            && record.Attributes.TryGetValue("netdrop.export.signal", out string? value) && value == signal);

    private static int Occurrences(string text, string value)
    {
        int count = 0;
        for (int at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
