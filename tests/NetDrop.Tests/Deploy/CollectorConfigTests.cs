using YamlDotNet.RepresentationModel;

namespace NetDrop.Tests.Deploy;

/// <summary>
/// Every OpenTelemetry Collector configuration the repository ships starts on the released distribution it names:
/// its components are checked against that release's component list (vendored from the release's builder manifest),
/// its keys against the components' own, and its pipelines the way the collector wires them.
/// </summary>
public sealed class CollectorConfigTests
{
    /// <summary>The configurations the k8s/ README and docs/deploy.md point users at; all must be found.</summary>
    private static readonly string[] s_expected =
    [
        "k8s/alerting/route-a-collector.yaml",
        "k8s/alerting/route-b-collector.yaml",
        "k8s/alerting/route-b-otelcol-k8s.yaml",
        "k8s/collector/opentelemetry-collector-values.yaml",
    ];

    private static readonly string[] s_stages = ["receivers", "processors", "exporters"];

    private static readonly string[] s_sections = ["receivers", "processors", "exporters", "connectors", "extensions"];

    public static TheoryData<string> Shipped => new(ShippedCollectorConfig.All().Select(config => config.Source));

    [Fact]
    public void Discovery_FindsEveryShippedCollectorConfig()
    {
        string[] found = [.. ShippedCollectorConfig.All().Select(config => config.Source)];

        Assert.All(s_expected, expected => Assert.Contains(expected, found));
    }

    [Theory]
    [MemberData(nameof(Shipped))]
    public void ShippedConfig_NamesAReleasedDistribution(string source)
    {
        ShippedCollectorConfig config = Find(source);

        Assert.True(config.Distribution is "otelcol-contrib" or "otelcol-k8s", $"{source}: no '# Distribution: otelcol-contrib|otelcol-k8s <version>' line");
        Assert.True(File.Exists(CollectorDistribution.FixturePath(config.Distribution!, config.Version!)), $"{source}: no vendored component list for {config.Distribution} {config.Version}");
    }

    [Theory]
    [MemberData(nameof(Shipped))]
    public void ShippedConfig_UsesOnlyComponentsAndKeysOfItsDistribution(string source)
    {
        ShippedCollectorConfig config = Find(source);
        CollectorDistribution distribution = CollectorDistribution.Load(config.Distribution!, config.Version!);

        IReadOnlyList<string> problems = CollectorConfigCheck.Problems(config.Config, distribution);

        Assert.True(problems.Count == 0, $"{source}:\n  " + string.Join("\n  ", problems));
    }

    [Theory]
    [MemberData(nameof(Shipped))]
    public void ShippedConfig_DeclaresNothingItDoesNotUse(string source)
    {
        YamlMappingNode config = Find(source).Config;
        YamlMappingNode pipelines = config.Map("service").Map("pipelines");
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (YamlMappingNode pipeline in pipelines.Children.Values.Cast<YamlMappingNode>())
        {
            foreach (string stage in s_stages.Where(pipeline.Has))
            {
                used.UnionWith(pipeline.Seq(stage).Strings());
            }
        }

        if (config.Map("service").Has("extensions"))
        {
            used.UnionWith(config.Map("service").Seq("extensions").Strings());
        }

        foreach (string section in s_sections.Where(config.Has))
        {
            Assert.All(config.Map(section).Keys(), component => Assert.True(used.Contains(component), $"{source}: {section} '{component}' is declared but no pipeline uses it"));
        }
    }

    [Fact]
    public void VendoredLists_HoldTheReleasesComponentsAndTheirCurrentNames()
    {
        CollectorDistribution contrib = CollectorDistribution.Load("otelcol-contrib", "0.159.0");
        CollectorDistribution k8s = CollectorDistribution.Load("otelcol-k8s", "0.159.0");

        // Facts of the release, read from its manifest and the components' metadata.yaml, written here by hand.
        Assert.True(contrib.Contains("exporter", "prometheus_remote_write"));
        Assert.False(k8s.Contains("exporter", "prometheus_remote_write"));
        Assert.Equal("otlp_grpc", contrib.ReplacementOf("exporter", "otlp"));
        Assert.Equal("otlp_http", k8s.ReplacementOf("exporter", "otlphttp"));
        Assert.True(k8s.Contains("connector", "count"));
        Assert.True(contrib.Contains("receiver", "otlp"));
        Assert.False(contrib.Contains("exporter", "alertmanager"));
        Assert.Equal(242, contrib.Types.Count + contrib.UnvendoredModules);
        Assert.Equal(69, k8s.Types.Count + k8s.UnvendoredModules);
    }

    [Fact]
    public void Check_RejectsTheAlertmanagerExporterNoReleaseContains()
    {
        // The configuration this repository used to ship: the contrib image refused to start with it.
        IReadOnlyList<string> problems = Problems("""
            receivers: {otlp: {protocols: {grpc: {endpoint: 0.0.0.0:4317}}}}
            exporters:
              alertmanager: {endpoint: http://alertmanager:9093}
            service:
              pipelines:
                logs: {receivers: [otlp], exporters: [alertmanager]}
            """);

        Assert.Contains("exporter 'alertmanager': there is no exporter 'alertmanager' in otelcol-contrib 0.159.0 (or its type is not in the vendored list)", problems);
    }

