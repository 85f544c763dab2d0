using NetDrop.Tests.TestSupport;
using YamlDotNet.RepresentationModel;

namespace NetDrop.Tests.Deploy;

/// <summary>
/// k8s/collector and k8s/alerting: the OpenTelemetry Collector examples are consistent configurations wired the way
/// DEPLOY.md describes, and the Prometheus rule and Alertmanager configuration pass promtool and amtool.
/// </summary>
public sealed class AlertingExamplesTests : IDisposable
{
    private static readonly string[] s_componentKinds = ["receivers", "processors", "exporters", "connectors", "extensions"];

    private static readonly string[] s_pipelineKinds = ["receivers", "processors", "exporters"];

    private readonly string _directory = Directory.CreateTempSubdirectory("netdrop-alerting-").FullName;

    public static TheoryData<string> CollectorConfigs => new(
        "alerting/route-a-collector.yaml",
        "alerting/route-b-collector.yaml",
        "collector/opentelemetry-collector-values.yaml");

    [Theory]
    [MemberData(nameof(CollectorConfigs))]
    public void CollectorConfig_EveryPipelineComponentIsDefinedAndEveryDefinedOneIsUsed(string file)
    {
        YamlMappingNode config = CollectorConfig(file);
        var used = new HashSet<string>(StringComparer.Ordinal);

        foreach ((YamlNode name, YamlNode pipeline) in config.Map("service").Map("pipelines").Children)
        {
            var stages = (YamlMappingNode)pipeline;
            Assert.NotEmpty(stages.Seq("receivers").Strings());
            Assert.NotEmpty(stages.Seq("exporters").Strings());
            foreach (string kind in s_pipelineKinds.Where(stages.Has))
            {
                foreach (string component in stages.Seq(kind).Strings())
                {
                    Assert.True(config.Has(kind) && config.Map(kind).Has(component), $"{file}: pipeline {name} uses undefined {kind} '{component}'");
                    used.Add(kind + "/" + component);
                }
            }
        }

        foreach (string kind in s_pipelineKinds.Where(config.Has))
        {
            Assert.All(config.Map(kind).Keys(), component => Assert.Contains(kind + "/" + component, used));
        }

        Assert.All(config.Keys(), key => Assert.Contains(key, s_componentKinds.Append("service")));
    }

    [Fact]
    public void RouteA_SendsOnlyNetdropCritLogsThroughTransformToAlertmanager()
    {
        YamlMappingNode config = CollectorConfig("alerting/route-a-collector.yaml");

        string[] dropWhen = [.. config.Map("processors").Map("filter/netdrop-crit").Map("logs").Seq("log_record").Strings()];
        Assert.Contains("resource.attributes[\"service.name\"] != \"netdrop\"", dropWhen);
        Assert.Contains("severity_number < SEVERITY_NUMBER_ERROR", dropWhen);
        string[] statements = [.. Assert.Single(config.Map("processors").Map("transform/netdrop-alert").Seq("log_statements").Maps()).Seq("statements").Strings()];
        Assert.Contains("set(attributes[\"node\"], resource.attributes[\"k8s.node.name\"])", statements);
        Assert.Contains("set(attributes[\"alertname\"], \"NetDropCritInterval\")", statements);
        Assert.Contains("set(attributes[\"interface\"], attributes[\"network.interface.name\"])", statements);
        Assert.Contains("set(attributes[\"category\"], attributes[\"netdrop.category\"])", statements);

        YamlMappingNode exporter = config.Map("exporters").Map("alertmanager");
        Assert.Equal(["alertname", "node", "interface", "category"], exporter.Seq("event_labels").Strings());
        Assert.Equal("critical", exporter.Str("severity"));

        YamlMappingNode pipeline = config.Map("service").Map("pipelines").Map("logs/netdrop-alerts");
        string[] processors = [.. pipeline.Seq("processors").Strings()];
        Assert.True(Array.IndexOf(processors, "filter/netdrop-crit") < Array.IndexOf(processors, "transform/netdrop-alert"), "filter before transform");
        Assert.Equal(["alertmanager"], pipeline.Seq("exporters").Strings());
    }

    [Fact]
    public void RouteB_RemoteWritesTheAgentsMetricsWithResourceAttributesAsLabels()
    {
        YamlMappingNode config = CollectorConfig("alerting/route-b-collector.yaml");

        YamlMappingNode exporter = config.Map("exporters").Map("prometheusremotewrite");
        Assert.Equal("true", exporter.Map("resource_to_telemetry_conversion").Str("enabled"));
        Assert.Equal(["prometheusremotewrite"], config.Map("service").Map("pipelines").Map("metrics").Seq("exporters").Strings());
    }

    [Fact]
    public void DaemonsetCollector_ListensOnThePortsTheChartSendsTo()
    {
        YamlMappingNode values = YamlNodes.LoadFile(Example("collector/opentelemetry-collector-values.yaml"));
        YamlMappingNode protocols = values.Map("config").Map("receivers").Map("otlp").Map("protocols");

        Assert.Equal("daemonset", values.Str("mode"));
        Assert.EndsWith(":4317", protocols.Map("grpc").Str("endpoint"), StringComparison.Ordinal);
        Assert.EndsWith(":4318", protocols.Map("http").Str("endpoint"), StringComparison.Ordinal);
        Assert.EndsWith(":4317", RenderedChart.Render().EnvValue("NETDROP_OTLP_ENDPOINT"), StringComparison.Ordinal);
        Assert.EndsWith(":4318", RenderedChart.Render("--set", "otlp.protocol=http/protobuf").EnvValue("NETDROP_OTLP_ENDPOINT"), StringComparison.Ordinal);
    }

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
        // Both routes' node labels group the notifications.
        Assert.Contains("node", route.Seq("group_by").Strings());
        Assert.Contains("k8s_node_name", route.Seq("group_by").Strings());
    }

    [Fact]
    public void Amtool_RejectsAnUnknownReceiverKey()
    {
        string broken = Path.Join(_directory, "alertmanager.yaml");
        File.WriteAllText(broken, File.ReadAllText(Example("alerting/alertmanager.yaml")).Replace("send_resolved: true", "send_resolvd: true", StringComparison.Ordinal));

        Assert.NotEqual(0, ProcessRunner.Run(DeployTools.Amtool, ["check-config", broken]).ExitCode);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Example(string relative) => RepositoryRoot.Combine("k8s", relative);

    /// <summary>A collector configuration: the file itself, or the <c>config:</c> of a collector chart's values.</summary>
    private static YamlMappingNode CollectorConfig(string relative)
    {
        YamlMappingNode document = YamlNodes.LoadFile(Example(relative));
        return document.Has("mode") ? document.Map("config") : document;
    }
}
