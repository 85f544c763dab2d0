using YamlDotNet.RepresentationModel;

namespace NetDrop.Tests.Deploy;

/// <summary>The chart's Prometheus and Grafana options, rendered by the real helm.</summary>
public sealed class ChartPrometheusTests
{
    private static string PrometheusValues => Path.Join(RenderedChart.ChartDirectory, "ci", "prometheus-values.yaml");

    [Fact]
    public void Defaults_ServeNoMetricsPortAndCreateNoMonitorOrDashboard()
    {
        RenderedChart chart = RenderedChart.Render();

        Assert.False(chart.Agent.Has("ports"));
        Assert.Null(chart.EnvValue("NETDROP_PROMETHEUS_LISTEN"));
        Assert.Empty(chart.OfKind("PodMonitor"));
        Assert.Empty(chart.OfKind("ServiceMonitor"));
        Assert.Empty(chart.OfKind("Service"));
        Assert.Single(chart.OfKind("ConfigMap"));
    }

    [Fact]
    public void PrometheusEnabled_ListensOnTheNodesAddressAndNamesThePortTheMonitorsScrape()
    {
        RenderedChart chart = RenderedChart.RenderWithValuesFile(PrometheusValues);

        // $(HOST_IP) is defined earlier in the env list, so the kubelet expands it.
        Assert.Equal("$(HOST_IP):9464", chart.EnvValue("NETDROP_PROMETHEUS_LISTEN"));
        YamlMappingNode port = Assert.Single(chart.Agent.Seq("ports").Maps());
        Assert.Equal(("metrics", "9464"), (port.Str("name"), port.Str("containerPort")));

        YamlMappingNode podMonitor = chart.Single("PodMonitor");
        Assert.Equal("kube-prometheus-stack", podMonitor.Map("metadata").Map("labels").Str("release"));
        Assert.Equal("metrics", Assert.Single(podMonitor.Map("spec").Seq("podMetricsEndpoints").Maps()).Str("port"));

        YamlMappingNode service = chart.Single("Service");
        Assert.Equal("None", service.Map("spec").Str("clusterIP"));
        YamlMappingNode serviceMonitor = chart.Single("ServiceMonitor");
        YamlMappingNode endpoint = Assert.Single(serviceMonitor.Map("spec").Seq("endpoints").Maps());
        Assert.Equal(("metrics", "15s"), (endpoint.Str("port"), endpoint.Str("interval")));

        // Both select exactly the DaemonSet's pods.
        YamlMappingNode selector = chart.DaemonSet.Map("spec").Map("selector").Map("matchLabels");
        Assert.Equal(Labels(selector), Labels(podMonitor.Map("spec").Map("selector").Map("matchLabels")));
        Assert.Equal(Labels(selector), Labels(serviceMonitor.Map("spec").Map("selector").Map("matchLabels")));
        Assert.Equal(Labels(selector), Labels(service.Map("spec").Map("selector")));
    }

    [Fact]
    public void GrafanaDashboard_IsTheRepositorysDashboardInASidecarLabelledConfigMap()
    {
        RenderedChart chart = RenderedChart.RenderWithValuesFile(PrometheusValues);

        YamlMappingNode dashboard = Assert.Single(chart.OfKind("ConfigMap"), map => map.Map("data").Has("netdrop-dashboard.json"));
        Assert.Equal("1", dashboard.Map("metadata").Map("labels").Str("grafana_dashboard"));
        string shipped = File.ReadAllText(Path.Join(RenderedChart.ChartDirectory, "dashboards", "netdrop-dashboard.json"));
        Assert.Equal(shipped.TrimEnd('\n'), dashboard.Map("data").Str("netdrop-dashboard.json").TrimEnd('\n'));
    }

    [Theory]
    [InlineData("prometheus.port=0")]
    [InlineData("prometheus.podMonitor.intervall=30s")]
    [InlineData("grafanaDashboard.enable=true")]
    public void Schema_RejectsABadPortOrAMisspeltKey(string setting)
    {
        Assert.NotEqual(0, DeployTools.RunHelm("template", RenderedChart.Release, RenderedChart.ChartDirectory, "--set", setting).ExitCode);
    }

    private static Dictionary<string, string> Labels(YamlMappingNode map) =>
        map.Children.ToDictionary(pair => ((YamlScalarNode)pair.Key).Value!, pair => ((YamlScalarNode)pair.Value).Value!);
}