    [Fact]
    public void Check_RejectsDeprecatedNamesAndTheLegacyFilterForm()
    {
        IReadOnlyList<string> problems = Problems("""
            receivers: {otlp: {protocols: {grpc: {}}}}
            processors:
              filter/crit:
                logs:
                  log_record: ['severity_number < SEVERITY_NUMBER_ERROR']
            exporters:
              prometheusremotewrite: {endpoint: http://prometheus:9090/api/v1/write}
              otlp: {endpoint: collector:4317}
            service:
              pipelines:
                metrics: {receivers: [otlp], exporters: [prometheusremotewrite, otlp]}
                logs: {receivers: [otlp], processors: [filter/crit], exporters: [otlp]}
            """);

        Assert.Contains("exporter 'prometheusremotewrite': 'prometheusremotewrite' is the deprecated name of 'prometheus_remote_write' in otelcol-contrib 0.159.0", problems);
        Assert.Contains("exporter 'otlp': 'otlp' is the deprecated name of 'otlp_grpc' in otelcol-contrib 0.159.0", problems);
        Assert.Contains("processor 'filter/crit': 'logs' is the legacy form; use 'log_conditions'", problems);
    }

    [Fact]
    public void Check_RejectsAComponentOnlyTheOtherDistributionHas()
    {
        IReadOnlyList<string> problems = Problems("""
            receivers: {otlp: {protocols: {grpc: {}}}}
            exporters:
              prometheus_remote_write: {endpoint: http://prometheus:9090/api/v1/write}
            service:
              pipelines:
                metrics: {receivers: [otlp], exporters: [prometheus_remote_write]}
            """, "otelcol-k8s");

        Assert.Equal(["exporter 'prometheus_remote_write': there is no exporter 'prometheus_remote_write' in otelcol-k8s 0.159.0 (or its type is not in the vendored list)"], problems);
    }

    [Fact]
    public void Check_RejectsAMisspeltKeyAnUndeclaredComponentAndABadPipelineName()
    {
        IReadOnlyList<string> problems = Problems("""
            receivers: {otlp: {protocols: {grpc: {}}}}
            exporters:
              prometheus_remote_write:
                endpoint: http://prometheus:9090/api/v1/write
                resource_to_telemetry_conversation: {enabled: true}
            service:
              pipelines:
                metrics: {receivers: [otlp], processors: [batch], exporters: [prometheus_remote_write]}
                metrix/extra: {receivers: [otlp], exporters: [prometheus_remote_write]}
            """);

        Assert.Contains("exporter 'prometheus_remote_write': unknown key 'resource_to_telemetry_conversation'", problems);
        Assert.Contains("pipeline 'metrics' names undeclared processor 'batch'", problems);
        Assert.Contains("pipeline 'metrix/extra': 'metrix' is not a signal (traces, metrics, logs, profiles)", problems);
    }

    [Fact]
    public void Check_RejectsAConnectorJoiningSignalsItCannotAndOneUsedOnOneSideOnly()
    {
        IReadOnlyList<string> problems = Problems("""
            receivers: {otlp: {protocols: {grpc: {}}}}
            exporters:
              otlp_http: {endpoint: http://backend:4318}
            connectors:
              count: {}
              forward: {}
            service:
              pipelines:
                logs: {receivers: [otlp], exporters: [count, forward]}
                logs/counted: {receivers: [count], exporters: [otlp_http]}
            """);

        Assert.Contains("connector 'count' cannot join a logs pipeline to a logs pipeline", problems);
        Assert.Contains("connector 'forward' must be an exporter of one pipeline and a receiver of another", problems);
    }

    [Fact]
    public void RouteA_CountsOnlyNetdropCritRecordsIntoACumulativeRemoteWrittenMetric()
    {
        YamlMappingNode config = Find("k8s/alerting/route-a-collector.yaml").Config;
        AssertRouteA(config);
    }

    [Fact]
    public void DaemonsetValues_CarryRouteAAndRouteB()
    {
        YamlMappingNode config = Find("k8s/collector/opentelemetry-collector-values.yaml").Config;

        AssertRouteA(config);
        Assert.Equal(["prometheus_remote_write"], config.Map("service").Map("pipelines").Map("metrics").Seq("exporters").Strings());
    }

    [Fact]
    public void RouteB_RemoteWritesTheAgentsMetricsWithResourceAttributesAsLabels()
    {
        YamlMappingNode config = Find("k8s/alerting/route-b-collector.yaml").Config;

        YamlMappingNode exporter = config.Map("exporters").Map("prometheus_remote_write");
        Assert.Equal("true", exporter.Map("resource_to_telemetry_conversion").Str("enabled"));
        Assert.Equal(["otlp"], config.Map("service").Map("pipelines").Map("metrics").Seq("receivers").Strings());
    }

