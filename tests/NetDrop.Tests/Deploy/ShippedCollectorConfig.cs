using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace NetDrop.Tests.Deploy;

/// <summary>
/// An OpenTelemetry Collector configuration the repository ships: a collector config file, a collector chart values
/// file (its <c>config:</c>), or a YAML block in the docs. Each says on a line of its own which release it runs on:
/// <c># Distribution: otelcol-contrib 0.159.0</c>.
/// </summary>
internal sealed partial class ShippedCollectorConfig
{
    private ShippedCollectorConfig(string source, string text)
    {
        Source = source;
        Text = text;
        Match header = DistributionLine().Match(text);
        Distribution = header.Success ? header.Groups[1].Value : null;
        Version = header.Success ? header.Groups[2].Value : null;
        YamlMappingNode document = YamlNodes.LoadMapping(text);
        IsChartValues = document.Has("mode") && document.Has("config");
        Config = IsChartValues ? WithoutNulls(document.Map("config")) : document;
    }

    /// <summary>Where it lives: a repository-relative path, with <c>#N</c> for the N-th block of a Markdown file.</summary>
    public string Source { get; }

    public string Text { get; }

    public string? Distribution { get; }

    public string? Version { get; }

    /// <summary>A values file of the opentelemetry-collector chart: the collector config is its <c>config:</c>.</summary>
    public bool IsChartValues { get; }

    /// <summary>
    /// The collector configuration. For chart values, entries set to null are left out: the chart's default of that
    /// name is removed by them (helm deletes a default whose override is null) and nothing takes its place.
    /// </summary>
    public YamlMappingNode Config { get; }

    /// <summary>Every collector configuration in k8s/ and in the Markdown docs.</summary>
    public static IReadOnlyList<ShippedCollectorConfig> All()
    {
        var found = new List<ShippedCollectorConfig>();
        foreach (string file in Directory.EnumerateFiles(RepositoryRoot.Combine("k8s"), "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string text = File.ReadAllText(file);
            if (LooksLikeCollectorConfig(text))
            {
                found.Add(new ShippedCollectorConfig(Path.GetRelativePath(RepositoryRoot.Path, file), text));
            }
        }

        IEnumerable<string> markdown = Directory.EnumerateFiles(RepositoryRoot.Combine("docs"), "*.md", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(RepositoryRoot.Combine("k8s"), "*.md", SearchOption.AllDirectories))
            .Append(RepositoryRoot.Combine("README.md"))
            .Order(StringComparer.Ordinal);
        foreach (string file in markdown)
        {
            int block = 0;
            foreach (Match yaml in YamlBlock().Matches(File.ReadAllText(file)))
            {
                block++;
                if (LooksLikeCollectorConfig(yaml.Groups[1].Value))
                {
                    found.Add(new ShippedCollectorConfig($"{Path.GetRelativePath(RepositoryRoot.Path, file)}#{block}", yaml.Groups[1].Value));
                }
            }
        }

        return found;
    }

    public static ShippedCollectorConfig FromText(string source, string text) => new(source, text);

    public override string ToString() => Source;

    /// <summary>A collector config has receivers and a service; chart values have a mode and a config.</summary>
    private static bool LooksLikeCollectorConfig(string text) =>
        (TopLevelKey("receivers").IsMatch(text) && TopLevelKey("service").IsMatch(text))
        || (TopLevelKey("mode").IsMatch(text) && TopLevelKey("config").IsMatch(text));

    private static Regex TopLevelKey(string key) => new($"^{key}:", RegexOptions.Multiline);

    private static YamlMappingNode WithoutNulls(YamlMappingNode node)
    {
        var copy = new YamlMappingNode();
        foreach ((YamlNode key, YamlNode value) in node.Children)
        {
            if (value is YamlScalarNode { Value: "null" or "~" } scalar && scalar.Style == YamlDotNet.Core.ScalarStyle.Plain)
            {
                continue;
            }

            copy.Add(key, value is YamlMappingNode child ? WithoutNulls(child) : value);
        }

        return copy;
    }

    [GeneratedRegex(@"^# Distribution: (otelcol[a-z0-9-]*) ([0-9]+\.[0-9]+\.[0-9]+)$", RegexOptions.Multiline)]
    private static partial Regex DistributionLine();

    [GeneratedRegex(@"^```ya?ml\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
