using NetDrop.Monitoring;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NetDrop.Configuration;

/// <summary>
/// Reads <c>netdrop.yaml</c> through YamlDotNet's node model (no reflection, so Native AOT is happy) into flat
/// entries keyed by dotted path, each remembering its line and column:
/// <code>
/// interval: 5s          →  interval = "5s"           (netdrop.yaml:1:11)
/// csv:
///   path: /var/log/x    →  csv.path = "/var/log/x"   (netdrop.yaml:3:9)
/// </code>
/// An unknown key, a list where a value belongs, or broken YAML is a <see cref="UsageException"/> naming the file,
/// line, column and key.
/// </summary>
internal static class YamlConfigReader
{
    public static IReadOnlyList<ConfigEntry> Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read the config file '{path}': {ex.Message}", ex);
        }

        return Parse(text, path);
    }

    public static IReadOnlyList<ConfigEntry> Parse(string text, string fileName)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new UsageException($"{fileName}:{ex.Start.Line}:{ex.Start.Column}: not valid YAML: {ex.InnerException?.Message ?? ex.Message}", ex);
        }

        var entries = new List<ConfigEntry>();
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return entries; // an empty file configures nothing
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new UsageException($"{Where(fileName, stream.Documents[0].RootNode)}: the config file must be a mapping of keys (key: value), not a {Describe(stream.Documents[0].RootNode)}");
        }

        Walk(root, "", fileName, entries);
        return entries;
    }

    private static void Walk(YamlMappingNode mapping, string prefix, string fileName, List<ConfigEntry> entries)
    {
        foreach ((YamlNode keyNode, YamlNode value) in mapping.Children)
        {
            string key = prefix + ((keyNode as YamlScalarNode)?.Value ?? "");
            ConfigKey? known = ConfigKeys.Find(key);
            switch (value)
            {
                case YamlMappingNode section when known is null && IsSection(key):
                    Walk(section, key + ".", fileName, entries);
                    break;
                case YamlMappingNode when known is null:
                case YamlSequenceNode when known is null:
                case YamlScalarNode when known is null:
                    throw new UsageException($"{Where(fileName, keyNode)}: unknown key '{key}'{DidYouMean(key)}");
                case YamlScalarNode scalar:
                    if (known!.Kind == ConfigValueKind.List)
                    {
                        // A lone value where a list is expected ("interfaces: eth0") means a list of one.
                        string item = scalar.Value ?? "";
                        entries.Add(new ConfigEntry(key, item, item.Length == 0 ? [] : [item], Where(fileName, scalar)));
                    }
                    else
                    {
                        entries.Add(new ConfigEntry(key, scalar.Value ?? "", null, Where(fileName, scalar)));
                    }

                    break;
                case YamlSequenceNode sequence when known!.Kind == ConfigValueKind.List:
                    var items = new List<string>();
                    foreach (YamlNode element in sequence.Children)
                    {
                        items.Add(element is YamlScalarNode { Value: { } item }
                            ? item
                            : throw new UsageException($"{Where(fileName, element)}: key '{key}' must be a list of names, not of {Describe(element)}s"));
                    }

                    entries.Add(new ConfigEntry(key, string.Join(',', items), items, Where(fileName, sequence)));
                    break;
                default:
                    throw new UsageException($"{Where(fileName, value)}: key '{key}' takes a single value, not a {Describe(value)}");
            }
        }
    }

    private static bool IsSection(string key) =>
        ConfigKeys.All.Any(known => known.Path.StartsWith(key + ".", StringComparison.Ordinal)) || key + "." == ConfigKeys.ThresholdsPrefix;

    private static string DidYouMean(string key) => ConfigKeys.Suggest(key) is { } suggestion ? $" (did you mean '{suggestion}'?)" : "";

    private static string Where(string fileName, YamlNode node) => $"{fileName}:{node.Start.Line}:{node.Start.Column}";

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "mapping",
        YamlSequenceNode => "list",
        _ => "value",
    };
}
