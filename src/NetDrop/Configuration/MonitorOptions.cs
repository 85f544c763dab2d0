using NetDrop.Model;

namespace NetDrop.Configuration;

/// <summary>
/// Everything the monitor needs to run, after the file, the environment and the command line are merged. Ranges and
/// defaults are <see cref="ConfigKeys"/>'; the initial values here are read from it, so an options object built in
/// code (tests, benchmarks) starts where an empty configuration does.
/// </summary>
internal sealed class MonitorOptions
{

    /// <summary>Names or globs. Empty means every interface but loopback.</summary>
    public List<string> Interfaces { get; set; } = [];

    public List<string> Exclude { get; set; } = [];

    /// <summary><see cref="ConfigKeys.Interval"/>.</summary>
    public TimeSpan Interval { get; set; } = ConfigKeys.Interval.Default;

    /// <summary>The CSV log; null turns it off. <see cref="ConfigKeys.CsvPath"/>.</summary>
    public string? CsvPath { get; set; } = ConfigKeys.CsvPath.Default;

    /// <summary>The detail CSV; null (the default) writes none. <see cref="ConfigKeys.CsvDetailPath"/>.</summary>
    public string? CsvDetailPath { get; set; } = ConfigKeys.CsvDetailPath.Default is { Length: > 0 } path ? path : null;

    /// <summary>Drops per interval that make it CRIT. <see cref="ConfigKeys.Threshold"/>.</summary>
    public long Threshold { get; set; } = ConfigKeys.Threshold.Default!.Value;

    public Dictionary<string, long> CategoryThresholds { get; set; } = [];

    /// <summary>The categories sampled and reported: the product's table (tests append rows to prove one row is enough).</summary>
    public DropCategoryTable Categories { get; set; } = DropCategories.Table;

    /// <summary>Stop after this many reported intervals; 0 runs until stopped.</summary>
    public int Count { get; set; }

    public string ProcRoot { get; set; } = ConfigKeys.ProcRoot.Default;

    public string SysRoot { get; set; } = ConfigKeys.SysRoot.Default;

    /// <summary>null: colour on a terminal unless NO_COLOR is set.</summary>
    public bool? Color { get; set; } = NetDropConfiguration.ColorOf(ConfigKeys.ConsoleColor.Default);

    public LinkSourceKind LinkSource { get; set; } = NetDropConfiguration.LinkSourceOf(ConfigKeys.LinkSource.Default);

    /// <summary>Read every network namespace (true, <c>namespaces: all</c>) or the node's own only. <see cref="ConfigKeys.Namespaces"/>.</summary>
    public bool AllNamespaces { get; set; } = NetDropConfiguration.AllNamespacesOf(ConfigKeys.Namespaces.Default);

    /// <summary>At most this long between two reads of the other namespaces (a whole number of intervals). <see cref="ConfigKeys.NamespaceInterval"/>.</summary>
    public TimeSpan NamespaceInterval { get; set; } = ConfigKeys.NamespaceInterval.Default;

    /// <summary>Rotate the CSV when it grows past this many bytes; 0 leaves rotation to logrotate. <see cref="ConfigKeys.CsvMaxSizeMb"/>.</summary>
    public long CsvMaxSizeBytes { get; set; } = ConfigKeys.CsvMaxSizeMb.Default!.Value * 1024 * 1024;

    /// <summary>Rotated CSV files kept (name.1 … name.N). <see cref="ConfigKeys.CsvMaxFiles"/>.</summary>
    public int CsvMaxFiles { get; set; } = (int)ConfigKeys.CsvMaxFiles.Default!.Value;

    public OtlpSettings Otlp { get; set; } = new();

    /// <summary>Serve the metrics on <c>/metrics</c> here for a Prometheus scrape; null (the default) serves nothing.</summary>
    public PrometheusListenAddress? PrometheusListen { get; set; }

    /// <summary>Read ethtool driver statistics for ring-full counters. <see cref="ConfigKeys.EthtoolEnabled"/>.</summary>
    public bool EthtoolEnabled { get; set; } = ConfigKeys.EthtoolEnabled.Default;

    /// <summary>Export softirq drops per CPU. <see cref="ConfigKeys.PerCpu"/>.</summary>
    public bool PerCpu { get; set; } = ConfigKeys.PerCpu.Default;

    /// <summary>Touched after every sample for an exec liveness probe; null for none.</summary>
    public string? HeartbeatFile { get; set; }

    /// <summary>Count drops per kernel drop reason (eBPF, opt-in). <see cref="ConfigKeys.DropReasons"/>.</summary>
    public bool DropReasons { get; set; } = ConfigKeys.DropReasons.Default == "on";
}