    [Fact]
    public void DaemonsetValues_KeepContainerLogsOutOfNetdropsPipelines()
    {
        // opentelemetry-collector chart 0.170.0: presets.logsCollection adds file_log to the pipeline named "logs";
        // its default config also has jaeger, zipkin and prometheus receivers, a debug exporter, and logs and traces
        // pipelines. The values must turn the preset off and remove those defaults (null), so that the collector's
        // configuration is the one checked above and nothing but OTLP reaches NetDrop's filter.
        YamlMappingNode values = YamlNodes.LoadFile(RepositoryRoot.Combine("k8s", "collector", "opentelemetry-collector-values.yaml"));
        YamlMappingNode config = values.Map("config");

        Assert.Equal("false", values.Map("presets").Map("logsCollection").Str("enabled"));
        Assert.Equal("otelcol-contrib", values.Map("command").Str("name"));
        Assert.Equal("0.159.0", values.Map("image").Str("tag"));
        foreach ((string section, string component) in new[] { ("receivers", "jaeger"), ("receivers", "zipkin"), ("receivers", "prometheus"), ("exporters", "debug") })
        {
            Assert.Equal("null", config.Map(section).Str(component));
        }

        Assert.Equal("null", config.Map("service").Map("pipelines").Str("logs"));
        Assert.Equal("null", config.Map("service").Map("pipelines").Str("traces"));
        YamlMappingNode pipelines = Find("k8s/collector/opentelemetry-collector-values.yaml").Config.Map("service").Map("pipelines");
        string[] receivers = [.. pipelines.Children.Values.Cast<YamlMappingNode>().SelectMany(pipeline => pipeline.Seq("receivers").Strings())];
        Assert.All(receivers, receiver => Assert.True(receiver is "otlp" or "count/netdrop-crit", receiver));
    }

    [Fact]
    public void DaemonsetValues_ListenOnThePortsTheChartSendsTo()
    {
        YamlMappingNode values = YamlNodes.LoadFile(RepositoryRoot.Combine("k8s", "collector", "opentelemetry-collector-values.yaml"));
        YamlMappingNode protocols = values.Map("config").Map("receivers").Map("otlp").Map("protocols");

        Assert.Equal("daemonset", values.Str("mode"));
        Assert.EndsWith(":4317", protocols.Map("grpc").Str("endpoint"), StringComparison.Ordinal);
        Assert.EndsWith(":4318", protocols.Map("http").Str("endpoint"), StringComparison.Ordinal);
        Assert.EndsWith(":4317", RenderedChart.Render().EnvValue("NETDROP_OTLP_ENDPOINT"), StringComparison.Ordinal);
        Assert.EndsWith(":4318", RenderedChart.Render("--set", "otlp.protocol=http/protobuf").EnvValue("NETDROP_OTLP_ENDPOINT"), StringComparison.Ordinal);
    }

    private static void AssertRouteA(YamlMappingNode config)
    {
        // The agent's CRIT record (src/NetDrop/Telemetry/CritEventLogger.cs) is LogLevel.Error, OTLP severity 17, with
        // network.interface.name and netdrop.dominant_category; the recovery record is Information (9), not counted.
        YamlMappingNode filter = config.Map("processors").Map("filter/netdrop-crit");
        Assert.Equal(
            ["resource.attributes[\"service.name\"] != \"netdrop\"", "log.severity_number < SEVERITY_NUMBER_ERROR"],
            filter.Seq("log_conditions").Strings());
        YamlMappingNode counted = config.Map("connectors").Map("count/netdrop-crit").Map("logs").Map("netdrop.crit.records");
        Assert.Equal(["network.interface.name", "netdrop.dominant_category"], counted.Seq("attributes").Maps().Select(attribute => attribute.Str("key")));

        YamlMappingNode pipelines = config.Map("service").Map("pipelines");
        YamlMappingNode logs = pipelines.Map("logs/netdrop-crit");
        Assert.Contains("filter/netdrop-crit", logs.Seq("processors").Strings());
        Assert.Equal(["count/netdrop-crit"], logs.Seq("exporters").Strings());
        YamlMappingNode metrics = pipelines.Map("metrics/netdrop-crit");
        Assert.Equal(["count/netdrop-crit"], metrics.Seq("receivers").Strings());
        Assert.Equal("delta_to_cumulative", metrics.Seq("processors").Strings().First());
        Assert.Equal(["prometheus_remote_write"], metrics.Seq("exporters").Strings());
    }

    private static IReadOnlyList<string> Problems(string yaml, string distribution = "otelcol-contrib") =>
        CollectorConfigCheck.Problems(YamlNodes.LoadMapping(yaml), CollectorDistribution.Load(distribution, "0.159.0"));

    private static ShippedCollectorConfig Find(string source) =>
        ShippedCollectorConfig.All().Single(config => config.Source == source);
}
