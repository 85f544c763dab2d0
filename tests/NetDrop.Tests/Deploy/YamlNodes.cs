using YamlDotNet.RepresentationModel;

namespace NetDrop.Tests.Deploy;

/// <summary>Loads YAML with YamlDotNet and walks it by key, failing with the missing path rather than a null.</summary>
internal static class YamlNodes
{
    public static IReadOnlyList<YamlMappingNode> LoadDocuments(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents
            .Select(document => document.RootNode)
            .OfType<YamlMappingNode>()
            .ToList();
    }

    public static YamlMappingNode LoadMapping(string text) =>
        LoadDocuments(text) is [var single] ? single : throw new InvalidDataException("expected one YAML mapping");

    public static YamlMappingNode LoadFile(string path) => LoadMapping(File.ReadAllText(path));

    public static bool Has(this YamlMappingNode node, string key) => node.Children.ContainsKey(new YamlScalarNode(key));

    public static YamlNode Get(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? child)
            ? child
            : throw new KeyNotFoundException($"no '{key}' at line {node.Start.Line} (keys: {string.Join(", ", node.Keys())})");

    public static YamlMappingNode Map(this YamlMappingNode node, string key) => (YamlMappingNode)node.Get(key);

    public static YamlSequenceNode Seq(this YamlMappingNode node, string key) => (YamlSequenceNode)node.Get(key);

    public static string Str(this YamlMappingNode node, string key) => ((YamlScalarNode)node.Get(key)).Value ?? string.Empty;

    public static string? StrOrNull(this YamlMappingNode node, string key) =>
        node.Has(key) ? ((YamlScalarNode)node.Get(key)).Value : null;

    public static IEnumerable<string> Keys(this YamlMappingNode node) =>
        node.Children.Keys.OfType<YamlScalarNode>().Select(key => key.Value ?? string.Empty);

    public static IEnumerable<YamlMappingNode> Maps(this YamlSequenceNode node) => node.Children.Cast<YamlMappingNode>();

    public static IEnumerable<string> Strings(this YamlSequenceNode node) =>
        node.Children.Cast<YamlScalarNode>().Select(scalar => scalar.Value ?? string.Empty);

    /// <summary>The named entry of a list of named objects (containers, volumes, env, volumeMounts).</summary>
    public static YamlMappingNode Named(this YamlSequenceNode node, string name) =>
        node.Maps().SingleOrDefault(item => item.StrOrNull("name") == name)
            ?? throw new KeyNotFoundException($"no entry named '{name}' in the list at line {node.Start.Line}");
}
