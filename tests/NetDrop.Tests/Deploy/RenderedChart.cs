using YamlDotNet.RepresentationModel;

namespace NetDrop.Tests.Deploy;

/// <summary>The chart rendered by the real helm (<c>helm template</c>), parsed into its Kubernetes objects.</summary>
internal sealed class RenderedChart
{
    public const string Release = "netdrop";
    public const string Namespace = "netdrop";

    private RenderedChart(string text)
    {
        Text = text;
        Documents = YamlNodes.LoadDocuments(text);
    }

    public static string ChartDirectory => RepositoryRoot.Combine("helm", "netdrop");

    public static IEnumerable<string> CiValuesFiles =>
        Directory.EnumerateFiles(Path.Join(ChartDirectory, "ci"), "*-values.yaml").Order(StringComparer.Ordinal);

    public string Text { get; }

    public IReadOnlyList<YamlMappingNode> Documents { get; }

    public YamlMappingNode DaemonSet => Single("DaemonSet");

    public YamlMappingNode PodTemplate => DaemonSet.Map("spec").Map("template");

    public YamlMappingNode PodSpec => PodTemplate.Map("spec");

    public YamlMappingNode Agent => PodSpec.Seq("containers").Named("netdrop");

    public YamlSequenceNode AgentEnv => Agent.Seq("env");

    /// <summary>The netdrop.yaml the ConfigMap carries, parsed.</summary>
    public YamlMappingNode AgentConfig => YamlNodes.LoadMapping(AgentConfigMap.Map("data").Str("netdrop.yaml"));

    /// <summary>The ConfigMap that carries netdrop.yaml (the Grafana dashboard, when enabled, is another).</summary>
    public YamlMappingNode AgentConfigMap => Assert.Single(OfKind("ConfigMap"), map => map.Map("data").Has("netdrop.yaml"));

    /// <summary>Renders the chart in the repository; <paramref name="arguments"/> are extra helm flags (-f, --set).</summary>
    public static RenderedChart Render(params string[] arguments) => RenderChart(ChartDirectory, arguments);

    public static RenderedChart RenderChart(string chartDirectory, params string[] arguments)
    {
        ProcessRunner.Result result = DeployTools.RunHelm(["template", Release, chartDirectory, "--namespace", Namespace, .. arguments]);
        Assert.True(result.ExitCode == 0, $"helm template {string.Join(' ', arguments)} failed: {result.Error}");
        return new RenderedChart(result.Output);
    }

    public static RenderedChart RenderWithValuesFile(string valuesFile) => Render("-f", valuesFile);

    public IEnumerable<YamlMappingNode> OfKind(string kind) => Documents.Where(document => document.StrOrNull("kind") == kind);

    public YamlMappingNode Single(string kind) => Assert.Single(OfKind(kind));

    public string? EnvValue(string name) =>
        AgentEnv.Maps().SingleOrDefault(variable => variable.Str("name") == name)?.StrOrNull("value");

    /// <summary>Writes the rendered text to a temporary file (for tools that read files) and returns its path.</summary>
    public string WriteTo(string directory, string fileName)
    {
        string path = Path.Join(directory, fileName);
        File.WriteAllText(path, Text);
        return path;
    }
}
