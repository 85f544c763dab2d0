using System.Runtime.InteropServices;
using System.Text;
using NetDrop.Kernel;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
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
/// <remarks>
/// NOTE: the file is untrusted input and read before anything else runs, so it is bounded: a regular file only (a
/// FIFO would block the start, <c>/dev/zero</c> never ends), at most <see cref="MaxFileBytes"/>, nested at most
/// <see cref="MaxDepth"/> deep, one document. The depth check walks the parser's event stream before the node model
/// is built and stops at the first node too deep: 80 KB of nested flow sequences (<c>[[[[…</c>) took YamlDotNet 30 s
/// and 40,000 levels overflowed its scanner's stack (a crash no handler can catch); with depth bounded, parsing stays
/// linear in the file's size.
/// </remarks>
internal static class YamlConfigReader
{
    /// <summary>The largest config file read: the commented example with every key is 4 KB.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>How deep mappings and lists may nest: NetDrop's keys need 3 (section, key, list).</summary>
    public const int MaxDepth = 16;

    public static IReadOnlyList<ConfigEntry> Read(string path)
    {
        var file = new KernelFile(path, initialCapacity: 4096, maxLength: MaxFileBytes);
        if (!file.TryRead(out ReadOnlySpan<byte> content, out int errno))
        {
            throw new UsageException(errno switch
            {
                Interop.Errno.EFBIG => $"the config file '{path}' is larger than {MaxFileBytes / 1024 / 1024} MiB; a NetDrop configuration is a few hundred bytes",
                Interop.Errno.EISDIR => $"the config file '{path}' is a directory; give the path of a YAML file",
                Interop.Errno.EINVAL => $"the config file '{path}' is not a regular file (a FIFO, a device or a socket); give the path of a YAML file",
                _ => $"cannot read the config file '{path}': {Marshal.GetPInvokeErrorMessage(errno)}",
            });
        }

        return Parse(Encoding.UTF8.GetString(content), path);
    }

    public static IReadOnlyList<ConfigEntry> Parse(string text, string fileName)
    {
        CheckShape(text, fileName);
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

    /// <summary>
    /// Walks the parser's events once, before any node is built: every syntax error (YamlDotNet throws more than
    /// <see cref="YamlException"/> on some broken input, e.g. <c>exclude: [\ns</c>), nesting deeper than
    /// <see cref="MaxDepth"/> and a second document each stop here with the place where they were found.
    /// </summary>
    private static void CheckShape(string text, string fileName)
    {
        var parser = new Parser(new StringReader(text));
        Mark last = Mark.Empty;
        int depth = 0;
        int documents = 0;
        try
        {
            while (parser.MoveNext())
            {
                ParsingEvent current = parser.Current!;
                last = current.Start;
                switch (current)
                {
                    case DocumentStart when ++documents > 1:
                        throw new UsageException($"{fileName}:{current.Start.Line}:{current.Start.Column}: a second YAML document ('---') would not be read; keep every key in one document");
                    case MappingStart or SequenceStart when ++depth > MaxDepth:
                        throw new UsageException($"{fileName}:{current.Start.Line}:{current.Start.Column}: nested more than {MaxDepth} levels deep; NetDrop's keys need at most 3");
                    case MappingEnd or SequenceEnd:
                        depth--;
                        break;
                }
            }
        }
        catch (YamlException ex)
        {
            throw new UsageException($"{fileName}:{ex.Start.Line}:{ex.Start.Column}: not valid YAML: {ex.InnerException?.Message ?? ex.Message}", ex);
        }
        catch (Exception ex) when (ex is not UsageException)
        {
            // The parser's own state errors (InvalidOperationException, ...) carry no position: name the last good one.
            throw new UsageException($"{fileName}:{last.Line}:{last.Column}: not valid YAML: it breaks off after this point", ex);
        }
    }

    private static void Walk(YamlMappingNode mapping, string prefix, string fileName, List<ConfigEntry> entries)
    {
        foreach ((YamlNode keyNode, YamlNode value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } name })
            {
                throw new UsageException($"{Where(fileName, keyNode)}: a key must be a plain name, not {(keyNode is YamlScalarNode ? "empty" : "a " + Describe(keyNode))}");
            }

            string key = prefix + name;
            ConfigKey? known = ConfigKeys.Find(key);
            switch (value)
            {
                case YamlMappingNode section when known is null && IsSection(key):
                    Walk(section, key + ".", fileName, entries);
                    break;
                case YamlSequenceNode or YamlScalarNode when known is null && IsSection(key):
                    throw new UsageException($"{Where(fileName, value)}: key '{key}' is a section: give its keys on the lines below it ({SectionExample(key)}), not a {Describe(value)}");
                case YamlMappingNode when known is null:
                case YamlSequenceNode when known is null:
                case YamlScalarNode when known is null:
                    throw new UsageException($"{Where(fileName, keyNode)}: unknown key '{key}'{DidYouMean(key)}");
                case YamlScalarNode scalar:
                    if (known is ListKey)
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
                case YamlSequenceNode sequence when known is ListKey:
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

    private static string DidYouMean(string key) => ConfigKeys.Suggest(key) is { } suggestion && suggestion != key ? $" (did you mean '{suggestion}'?)" : "";

    private static string SectionExample(string key) =>
        ConfigKeys.All.FirstOrDefault(known => known.Path.StartsWith(key + ".", StringComparison.Ordinal)) is { } first
            ? $"e.g. {first.Path}"
            : $"e.g. {key}.softirq";

    private static string Where(string fileName, YamlNode node) => $"{fileName}:{node.Start.Line}:{node.Start.Column}";

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "mapping",
        YamlSequenceNode => "list",
        _ => "value",
    };
}
