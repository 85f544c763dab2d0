using System.Globalization;
using System.Net;
using System.Text.Json;
using NetDrop.Model;
using NetDrop.Tests.TestSupport;

namespace NetDrop.Tests.Telemetry;

/// <summary>
/// The real agent while its collector is down, then up (the Aspire Dashboard started on the agent's endpoint): CRIT
/// records raised during the outage are delivered, all of them and in order; a failing export is said once on stderr
/// and its recovery once; the same node keeps one service.instance.id across starts.
/// </summary>
[Collection(AspireDashboardCollectionDefinition.Name)]
[Trait("Category", "Telemetry")]
public sealed class TelemetryOutageTests : IDisposable
{
    private static readonly TimeSpan s_runTimeout = TimeSpan.FromSeconds(60);

    private readonly AspireDashboard _dashboard;
    private readonly string _directory = Directory.CreateTempSubdirectory("netdrop-outage-").FullName;

    public TelemetryOutageTests(AspireDashboardFixture fixture)
    {
        _dashboard = fixture.Dashboard;
    }

    [Fact]
    public async Task CollectorDownWhileCritsHappen_EveryCritRecordDeliveredInOrderWhenItComesUp()
    {
        string csv = Path.Join(_directory, "outage.log");
        int port = AspireDashboard.FreeLoopbackPort();
        string instance = Guid.NewGuid().ToString("N");
        string endpoint = $"http://127.0.0.1:{port}";
        using MonitorProcess agent = MonitorProcess.StartHere(csv, new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={instance}",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        }, "monitor", "-i", "lo", "--interval", "0.25", "--threshold", "1", "--count", "400", "--csv", csv);
        agent.WaitForRows(2, s_runTimeout);

        // Five floods into an unread socket, each in an interval of its own: udp_rcvbuf drops, so CRIT at threshold 1.
        for (int flood = 0; flood < 5; flood++)
        {
            DropInducers.FloodUnreadUdpSocket(IPAddress.Loopback, 200);
            agent.WaitForRows(agent.CompletedRows() + 2, s_runTimeout);
        }

        int critDuringOutage = CritRows(csv).Count;
        Assert.True(critDuringOutage >= 5, $"the floods made {critDuringOutage} CRIT intervals\n{agent.Describe()}");
        agent.WaitForOutput($"OTLP export of logs to {endpoint}/ is failing", s_runTimeout);

        using (AspireDashboard collector = await AspireDashboard.StartAsync(grpcPort: port))
        {
            (await collector.WaitForLogsAsync(
                root => CritRecords(root, instance).Count >= critDuringOutage,
                "every CRIT record raised during the outage", timeout: s_runTimeout)).Dispose();
            agent.WaitForOutput($"OTLP export of logs to {endpoint}/ recovered after", s_runTimeout);

            // Stop the agent (its last interval's record goes out with the final push) and compare everything.
            Signals.Send(agent.ProcessId, Signals.SIGTERM);
            Assert.Equal(0, agent.WaitForExit(s_runTimeout));
            List<string[]> critRows = CritRows(csv);
            using JsonDocument logs = await collector.WaitForLogsAsync(
                root => CritRecords(root, instance).Count >= critRows.Count, "every CRIT record of the run", timeout: s_runTimeout);
            List<StoredLogRecord> delivered = CritRecords(logs.RootElement, instance);

            // All of them, once each, in the order they happened: the CSV's CRIT rows, row by row.
            int total = Array.IndexOf(CsvSchema.Default.Columns, CsvSchema.TotalDrops);
            Assert.Equal(critRows.Select(row => row[total]), delivered.Select(record => record.Attributes["netdrop.total_drops"]));
            foreach (IGrouping<string, StoredLogRecord> episode in delivered.GroupBy(record => record.Attributes["netdrop.episode.id"]))
            {
                int[] intervals = [.. episode.Select(record => int.Parse(record.Attributes["netdrop.episode.intervals"], CultureInfo.InvariantCulture))];
                Assert.Equal(Enumerable.Range(1, intervals.Length), intervals);
            }

            Assert.All(delivered, record => Assert.Equal("critical", record.Attributes["netdrop.alert.severity"]));
        }

        // Said once when it failed and once when it recovered, per signal, not once per attempt.
        Assert.Equal(1, Occurrences(agent.Output, $"OTLP export of logs to {endpoint}/ is failing"));
        Assert.Equal(1, Occurrences(agent.Output, $"OTLP export of logs to {endpoint}/ recovered after"));
        Assert.Equal(1, Occurrences(agent.Output, $"OTLP export of metrics to {endpoint}/ is failing"));
        Assert.Equal(1, Occurrences(agent.Output, $"OTLP export of metrics to {endpoint}/ recovered after"));
    }

    [Fact]
    public async Task EndpointAnswering401_ExportFailingSaidOnceOnStderr()
    {
        string csv = Path.Join(_directory, "unauthorized.log");
        int port = AspireDashboard.FreeLoopbackPort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        int requests = 0;
        Task answering = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (HttpListenerException)
                {
                    return; // stopped
                }
                catch (ObjectDisposedException)
                {
                    return;
                }

                Interlocked.Increment(ref requests);
                context.Response.StatusCode = 401;
                context.Response.Close();
            }
        });

        using MonitorProcess agent = MonitorProcess.StartHere(csv, new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_EXPORTER_OTLP_HEADERS"] = "authorization=Bearer wrong-token",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        }, "monitor", "-i", "lo", "--interval", "0.2", "--count", "25", "--csv", csv);
        agent.WaitForOutput($"OTLP export of metrics to http://127.0.0.1:{port}/v1/metrics is failing", s_runTimeout);
        Assert.Equal(0, agent.WaitForExit(s_runTimeout));
        listener.Stop();
        await answering;

        Assert.True(Volatile.Read(ref requests) >= 3, $"the agent sent {requests} requests");
        Assert.Equal(1, Occurrences(agent.Output, "OTLP export of metrics to"));
    }

    [Fact]
    public async Task TwoStartsOnOneNode_SameServiceInstanceId()
    {
        // Tests of this collection run one at a time, so resources new to the dashboard after these runs are theirs.
        HashSet<string> before = await InstanceIdsAsync();
        string node = "node-" + Guid.NewGuid().ToString("N");
        for (int start = 0; start < 2; start++)
        {
            string csv = Path.Join(_directory, $"start{start}.log");
            using MonitorProcess agent = MonitorProcess.StartHere(csv, new Dictionary<string, string>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _dashboard.GrpcEndpoint,
                ["OTEL_RESOURCE_ATTRIBUTES"] = $"k8s.node.name={node}",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
            }, "monitor", "-i", "lo", "--interval", "0.2", "--count", "3", "--csv", csv);
            Assert.Equal(0, agent.WaitForExit(s_runTimeout)); // the last push is made before exit
        }

        (await _dashboard.WaitForResourcesAsync(
            root => root.EnumerateArray().Any(resource => !before.Contains(resource.GetProperty("instanceId").GetString()!)),
            "the runs' metrics")).Dispose();
        string[] added = [.. (await InstanceIdsAsync()).Except(before)];

        // One resource for both starts: the instance id comes from the node, not drawn at random per process.
        string id = Assert.Single(added);
        Assert.True(Guid.TryParse(id, out Guid guid) && guid.Version == 5, $"service.instance.id {id} is not a version-5 UUID");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<HashSet<string>> InstanceIdsAsync()
    {
        using JsonDocument resources = await _dashboard.GetResourcesAsync();
        return [.. resources.RootElement.EnumerateArray().Select(resource => resource.GetProperty("instanceId").GetString() ?? "")];
    }

    private static List<string[]> CritRows(string csv) =>
        [.. CsvRecords.Parse(UnlockedFile.ReadAllText(csv)).Skip(1).Where(row => row.Length > CsvSchema.SeverityIndex && row[CsvSchema.SeverityIndex] == "CRIT")];

    // CRIT records of one run in the order the dashboard received them (aspire.log_id is assigned on arrival).
    private static List<StoredLogRecord> CritRecords(JsonElement root, string instance) =>
        [.. StoredLogRecord.FromLogsResponse(root)
            .Where(record => record.EventName == "netdrop.crit"
                && record.ResourceAttributes.TryGetValue("service.instance.id", out string? id) && id == instance)
            .OrderBy(record => long.Parse(record.Attributes["aspire.log_id"], CultureInfo.InvariantCulture))];

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
