using NetDrop.Model;

namespace NetDrop.Configuration;

/// <summary>
/// Every key NetDrop understands (netdrop.yaml in the repository root documents each one). A key not listed here is a
/// typo and stops the agent, so a misspelt <c>interval</c> never silently runs at the default.
/// </summary>
internal static class ConfigKeys
{
    public static readonly ConfigKey Interfaces = new("interfaces", ConfigValueKind.List, "");
    public static readonly ConfigKey Exclude = new("exclude", ConfigValueKind.List, "");
    public static readonly ConfigKey Interval = new("interval", ConfigValueKind.Duration, "5s");
    public static readonly ConfigKey Threshold = new("threshold", ConfigValueKind.PositiveInteger, "100");
    public static readonly ConfigKey ProcRoot = new("paths.proc", ConfigValueKind.Text, "/proc");
    public static readonly ConfigKey SysRoot = new("paths.sys", ConfigValueKind.Text, "/sys");
    public static readonly ConfigKey LinkSource = new("link_source", ConfigValueKind.Choice, "netlink", ["netlink", "sysfs"]);
    public static readonly ConfigKey CsvPath = new("csv.path", ConfigValueKind.Text, Monitoring.MonitorOptions.DefaultCsvPath);
    public static readonly ConfigKey CsvMaxSizeMb = new("csv.max_size_mb", ConfigValueKind.NonNegativeInteger, "0");
    public static readonly ConfigKey CsvMaxFiles = new("csv.max_files", ConfigValueKind.PositiveInteger, "5");
    public static readonly ConfigKey ConsoleColor = new("console.color", ConfigValueKind.Choice, "auto", ["auto", "always", "never"]);
    public static readonly ConfigKey OtlpEndpoint = new("otlp.endpoint", ConfigValueKind.Text, "");
    public static readonly ConfigKey OtlpProtocol = new("otlp.protocol", ConfigValueKind.Choice, "grpc", ["grpc", "http/protobuf"]);
    public static readonly ConfigKey OtlpHeaders = new("otlp.headers", ConfigValueKind.Text, "", Secret: true);
    public static readonly ConfigKey OtlpExportInterval = new("otlp.export_interval", ConfigValueKind.Duration, "10s");
    public static readonly ConfigKey OtlpTimeout = new("otlp.timeout", ConfigValueKind.Duration, "10s");
    public static readonly ConfigKey PrometheusListen = new("prometheus.listen", ConfigValueKind.Text, "");
    public static readonly ConfigKey EthtoolEnabled = new("ethtool.enabled", ConfigValueKind.Boolean, "true");
    public static readonly ConfigKey PerCpu = new("per_cpu", ConfigValueKind.Boolean, "false");
    public static readonly ConfigKey HeartbeatFile = new("heartbeat_file", ConfigValueKind.Text, "");

    /// <summary>Prefix of the per-category thresholds, <c>thresholds.&lt;csv column&gt;</c>.</summary>
    public const string ThresholdsPrefix = "thresholds.";

    public static readonly ConfigKey[] All =
    [
        Interfaces, Exclude, Interval, Threshold, ProcRoot, SysRoot, LinkSource, CsvPath, CsvMaxSizeMb, CsvMaxFiles,
        ConsoleColor, OtlpEndpoint, OtlpProtocol, OtlpHeaders, OtlpExportInterval, OtlpTimeout, PrometheusListen, EthtoolEnabled,
        PerCpu, HeartbeatFile,
    ];

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
            return new ConfigKey(path, ConfigValueKind.PositiveInteger, "");
        }

        return null;
    }

    /// <summary>The known key closest to a misspelt one, for "did you mean" in the error.</summary>
    public static string? Suggest(string path)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        IEnumerable<string> thresholds = DropCategories.Table.Where(category => category.IsDrop).Select(category => ThresholdsPrefix + category.Column);
        foreach (string candidate in All.Select(key => key.Path).Append("thresholds").Concat(thresholds))
        {
            int distance = EditDistance(path, candidate);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return bestDistance <= Math.Max(2, path.Length / 3) ? best : null;
    }

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
