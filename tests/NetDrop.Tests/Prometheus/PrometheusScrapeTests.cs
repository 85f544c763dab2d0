using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using NetDrop.Tests.Deploy;
using NetDrop.Tests.TestSupport;
using Xunit.Abstractions;

namespace NetDrop.Tests.Prometheus;

/// <summary>
/// A real Prometheus (Debian's, unpacked by eng/install-deploy-tools.sh) scrapes a real agent's
/// <c>--prometheus-listen</c> endpoint, both inside a namespace the test owns, and evaluates the repository's own alert
/// rules (k8s/alerting/prometheus-rules.yaml) and every query of the Grafana dashboard (helm/netdrop/dashboards). Drops are
/// induced on the namespace's loopback (UDP to unread sockets), so nothing outside the namespace sees any traffic.
/// </summary>
[Trait("Category", "Namespace")]
public sealed partial class PrometheusScrapeTests(ITestOutputHelper output) : IDisposable
{
    private const int AgentPort = 9464;
    private const int PrometheusPort = 9090;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    private readonly string _directory = Directory.CreateTempSubdirectory("netdrop-prometheus-").FullName;
    private readonly NetworkNamespace _namespace = NetworkNamespace.Create();
    private Process? _prometheus;

    /// <summary>
    /// One run from a fresh agent: the rule stays silent while nothing drops, fires on the first CRIT interval the agent
    /// ever has (its crit-interval series must exist at 0 before it, or increase() has nothing to compare), the PromQL
    /// sums equal the CSV's column sums, and every dashboard query returns data.
    /// </summary>
    [Fact]
    public void RealPrometheus_ScrapingARealAgent_SeesTheCsvSumsFiresTheRuleAndAnswersEveryDashboardQuery()
    {
        _namespace.Ip("link", "set", "lo", "up");
        string csv = Path.Join(_directory, "drops.csv");
        using MonitorProcess agent = MonitorProcess.StartInWithEnvironment(_namespace, csv, new Dictionary<string, string> { ["NETDROP_PER_CPU"] = "true" },
            "monitor", "-i", "lo", "--interval", "0.5", "--csv", csv, "--no-color", "--prometheus-listen", $"127.0.0.1:{AgentPort}");
        agent.WaitForHeader(s_timeout);
        StartPrometheus();

        // Silent without a CRIT: several scrapes and rule evaluations of an agent that has dropped nothing.
        WaitFor(() => Scalar("count_over_time(netdrop_crit_intervals_total[1m])") >= 5, "five scrapes of netdrop_crit_intervals_total (is it born at 0?)");
        Assert.Empty(Vector("ALERTS{alertname=\"NetDropCritInterval\"}"));

        DropWitness flood = DropInducers.FloodUnreadUdpSockets(_namespace);
        long refused = flood["udp_rcvbuf"];
        Assert.True(refused >= 100, $"the flood must make a CRIT interval (threshold 100): {flood}");
        agent.WaitForRows(agent.CompletedRows() + 2, s_timeout);

        WaitFor(() => Vector("ALERTS{alertname=\"NetDropCritInterval\",alertstate=\"firing\"}").Count > 0, "NetDropCritInterval firing after the first CRIT");

        // Every category Prometheus holds equals the CSV's column sum (softirq is host-wide and may move on its own). A
        // category the agent could not read (the neighbour tables exist in the initial namespace only, and the agent runs
        // in the test's) has no series at all, as its CSV cells say.
        string csvText = agent.ReadCsvText();
        Dictionary<string, long> csvSums = CsvRecords.ColumnSums(csvText);
        List<string[]> records = CsvRecords.Parse(csvText);
        int unavailableColumn = Array.IndexOf(records[0], "unavailable");
        HashSet<string> unavailable = [.. records.Skip(1).SelectMany(row => row[unavailableColumn].Split(';', StringSplitOptions.RemoveEmptyEntries))];
        Assert.Equal(refused, csvSums["udp_rcvbuf"]);
        foreach ((string category, long sum) in csvSums.Where(pair => pair.Key is not ("softirq" or "softnet_squeeze") && !unavailable.Contains(pair.Key)))
        {
            WaitFor(() => Scalar($"sum(netdrop_packet_dropped_total{{netdrop_category=\"{category}\"}}) or sum(netdrop_pressure_total{{netdrop_category=\"{category}\"}})") == sum,
                $"PromQL {category} == CSV sum {sum}");
        }

        foreach (string query in DashboardQueries())
        {
            int series = Vector(query).Count;
            output.WriteLine($"{series} series: {query}");
            Assert.True(series > 0, $"dashboard query returned no data: {query}");
        }
    }

