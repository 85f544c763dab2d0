using System.Globalization;

namespace NetDrop.Configuration;

/// <summary>
/// The effective configuration: defaults, then the YAML file, then <c>NETDROP_*</c> environment variables, then the
/// command line, each overriding the one before. Binding checks every value and names where a bad one came from.
/// </summary>
internal sealed class NetDropConfiguration
{
    private readonly Dictionary<string, ConfigEntry> _entries = new(StringComparer.Ordinal);

    public NetDropConfiguration()
    {
        foreach (ConfigKey key in ConfigKeys.All)
        {
            _entries[key.Path] = new ConfigEntry(key.Path, key.DefaultText, key is ListKey ? [] : null, "default");
        }
    }

    /// <summary>The YAML file read, if any.</summary>
    public string? ConfigFile { get; private set; }

    /// <summary>Entries in key order, for <c>config show</c>.</summary>
    public IEnumerable<ConfigEntry> Entries => _entries.Values.OrderBy(entry => Order(entry.Path)).ThenBy(entry => entry.Path, StringComparer.Ordinal);

    /// <summary>Layers the file, the environment and the command line over <paramref name="defaults"/> (or the built-in defaults).</summary>
    public static NetDropConfiguration Load(string? configFile, System.Collections.IDictionary environment, IEnumerable<ConfigEntry> commandLine, NetDropConfiguration? defaults = null)
    {
        NetDropConfiguration configuration = defaults ?? new NetDropConfiguration();
        configuration.ConfigFile = configFile;
        if (configFile is not null)
        {
            configuration.Apply(YamlConfigReader.Read(configFile));
        }

        configuration.Apply(EnvironmentConfigReader.Read(environment));
        OtelEnvironment.Validate(environment);
        configuration.Apply(commandLine);
        return configuration;
    }

    public void Apply(IEnumerable<ConfigEntry> entries)
    {
        foreach (ConfigEntry entry in entries)
        {
            _entries[entry.Path] = entry;
        }
    }

    public ConfigEntry this[ConfigKey key] => _entries[key.Path];

    /// <summary>Checks every value and builds the monitor's options; the first bad value is a <see cref="UsageException"/>.</summary>
    public MonitorOptions Bind()
    {
        foreach (ConfigEntry entry in _entries.Values)
        {
            // A NUL ends a path at the kernel: "/tmp/a\0b" would silently write /tmp/a. Nothing NetDrop reads has one.
            if (entry.Text.Contains('\0', StringComparison.Ordinal) || entry.Items?.Any(item => item.Contains('\0', StringComparison.Ordinal)) == true)
            {
                throw Invalid(entry with { Text = entry.Text.Replace("\0", "\\0", StringComparison.Ordinal) }, "must not contain a NUL character");
            }
        }

        var options = new MonitorOptions
        {
            Interfaces = [.. List(ConfigKeys.Interfaces)],
            Exclude = [.. List(ConfigKeys.Exclude)],
            Interval = Duration(ConfigKeys.Interval),
            Threshold = Integer(ConfigKeys.Threshold),
            ProcRoot = NonEmpty(ConfigKeys.ProcRoot),
            SysRoot = NonEmpty(ConfigKeys.SysRoot),
            LinkSource = LinkSourceOf(Choice(ConfigKeys.LinkSource)),
            AllNamespaces = AllNamespacesOf(Choice(ConfigKeys.Namespaces)),
            NamespaceInterval = Duration(ConfigKeys.NamespaceInterval),
            CsvPath = Text(ConfigKeys.CsvPath) is { Length: > 0 } csv ? csv : null,
            CsvDetailPath = Text(ConfigKeys.CsvDetailPath) is { Length: > 0 } detail ? detail : null,
            CsvMaxSizeBytes = Integer(ConfigKeys.CsvMaxSizeMb) * 1024 * 1024,
            CsvMaxFiles = (int)Integer(ConfigKeys.CsvMaxFiles),
            Color = ColorOf(Choice(ConfigKeys.ConsoleColor)),
            Otlp = new OtlpSettings
            {
                Endpoint = Endpoint(ConfigKeys.OtlpEndpoint),
                Protocol = Choice(ConfigKeys.OtlpProtocol),
                Headers = Headers(ConfigKeys.OtlpHeaders),
                ExportInterval = Duration(ConfigKeys.OtlpExportInterval),
                Timeout = Duration(ConfigKeys.OtlpTimeout),
            },
            PrometheusListen = ListenAddress(ConfigKeys.PrometheusListen),
            EthtoolEnabled = Boolean(ConfigKeys.EthtoolEnabled),
            PerCpu = Boolean(ConfigKeys.PerCpu),
            HeartbeatFile = Text(ConfigKeys.HeartbeatFile) is { Length: > 0 } heartbeat ? heartbeat : null,
            DropReasons = Choice(ConfigKeys.DropReasons) == "on",
        };

        foreach (ConfigEntry entry in _entries.Values.Where(entry => entry.Path.StartsWith(ConfigKeys.ThresholdsPrefix, StringComparison.Ordinal)))
        {
            // Every thresholds.* entry was checked against the category table when it was read (ConfigKeys.Find).
            options.CategoryThresholds[entry.Path[ConfigKeys.ThresholdsPrefix.Length..]] = Integer((IntegerKey)ConfigKeys.Find(entry.Path)!, entry);
        }

        return options;
    }

