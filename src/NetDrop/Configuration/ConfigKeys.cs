using NetDrop.Model;

namespace NetDrop.Configuration;

/// <summary>
/// Every key NetDrop understands, each with its default and its range: the one place these are written. The binder
/// checks against them, <see cref="MonitorOptions"/> and <see cref="OtlpSettings"/> start from them,
/// <c>config show</c> prints them and <c>--help</c> quotes them (netdrop.yaml in the repository root documents each
/// key, and a test holds it to these defaults). A key not listed here is a typo and stops the agent, so a misspelt
/// <c>interval</c> never silently runs at the default.
/// </summary>
internal static class ConfigKeys
{
    /// <summary>The prefix of every environment variable NetDrop reads as configuration.</summary>
    public const string EnvironmentPrefix = "NETDROP_";

    /// <summary>What the seed form (<c>netdrop [INTERFACE] [INTERVAL] [LOGFILE]</c>) watches when no interface is named, as the seed did.</summary>
    public const string SeedFormInterface = "eth0";

    public static readonly ListKey Interfaces = new("interfaces");
    public static readonly ListKey Exclude = new("exclude");

    /// <summary>The seed's 5 s (its INTERVAL).</summary>
    public static readonly DurationKey Interval = new("interval", TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1));

    /// <summary>The seed's 100 drops per interval.</summary>
    public static readonly IntegerKey Threshold = new("threshold", 100, 1);

    public static readonly TextKey ProcRoot = new("paths.proc", Kernel.KernelPaths.DefaultProcRoot);
    public static readonly TextKey SysRoot = new("paths.sys", Kernel.KernelPaths.DefaultSysRoot);
    public static readonly ChoiceKey LinkSource = new("link_source", "netlink", ["netlink", "sysfs"]);

    /// <summary>
    /// Which network namespaces the socket-layer categories read: every namespace with a live task under the proc root
    /// (each pod's and container's, attributed), or the node's own only (what NetDrop read before issue 11).
    /// </summary>
    public static readonly ChoiceKey Namespaces = new("namespaces", "all", ["all", "host"]);

    /// <summary>
    /// How often the other namespaces (with <c>namespaces: all</c>) are scanned and read: every
    /// <see cref="NetDrop.Sources.NamespaceCounterSource.SamplesPerRead"/>-th sample, never further apart than this (the
    /// node's own namespace is read every sample). 10 s, every second sample at the 5 s default: 110 pod namespaces
    /// read every 5 s cost 0.30–0.37% of one core, over the 0.25% budget; every 10 s, 0.14–0.18% (bench/README.md,
    /// "110 pod namespaces").
    /// </summary>
    public static readonly DurationKey NamespaceInterval = new("namespace_interval", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1));

    /// <summary>The seed's log file.</summary>
    public static readonly TextKey CsvPath = new("csv.path", "/var/log/network_drops.log");

    /// <summary>The detail CSV (one row per non-zero interface, slave, CPU … series per interval); empty, the default, writes none.</summary>
    public static readonly TextKey CsvDetailPath = new("csv.detail_path", "");

    /// <summary>0 leaves rotation to logrotate; at most 1 TiB, past which the size in bytes would overflow (and no log is that large).</summary>
    public static readonly IntegerKey CsvMaxSizeMb = new("csv.max_size_mb", 0, 0, 1024 * 1024);

    public static readonly IntegerKey CsvMaxFiles = new("csv.max_files", 5, 1, 1000);
    public static readonly ChoiceKey ConsoleColor = new("console.color", "auto", ["auto", "always", "never"]);
    public static readonly TextKey OtlpEndpoint = new("otlp.endpoint", "");
    public static readonly ChoiceKey OtlpProtocol = new("otlp.protocol", "grpc", ["grpc", "http/protobuf"]);
    public static readonly TextKey OtlpHeaders = new("otlp.headers", "", IsSecret: true);
    public static readonly DurationKey OtlpExportInterval = new("otlp.export_interval", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
    public static readonly DurationKey OtlpTimeout = new("otlp.timeout", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
    public static readonly TextKey PrometheusListen = new("prometheus.listen", "");
    public static readonly BooleanKey EthtoolEnabled = new("ethtool.enabled", true);
    public static readonly BooleanKey PerCpu = new("per_cpu", false);
    public static readonly TextKey HeartbeatFile = new("heartbeat_file", "");

    /// <summary>Count packet drops per kernel drop reason with an eBPF program of NetDrop's own; needs root or CAP_BPF + CAP_PERFMON.</summary>
    public static readonly ChoiceKey DropReasons = new("drop_reasons", "off", ["off", "on"]);

    /// <summary>Prefix of the per-category thresholds, <c>thresholds.&lt;csv column&gt;</c>.</summary>
    public const string ThresholdsPrefix = "thresholds.";

    public static readonly ConfigKey[] All =
    [
        Interfaces, Exclude, Interval, Threshold, ProcRoot, SysRoot, LinkSource, Namespaces, NamespaceInterval, CsvPath, CsvDetailPath, CsvMaxSizeMb, CsvMaxFiles,
        ConsoleColor, OtlpEndpoint, OtlpProtocol, OtlpHeaders, OtlpExportInterval, OtlpTimeout, PrometheusListen, EthtoolEnabled,
        PerCpu, HeartbeatFile, DropReasons,
    ];

    /// <summary>
    /// <c>thresholds.&lt;column&gt;</c> for every drop category of the category table (a pressure column counts no
    /// drops, so it has no threshold): one drop category alone reaching it makes the interval CRIT. Unset by default.
    /// </summary>
    public static IEnumerable<IntegerKey> CategoryThresholds =>
        DropCategories.Table.Where(category => category.IsDrop).Select(category => CategoryThreshold(ThresholdsPrefix + category.Column));

    /// <summary>The environment variable of a key path: <c>NETDROP_</c> and the path in capitals with <c>_</c> for <c>.</c>.</summary>
    public static string EnvironmentName(string path) => EnvironmentPrefix + path.Replace('.', '_').ToUpperInvariant();

    /// <summary>The key for a path, including <c>thresholds.&lt;category&gt;</c>; null if there is no such key.</summary>
    public static ConfigKey? Find(string path)
    {
        foreach (ConfigKey key in All)
        {
            if (key.Path == path)
            {
                return key;
            }
        }

        if (path.StartsWith(ThresholdsPrefix, StringComparison.Ordinal) && DropCategories.Table.Find(path[ThresholdsPrefix.Length..]) is { IsDrop: true })
        {
            return CategoryThreshold(path);
        }

        return null;
    }

    /// <summary>The known key closest to a misspelt one, for "did you mean" in the error.</summary>
    public static string? Suggest(string path)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in All.Select(key => key.Path).Append("thresholds").Concat(CategoryThresholds.Select(key => key.Path)))
        {
            int distance = EditDistance(path, candidate);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return bestDistance <= Math.Max(2, path.Length / 3) ? best : null;
    }

    private static IntegerKey CategoryThreshold(string path) => new(path, Default: null, Minimum: 1);

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), substitution);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
