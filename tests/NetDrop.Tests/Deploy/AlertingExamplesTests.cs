using YamlDotNet.RepresentationModel;

namespace NetDrop.Tests.Deploy;

/// <summary>
/// k8s/alerting: the Prometheus rules and the Alertmanager configuration pass promtool and amtool, and route A's rule
/// fires on the CRIT records the collector counts (promtool test rules). The collector configurations themselves are
/// checked by <see cref="CollectorConfigTests"/>.
/// </summary>
public sealed class AlertingExamplesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("netdrop-alerting-").FullName;

    [Fact]
    public void PrometheusRules_PassPromtoolAndAlertOnAnyCritInterval()
    {
        string rules = Example("alerting/prometheus-rules.yaml");

        ProcessRunner.Result result = ProcessRunner.Run(DeployTools.Promtool, ["check", "rules", rules]);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        YamlMappingNode rule = Assert.Single(Assert.Single(YamlNodes.LoadFile(rules).Seq("groups").Maps()).Seq("rules").Maps());
        Assert.Equal("increase(netdrop_crit_intervals_total[5m]) > 0", rule.Str("expr"));
        Assert.Equal("NetDropCritInterval", rule.Str("alert"));
    }

    [Fact]
    public void Promtool_RejectsABrokenExpression()
    {
        string broken = Path.Join(_directory, "rules.yaml");
        File.WriteAllText(broken, File.ReadAllText(Example("alerting/prometheus-rules.yaml")).Replace("[5m]) > 0", "[5m] > 0", StringComparison.Ordinal));

        Assert.NotEqual(0, ProcessRunner.Run(DeployTools.Promtool, ["check", "rules", broken]).ExitCode);
    }

    [Fact]
    public void AlertmanagerConfig_PassesAmtoolAndSendsNetdropAlertsToSlackAndAWebhook()
    {
        string file = Example("alerting/alertmanager.yaml");

        ProcessRunner.Result result = ProcessRunner.Run(DeployTools.Amtool, ["check-config", file]);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        YamlMappingNode config = YamlNodes.LoadFile(file);
        YamlMappingNode route = Assert.Single(config.Map("route").Seq("routes").Maps());
        Assert.Equal(["alertname =~ \"NetDrop.*\""], route.Seq("matchers").Strings());
        YamlMappingNode receiver = config.Seq("receivers").Named(route.Str("receiver"));
        Assert.Single(receiver.Seq("slack_configs").Maps());
        Assert.StartsWith("http", Assert.Single(receiver.Seq("webhook_configs").Maps()).Str("url"), StringComparison.Ordinal);
        // Both routes' alerts carry the node as k8s_node_name (Kubernetes) or host_name (a plain host).
        Assert.Contains("k8s_node_name", route.Seq("group_by").Strings());
        Assert.Contains("host_name", route.Seq("group_by").Strings());
    }

    [Fact]
    public void Amtool_RejectsAnUnknownReceiverKey()
    {
        string broken = Path.Join(_directory, "alertmanager.yaml");
        File.WriteAllText(broken, File.ReadAllText(Example("alerting/alertmanager.yaml")).Replace("send_resolved: true", "send_resolvd: true", StringComparison.Ordinal));

        Assert.NotEqual(0, ProcessRunner.Run(DeployTools.Amtool, ["check-config", broken]).ExitCode);
    }

    [Fact]
    public void RouteARule_PassesPromtoolAndFiresOnEveryCritRecordSeries()
    {
        // netdrop_crit_records_total as route A's collector writes it: a sample only when CRIT records arrive
        // (the count connector emits per batch), born at its first count. Node a: a first CRIT at 1m, the next at
        // 8m, quiet in between and after. Node b: a counter sampled every minute, steady, +1 at 11m, then reset to
        // 1 at 21m (the collector restarted). Expected: firing within 5 minutes of each CRIT, silent otherwise.
        string rules = Example("alerting/route-a-rules.yaml");
        Assert.Equal(0, ProcessRunner.Run(DeployTools.Promtool, ["check", "rules", rules]).ExitCode);
        string a = "{exp_labels: {severity: critical, k8s_node_name: a, network_interface_name: eth0, netdrop_dominant_category: softirq}, "
            + "exp_annotations: {summary: 'Packet drops at CRIT level on a, interface eth0, mostly softirq'}}";
        string b = "{exp_labels: {severity: critical, k8s_node_name: b}, exp_annotations: {summary: 'Packet drops at CRIT level on b, interface , mostly '}}";
        string test = Path.Join(_directory, "route-a.test.yaml");
        File.WriteAllText(test, $$"""
            rule_files: ['{{rules}}']
            evaluation_interval: 1m
            tests:
              - interval: 1m
                input_series:
                  - series: 'netdrop_crit_records_total{k8s_node_name="a",network_interface_name="eth0",netdrop_dominant_category="softirq"}'
                    values: '_ 1 _ _ _ _ _ _ 2 _ _ _ _ _ _ _ _ _ _ _'
                alert_rule_test:
                  - {eval_time: 1m, alertname: NetDropCritRecord, exp_alerts: [{{a}}]}
                  - {eval_time: 5m, alertname: NetDropCritRecord, exp_alerts: [{{a}}]}
                  - {eval_time: 7m, alertname: NetDropCritRecord, exp_alerts: []}
                  - {eval_time: 8m, alertname: NetDropCritRecord, exp_alerts: [{{a}}]}
                  - {eval_time: 12m, alertname: NetDropCritRecord, exp_alerts: [{{a}}]}
                  - {eval_time: 14m, alertname: NetDropCritRecord, exp_alerts: []}
              - interval: 1m
                input_series:
                  - series: 'netdrop_crit_records_total{k8s_node_name="b"}'
                    values: '5x10 6x10 1x10'
                alert_rule_test:
                  - {eval_time: 9m, alertname: NetDropCritRecord, exp_alerts: []}
                  - {eval_time: 12m, alertname: NetDropCritRecord, exp_alerts: [{{b}}]}
                  - {eval_time: 20m, alertname: NetDropCritRecord, exp_alerts: []}
                  - {eval_time: 23m, alertname: NetDropCritRecord, exp_alerts: [{{b}}]}
                  - {eval_time: 30m, alertname: NetDropCritRecord, exp_alerts: []}
            """);

        ProcessRunner.Result result = ProcessRunner.Run(DeployTools.Promtool, ["test", "rules", test]);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
    }

    [Fact]
    public void RouteARule_WithIncreaseAloneMissesTheFirstCritOfASeries()
    {
        // The plain increase() rule promtool must reject by the same test: a series born at 1 never fires.
        string rules = Path.Join(_directory, "increase-only.yaml");
        File.WriteAllText(rules, """
            groups:
              - name: t
                rules:
                  - alert: NetDropCritRecord
                    expr: increase(netdrop_crit_records_total[5m]) > 0
            """);
        string test = Path.Join(_directory, "increase-only.test.yaml");
        File.WriteAllText(test, $$"""
            rule_files: ['{{rules}}']
            tests:
              - interval: 1m
                input_series:
                  - series: 'netdrop_crit_records_total{k8s_node_name="a"}'
                    values: '_ 1 _ _ _'
                alert_rule_test:
                  - {eval_time: 2m, alertname: NetDropCritRecord, exp_alerts: [{exp_labels: {k8s_node_name: a} }] }
            """);

        Assert.NotEqual(0, ProcessRunner.Run(DeployTools.Promtool, ["test", "rules", test]).ExitCode);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Example(string relative) => RepositoryRoot.Combine("k8s", relative);
}