    /// <summary>What a <see cref="ConfigKeys.LinkSource"/> choice means.</summary>
    public static LinkSourceKind LinkSourceOf(string choice) => choice == "sysfs" ? LinkSourceKind.Sysfs : LinkSourceKind.Netlink;

    /// <summary>What a <see cref="ConfigKeys.Namespaces"/> choice means: <c>all</c> reads every network namespace.</summary>
    public static bool AllNamespacesOf(string choice) => choice == "all";

    /// <summary>What a <see cref="ConfigKeys.ConsoleColor"/> choice means: null is "auto" (colour on a terminal unless NO_COLOR is set).</summary>
    public static bool? ColorOf(string choice) => choice switch
    {
        "always" => true,
        "never" => false,
        _ => null,
    };

    private static int Order(string path) => Array.FindIndex(ConfigKeys.All, key => key.Path == path) is >= 0 and var index ? index : ConfigKeys.All.Length;

    private string Text(ConfigKey key) => _entries[key.Path].Text;

    private IReadOnlyList<string> List(ConfigKey key) => _entries[key.Path].Items ?? [];

    private PrometheusListenAddress? ListenAddress(ConfigKey key)
    {
        ConfigEntry entry = _entries[key.Path];
        if (entry.Text.Length == 0)
        {
            return null;
        }

        return PrometheusListenAddress.TryParse(entry.Text, out PrometheusListenAddress? address)
            ? address
            : throw Invalid(entry, "must be HOST:PORT with a port from 1 to 65535 (e.g. 0.0.0.0:9464, 127.0.0.1:9464, :9464)");
    }

    private string NonEmpty(ConfigKey key)
    {
        ConfigEntry entry = _entries[key.Path];
        return entry.Text.Length > 0 ? entry.Text : throw Invalid(entry, "must not be empty");
    }

    private string Choice(ChoiceKey key)
    {
        ConfigEntry entry = _entries[key.Path];
        return key.Choices.Contains(entry.Text, StringComparer.Ordinal)
            ? entry.Text
            : throw Invalid(entry, "must be one of " + string.Join(", ", key.Choices));
    }

    private string Headers(ConfigKey key)
    {
        ConfigEntry entry = _entries[key.Path];
        return OtlpHeaders.Problem(entry.Text) is { } rule ? throw Invalid(entry, rule) : entry.Text;
    }

    private bool Boolean(BooleanKey key)
    {
        ConfigEntry entry = _entries[key.Path];
        return entry.Text switch
        {
            "true" or "True" or "yes" or "on" => true,
            "false" or "False" or "no" or "off" => false,
            _ => throw Invalid(entry, "must be true or false"),
        };
    }

    private long Integer(IntegerKey key) => Integer(key, _entries[key.Path]);

    private static long Integer(IntegerKey key, ConfigEntry entry) =>
        long.TryParse(entry.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) && value >= key.Minimum && value <= key.Maximum
            ? value
            : throw Invalid(entry, "must be a whole number " + key.RangeText);

    private TimeSpan Duration(DurationKey key)
    {
        ConfigEntry entry = _entries[key.Path];
        return DurationText.TryParse(entry.Text, out TimeSpan value) && value >= key.Minimum && value <= key.Maximum
            ? value
            : throw Invalid(entry, $"must be a duration {key.RangeText} (e.g. 5s, 500ms, 0.5)");
    }

    private Uri? Endpoint(ConfigKey key)
    {
        ConfigEntry entry = _entries[key.Path];
        if (entry.Text.Length == 0)
        {
            return null;
        }

        return Uri.TryCreate(entry.Text, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw Invalid(entry, "must be an http:// or https:// URL (e.g. http://localhost:4317)");
    }

    private static UsageException Invalid(ConfigEntry entry, string rule)
    {
        string shown = ConfigKeys.Find(entry.Path)?.Secret == true ? "***" : entry.Text;
        bool fromCommandLine = entry.Origin.StartsWith("--", StringComparison.Ordinal) || entry.Origin.All(c => char.IsUpper(c));
        return new UsageException(fromCommandLine
            ? $"{entry.Origin} '{shown}' {rule}"
            : $"{entry.Origin}: key '{entry.Path}' {rule}, got '{shown}'");
    }
}