    public void Dispose()
    {
        if (_prometheus is { HasExited: false })
        {
            _prometheus.Kill(entireProcessTree: true);
            _prometheus.WaitForExit(TimeSpan.FromSeconds(10));
        }

        _prometheus?.Dispose();
        _namespace.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Every target expression of the dashboard, with Grafana's variables given the values a user would see.</summary>
    internal static List<string> DashboardQueries()
    {
        using JsonDocument dashboard = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.Combine("helm", "netdrop", "dashboards", "netdrop-dashboard.json")));
        var queries = new List<string>();
        foreach (JsonElement panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            foreach (JsonElement target in panel.GetProperty("targets").EnumerateArray())
            {
                queries.Add(target.GetProperty("expr").GetString()!
                    .Replace("$__rate_interval", "1m", StringComparison.Ordinal)
                    .Replace("$__range", "5m", StringComparison.Ordinal)
                    .Replace("$node", ".*", StringComparison.Ordinal)
                    .Replace("$interface", ".*", StringComparison.Ordinal));
            }
        }

        Assert.True(queries.Count >= 10, $"only {queries.Count} dashboard queries");
        Assert.All(queries, query => Assert.DoesNotMatch(GrafanaVariable(), query));
        return queries;
    }

    private void StartPrometheus()
    {
        string rules = RepositoryRoot.Combine("k8s", "alerting", "prometheus-rules.yaml");
        string config = Path.Join(_directory, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
              - {rules}
            scrape_configs:
              - job_name: netdrop
                static_configs:
                  - targets: ["127.0.0.1:{AgentPort}"]
            """);
        var startInfo = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])["netns", "exec", _namespace.Name, DeployTools.Prometheus,
            "--config.file=" + config, "--storage.tsdb.path=" + Path.Join(_directory, "tsdb"),
            $"--web.listen-address=127.0.0.1:{PrometheusPort}", "--log.level=warn"])
        {
            startInfo.ArgumentList.Add(argument);
        }

        _prometheus = Process.Start(startInfo)!;
        _prometheus.OutputDataReceived += (_, line) => { };
        _prometheus.ErrorDataReceived += (_, line) => { };
        _prometheus.BeginOutputReadLine();
        _prometheus.BeginErrorReadLine();
        WaitFor(() => NamespaceHttp.IsListening(_namespace, PrometheusPort) && NamespaceHttp.Get(_namespace, PrometheusPort, "/-/ready").Status == 200,
            "Prometheus ready");
    }

    private List<JsonElement> Vector(string query)
    {
        (int status, string body) = NamespaceHttp.Get(_namespace, PrometheusPort, "/api/v1/query?query=" + Uri.EscapeDataString(query));
        Assert.True(status == 200, $"HTTP {status} for '{query}': {body}");
        using JsonDocument document = JsonDocument.Parse(body);
        return [.. document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(element => element.Clone())];
    }

    /// <summary>The single value of an instant query, or -1 when it returned no series.</summary>
    private double Scalar(string query)
    {
        List<JsonElement> result = Vector(query);
        return result.Count == 0 ? -1 : double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    private static void WaitFor(Func<bool> condition, string what) => Poll.Until(condition, s_timeout, what, everyMilliseconds: 250);

    [GeneratedRegex(@"\$\w+")]
    private static partial Regex GrafanaVariable();
}
