using NetDrop.Configuration;
using NetDrop.Kernel;
using NetDrop.Model;
using NetDrop.Sampling;

namespace NetDrop.Monitoring;

/// <summary>Everything the monitor needs to run, after the command line (and later the config file) are merged.</summary>
internal sealed class MonitorOptions
{
    public const string SeedDefaultInterface = "eth0";
    public const string DefaultCsvPath = "/var/log/network_drops.log";

    /// <summary>Names or globs. Empty means every interface but loopback.</summary>
    public List<string> Interfaces { get; set; } = [];

    public List<string> Exclude { get; set; } = [];

    /// <summary>Between 10 ms and 1 h. The default value is 5 seconds, as the seed's.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The CSV log; null turns it off. The default value is the seed's <c>/var/log/network_drops.log</c>.</summary>
    public string? CsvPath { get; set; } = DefaultCsvPath;

    /// <summary>Drops per interval that make it CRIT. At least 1. The default value is 100, as the seed's.</summary>
    public long Threshold { get; set; } = SeverityPolicy.DefaultThreshold;

    public Dictionary<string, long> CategoryThresholds { get; set; } = [];

    /// <summary>The categories sampled and reported: the product's table (tests append rows to prove one row is enough).</summary>
    public DropCategoryTable Categories { get; set; } = DropCategories.Table;

    /// <summary>Stop after this many reported intervals; 0 runs until stopped.</summary>
    public int Count { get; set; }

    public string ProcRoot { get; set; } = KernelPaths.DefaultProcRoot;

    public string SysRoot { get; set; } = KernelPaths.DefaultSysRoot;

    /// <summary>null: colour on a terminal unless NO_COLOR is set.</summary>
    public bool? Color { get; set; }

    public LinkSourceKind LinkSource { get; set; } = LinkSourceKind.Netlink;

    /// <summary>Rotate the CSV when it grows past this many bytes; 0 (the default) leaves rotation to logrotate.</summary>
    public long CsvMaxSizeBytes { get; set; }

    /// <summary>Rotated CSV files kept (name.1 … name.N). The default value is 5.</summary>
    public int CsvMaxFiles { get; set; } = 5;

    public OtlpSettings Otlp { get; set; } = new();

    /// <summary>Serve the metrics on <c>/metrics</c> here for a Prometheus scrape; null (the default) serves nothing.</summary>
    public PrometheusListenAddress? PrometheusListen { get; set; }

    /// <summary>Read ethtool driver statistics for ring-full counters. The default value is true.</summary>
    public bool EthtoolEnabled { get; set; } = true;

    /// <summary>Export softirq drops per CPU. The default value is false.</summary>
    public bool PerCpu { get; set; }

    /// <summary>Touched after every sample for an exec liveness probe; null for none.</summary>
    public string? HeartbeatFile { get; set; }

    public const double MinimumIntervalSeconds = 0.01;
    public const double MaximumIntervalSeconds = 3600;
}
