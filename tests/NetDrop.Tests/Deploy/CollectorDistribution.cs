namespace NetDrop.Tests.Deploy;

/// <summary>
/// The components of one released OpenTelemetry Collector distribution, read from the list vendored from that
/// release's builder manifest (Fixtures/&lt;distribution&gt;-&lt;version&gt;-components.txt): for each kind
/// (receiver, processor, exporter, connector, extension) the configuration type names and their deprecated aliases.
/// </summary>
internal sealed class CollectorDistribution
{
    /// <summary>The type column's value for a module whose type name was not vendored.</summary>
    private const string NotVendored = "?";

    private readonly Dictionary<(string Kind, string Type), string> _aliases;

    private CollectorDistribution(string name, string version, IEnumerable<string[]> rows)
    {
        Name = name;
        Version = version;
        var types = new HashSet<(string, string)>();
        _aliases = [];
        var unvendored = 0;
        foreach (string[] row in rows)
        {
            if (row[1] == NotVendored)
            {
                unvendored++;
                continue;
            }

            types.Add((row[0], row[1]));
            if (row[2] != "-")
            {
                _aliases[(row[0], row[2])] = row[1];
            }
        }

        Types = types;
        UnvendoredModules = unvendored;
    }

    public string Name { get; }

    public string Version { get; }

    /// <summary>(kind, type) of every component whose type name is vendored.</summary>
    public IReadOnlySet<(string Kind, string Type)> Types { get; }

    public int UnvendoredModules { get; }

    public static string FixturePath(string name, string version) =>
        RepositoryRoot.Combine("tests", "NetDrop.Tests", "Deploy", "Fixtures", $"{name}-{version}-components.txt");

    public static CollectorDistribution Load(string name, string version)
    {
        string path = FixturePath(name, version);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"no vendored component list for {name} {version} at {path}");
        }

        IEnumerable<string[]> rows = File.ReadLines(path)
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return new CollectorDistribution(name, version, rows);
    }

    public bool Contains(string kind, string type) => Types.Contains((kind, type));

    /// <summary>The current name when <paramref name="type"/> is a deprecated alias of a component of this release.</summary>
    public string? ReplacementOf(string kind, string type) => _aliases.GetValueOrDefault((kind, type));
}
