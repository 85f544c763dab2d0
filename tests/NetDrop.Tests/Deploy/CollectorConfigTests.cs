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

    private static readonly string[] s_readVerbs = ["get", "list", "watch"];

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
        Assert.True(contrib.Contains("processor", "groupbyattrs")); // processor/groupbyattrsprocessor/metadata.yaml: type: groupbyattrs
        Assert.True(k8s.Contains("processor", "groupbyattrs"));
        Assert.Equal("k8s_attributes", contrib.ReplacementOf("processor", "k8sattributes"));
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

    [Theory]
    [MemberData(nameof(Shipped))]
    public void ShippedConfig_AssociatesPodsByUidOnlyAfterMovingTheUidToTheResource(string source)
    {
        // k8s_attributes reads resource attributes only; NetDrop's k8s.pod.uid of a dropping pod is a data point / log
        // record attribute (NetDropMetrics.AddOwner), so a k8s_attributes that associates by it finds the agent's own
        // pod unless a groupbyattrs with keys [k8s.pod.uid] ran before it in the same pipeline.
        YamlMappingNode config = Find(source).Config;
        foreach ((YamlNode name, YamlNode node) in config.Map("service").Map("pipelines").Children)
        {
            var pipeline = (YamlMappingNode)node;
            string[] processors = pipeline.Has("processors") ? [.. pipeline.Seq("processors").Strings()] : [];
            for (int i = 0; i < processors.Length; i++)
            {
                if (processors[i].Split('/', 2)[0] != "k8s_attributes" || !AssociatesByPodUid(config.Map("processors").Map(processors[i])))
                {
                    continue;
                }

                Assert.True(
                    processors[..i].Any(earlier => earlier.Split('/', 2)[0] == "groupbyattrs" && GroupsByPodUid(config.Map("processors").Get(earlier))),
                    $"{source}: pipeline '{name}' runs {processors[i]} (pod association by resource k8s.pod.uid) without a groupbyattrs keyed by k8s.pod.uid before it");
            }
        }
    }

    [Fact]
    public void DaemonsetValues_GiveEveryNetdropPipelineThePodOfItsPodUid()
    {
        YamlMappingNode config = Find("k8s/collector/opentelemetry-collector-values.yaml").Config;
        YamlMappingNode processors = config.Map("processors");
        YamlMappingNode pipelines = config.Map("service").Map("pipelines");

        // Both pipelines that take the agent's OTLP: its metrics (route B) and its CRIT records (route A's count).
        foreach (string name in (string[])["metrics", "logs/netdrop-crit"])
        {
            string[] order = [.. pipelines.Map(name).Seq("processors").Strings()];
            int remember = Array.IndexOf(order, "transform/netdrop-agent-pod");
            int group = Array.IndexOf(order, "groupbyattrs/netdrop-pod");
            int cleanUp = Array.IndexOf(order, "transform/netdrop-pod");
            int attribute = Array.IndexOf(order, "k8s_attributes/netdrop-pod");
            Assert.True(remember >= 0 && remember < group && group < cleanUp && cleanUp < attribute, $"pipeline '{name}': {string.Join(", ", order)}");
            if (name == "logs/netdrop-crit")
            {
                Assert.True(Array.IndexOf(order, "filter/netdrop-crit") < remember, "the CRIT filter runs first");
            }
        }

        Assert.Equal(["k8s.pod.uid"], processors.Map("groupbyattrs/netdrop-pod").Seq("keys").Strings());
        YamlMappingNode k8s = processors.Map("k8s_attributes/netdrop-pod");
        Assert.True(AssociatesByPodUid(k8s));
        Assert.Single(k8s.Seq("pod_association").Maps());
        Assert.Equal("false", k8s.Str("passthrough"));
        Assert.Equal("OTEL_K8S_NODE_NAME", k8s.Map("filter").Str("node_from_env_var")); // opentelemetry-collector chart 0.170.0's _pod.tpl sets it in every mode
        string[] extracted = [.. k8s.Map("extract").Seq("metadata").Strings()];
        Assert.Contains("k8s.pod.name", extracted);
        Assert.Contains("k8s.namespace.name", extracted);

        // The agent's resource, as the netdrop chart sets it (OTEL_RESOURCE_ATTRIBUTES): on a resource that groupbyattrs
        // gave another pod's uid, every k8s.* attribute of the agent's own pod but the node must be gone before
        // k8s_attributes, which only fills attributes that are not set (setResourceAttribute(), processor.go).
        string[] agentPodAttributes =
        [
            .. RenderedChart.Render().EnvValue("OTEL_RESOURCE_ATTRIBUTES")!.Split(',')
                .Select(pair => pair.Split('=', 2)[0])
                .Where(key => key.StartsWith("k8s.", StringComparison.Ordinal) && key is not ("k8s.node.name" or "k8s.pod.uid")),
        ];
        Assert.Contains("k8s.pod.name", agentPodAttributes);
        YamlMappingNode clean = processors.Map("transform/netdrop-pod");
        foreach (string signal in (string[])["metric_statements", "log_statements"])
        {
            YamlMappingNode onOtherPods = clean.Seq(signal).Maps().Single(group => group.Has("conditions"));
            Assert.Equal("resource", onOtherPods.Str("context"));
            Assert.Equal(
                ["resource.attributes[\"netdrop.agent.k8s.pod.uid\"] != nil and resource.attributes[\"k8s.pod.uid\"] != resource.attributes[\"netdrop.agent.k8s.pod.uid\"]"],
                onOtherPods.Seq("conditions").Strings());
            Assert.Equal(agentPodAttributes.Select(key => $"delete_key(resource.attributes, \"{key}\")").Order(StringComparer.Ordinal),
                onOtherPods.Seq("statements").Strings().Order(StringComparer.Ordinal));
            Assert.Contains(clean.Seq(signal).Maps().Where(group => !group.Has("conditions")).SelectMany(group => group.Seq("statements").Strings()),
                statement => statement == "delete_key(resource.attributes, \"netdrop.agent.k8s.pod.uid\")");
            Assert.Contains(processors.Map("transform/netdrop-agent-pod").Seq(signal).Maps().Single().Seq("statements").Strings(),
                statement => statement.StartsWith("set(resource.attributes[\"netdrop.agent.k8s.pod.uid\"], resource.attributes[\"k8s.pod.uid\"])", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void DaemonsetValues_LetTheCollectorReadPodsNamespacesAndReplicaSets()
    {
        // opentelemetry-collector chart 0.170.0 (templates/clusterrole.yaml): clusterRole.create with rules makes the
        // ClusterRole and its binding to the collector's service account (created by default); these are the rules its
        // presets.kubernetesAttributes would add. The preset itself stays off: it prepends a k8s_attributes of its own
        // to the pipeline named "metrics", before the pod uid is on the resource.
        YamlMappingNode values = YamlNodes.LoadFile(RepositoryRoot.Combine("k8s", "collector", "opentelemetry-collector-values.yaml"));

        Assert.False(values.Map("presets").Has("kubernetesAttributes") && values.Map("presets").Map("kubernetesAttributes").Str("enabled") == "true");
        YamlMappingNode role = values.Map("clusterRole");
        Assert.Equal("true", role.Str("create"));
        YamlMappingNode[] rules = [.. role.Seq("rules").Maps()];
        foreach ((string group, string resource) in new[] { ("", "pods"), ("", "namespaces"), ("apps", "replicasets") })
        {
            Assert.Contains(rules, rule => rule.Seq("apiGroups").Strings().Contains(group)
                && rule.Seq("resources").Strings().Contains(resource)
                && s_readVerbs.All(verb => rule.Seq("verbs").Strings().Contains(verb)));
        }
    }

    private static bool AssociatesByPodUid(YamlMappingNode k8sAttributes) =>
        k8sAttributes.Has("pod_association")
        && k8sAttributes.Seq("pod_association").Maps().Any(association => association.Seq("sources").Maps()
            .Any(source => source.Str("from") == "resource_attribute" && source.Str("name") == "k8s.pod.uid"));

    private static bool GroupsByPodUid(YamlNode groupByAttrs) =>
        groupByAttrs is YamlMappingNode map && map.Has("keys") && map.Seq("keys").Strings().Contains("k8s.pod.uid");

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
