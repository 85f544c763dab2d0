using System.CommandLine;
using Microsoft.Extensions.Hosting;
using NetDrop.Configuration;
using NetDrop.Agent;

namespace NetDrop.Cli;

/// <summary>
/// <c>netdrop monitor</c> and the seed-compatible <c>netdrop [INTERFACE] [INTERVAL] [LOGFILE]</c>: both turn their
/// arguments into configuration entries that override the file and environment, then run the monitor.
/// </summary>
internal static class MonitorCommand
{
    private static readonly Option<string[]> s_interface = new("--interface", "-i")
    {
        Description = "Interface to monitor, by name or glob (eth0, 'ens*', bond0). Repeat for several. Default: every interface but lo.",
    };

    private static readonly Option<string[]> s_exclude = new("--exclude")
    {
        Description = "Interface name or glob to leave out (e.g. 'veth*'). Repeat for several.",
    };

    private static readonly Option<string> s_interval = new("--interval", "-n")
    {
        Description = $"Seconds between samples; fractions (0.5) and units (500ms, 1m) allowed, {ConfigKeys.Interval.RangeText}. {DefaultOf(ConfigKeys.Interval)}",
    };

    private static readonly Option<string> s_namespaceInterval = new("--namespace-interval")
    {
        Description = $"At most this long between two reads of the other network namespaces (pods, containers), in whole intervals; the node's own is read every interval. {ConfigKeys.NamespaceInterval.RangeText}. {DefaultOf(ConfigKeys.NamespaceInterval)}",
    };

    private static readonly Option<string> s_csv = new("--csv")
    {
        Description = $"CSV log to append one row per interval to (the seed's columns first). {DefaultOf(ConfigKeys.CsvPath)}",
    };

    private static readonly Option<string> s_csvDetail = new("--csv-detail")
    {
        Description = "Detail CSV to append one row per non-zero interface, bond slave and CPU series per interval to (timestamp,iteration,scope,key,category,value). Default: none.",
    };

    private static readonly Option<bool> s_noCsv = new("--no-csv")
    {
        Description = "Write no CSV log (console, and OTLP if configured, only).",
    };

    private static readonly Option<string> s_config = new("--config", "-c")
    {
        Description = "YAML configuration file (see netdrop.yaml); environment NETDROP_* and these flags override it.",
    };

    private static readonly Option<string> s_threshold = new("--threshold")
    {
        Description = $"Drops per interval that make it CRIT (1 to threshold-1 is WARN). {DefaultOf(ConfigKeys.Threshold)}",
    };

    private static readonly Option<string> s_count = new("--count")
    {
        Description = "Stop after this many reported intervals (the first sample is a baseline and is not reported). Default: run until Ctrl+C or SIGTERM.",
    };

    private static readonly Option<string> s_procRoot = new("--proc-root")
    {
        Description = $"Where procfs is mounted; /host/proc in a container that mounts the host's. {DefaultOf(ConfigKeys.ProcRoot)}",
    };

    private static readonly Option<string> s_sysRoot = new("--sys-root")
    {
        Description = $"Where sysfs is mounted; /host/sys in a container. {DefaultOf(ConfigKeys.SysRoot)}",
    };

    private static readonly Option<bool> s_noColor = new("--no-color")
    {
        Description = "Never colour the console (colour is also off when output is not a terminal or NO_COLOR is set).",
    };

    private static readonly Option<bool> s_sysfs = new("--sysfs-links")
    {
        Description = "Read interface counters from /sys/class/net/IF/statistics instead of one rtnetlink dump.",
    };

    private static readonly Option<string> s_otlpEndpoint = new("--otlp-endpoint")
    {
        Description = "Send metrics and CRIT logs over OTLP to this collector (http://host:4317). Default: off, unless OTEL_EXPORTER_OTLP_ENDPOINT is set.",
    };

    private static readonly Option<string> s_prometheusListen = new("--prometheus-listen")
    {
        Description = "Serve the metrics for a Prometheus scrape on http://HOST:PORT/metrics (0.0.0.0:9464, 127.0.0.1:9464). Default: off.",
    };

    private static readonly Option<bool> s_dropReasons = new("--drop-reasons")
    {
        Description = $"Also count drops per kernel drop reason (NO_SOCKET, TCP_LISTEN_OVERFLOW, ...) with a tiny eBPF program; needs root or CAP_BPF + CAP_PERFMON, and runs on without it when refused. {DefaultOf(ConfigKeys.DropReasons)}",
    };

    private static readonly Argument<string> s_seedInterface = new("INTERFACE")
    {
        Description = $"Seed form: interface to monitor (default {ConfigKeys.SeedFormInterface}).",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private static readonly Argument<string> s_seedInterval = new("INTERVAL")
    {
        Description = $"Seed form: seconds between samples (default {ConfigKeys.Interval.DefaultText}).",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private static readonly Argument<string> s_seedLogFile = new("LOGFILE")
    {
        Description = $"Seed form: CSV log file (default {ConfigKeys.CsvPath.DefaultText}).",
        Arity = ArgumentArity.ZeroOrOne,
    };

    // "Default: 5s." from the key table, so the help cannot drift from what an empty configuration does.
    private static string DefaultOf(ConfigKey key) => $"Default: {key.DefaultText}.";

    private static Option[] SharedOptions => [s_config, s_threshold, s_count, s_procRoot, s_sysRoot, s_noColor, s_sysfs, s_otlpEndpoint, s_prometheusListen, s_dropReasons];

    /// <summary>The <c>monitor</c> subcommand.</summary>
    public static Command Create()
    {
        var command = new Command("monitor", """
            Watch packet drops on this host, layer by layer, and report every interval on the console, in a CSV and,
            when an OTLP endpoint is configured, as OpenTelemetry metrics and CRIT log records. SIGTERM, SIGINT (Ctrl+C)
            and SIGHUP stop it between intervals with exit 0, the CSV fsynced.

            Examples:
              netdrop monitor --interface eth0 --interval 5 --csv /var/log/network_drops.log
              netdrop monitor -i 'ens*' -i bond0 --threshold 500
              netdrop monitor --count 12 --interval 0.5 --no-csv      # a 6-second look, console only
              netdrop monitor --config /etc/netdrop/netdrop.yaml --otlp-endpoint http://localhost:4317
            """);
        foreach (Option option in SharedOptions)
        {
            command.Options.Add(option);
        }

        command.Options.Add(s_interface);
        command.Options.Add(s_exclude);
        command.Options.Add(s_interval);
        command.Options.Add(s_namespaceInterval);
        command.Options.Add(s_csv);
        command.Options.Add(s_noCsv);
        command.Options.Add(s_csvDetail);
        command.SetAction((result, cancellationToken) =>
        {
            var entries = new List<ConfigEntry>();
            AddList(entries, ConfigKeys.Interfaces, result.GetValue(s_interface), "--interface");
            AddList(entries, ConfigKeys.Exclude, result.GetValue(s_exclude), "--exclude");
            Add(entries, ConfigKeys.Interval, result.GetValue(s_interval), "--interval");
            Add(entries, ConfigKeys.NamespaceInterval, result.GetValue(s_namespaceInterval), "--namespace-interval");
            Add(entries, ConfigKeys.CsvPath, result.GetValue(s_csv), "--csv");
            Add(entries, ConfigKeys.CsvPath, result.GetValue(s_noCsv) ? "" : null, "--no-csv");
            Add(entries, ConfigKeys.CsvDetailPath, result.GetValue(s_csvDetail), "--csv-detail");
            return RunAsync(result, entries, seedDefaults: []);
        });
        return command;
    }

    /// <summary>Name of the hidden command that carries the seed's positional form (see <see cref="CreateSeedForm"/>).</summary>
    public const string SeedFormName = "seed-form";

    /// <summary>
    /// The seed's <c>netdrop [INTERFACE] [INTERVAL] [LOGFILE]</c>, as a hidden command that Program selects when the
    /// first argument is not a subcommand: on the root itself, its positionals would show in every subcommand's usage.
    /// </summary>
    public static Command CreateSeedForm()
    {
        var root = new Command(SeedFormName, "The seed-compatible form: netdrop [INTERFACE] [INTERVAL] [LOGFILE].") { Hidden = true };
        root.Arguments.Add(s_seedInterface);
        root.Arguments.Add(s_seedInterval);
        root.Arguments.Add(s_seedLogFile);
        foreach (Option option in SharedOptions)
        {
            root.Options.Add(option);
        }

        root.SetAction((result, cancellationToken) =>
        {
            var entries = new List<ConfigEntry>();
            AddList(entries, ConfigKeys.Interfaces, result.GetValue(s_seedInterface) is { } name ? [name] : null, "INTERFACE");
            Add(entries, ConfigKeys.Interval, result.GetValue(s_seedInterval), "INTERVAL");
            Add(entries, ConfigKeys.CsvPath, result.GetValue(s_seedLogFile), "LOGFILE");

            // The seed watched eth0 when no interface was named; a config file or NETDROP_INTERFACES can still say otherwise.
            return RunAsync(result, entries, seedDefaults: [new ConfigEntry(ConfigKeys.Interfaces.Path, ConfigKeys.SeedFormInterface, [ConfigKeys.SeedFormInterface], "default (seed form)")]);
        });
        return root;
    }

    /// <summary>Reads the file, environment and flags into the effective configuration (shared with <c>config show</c>).</summary>
    public static NetDropConfiguration LoadConfiguration(ParseResult result, List<ConfigEntry> entries, IEnumerable<ConfigEntry> seedDefaults)
    {
        Add(entries, ConfigKeys.Threshold, result.GetValue(s_threshold), "--threshold");
        Add(entries, ConfigKeys.ProcRoot, result.GetValue(s_procRoot), "--proc-root");
        Add(entries, ConfigKeys.SysRoot, result.GetValue(s_sysRoot), "--sys-root");
        Add(entries, ConfigKeys.ConsoleColor, result.GetValue(s_noColor) ? "never" : null, "--no-color");
        Add(entries, ConfigKeys.LinkSource, result.GetValue(s_sysfs) ? "sysfs" : null, "--sysfs-links");
        Add(entries, ConfigKeys.OtlpEndpoint, result.GetValue(s_otlpEndpoint), "--otlp-endpoint");
        Add(entries, ConfigKeys.PrometheusListen, result.GetValue(s_prometheusListen), "--prometheus-listen");
        Add(entries, ConfigKeys.DropReasons, result.GetValue(s_dropReasons) ? "on" : null, "--drop-reasons");

        var configuration = new NetDropConfiguration();
        configuration.Apply(seedDefaults);
        return NetDropConfiguration.Load(result.GetValue(s_config), Environment.GetEnvironmentVariables(), entries, configuration);
    }

    private static async Task<int> RunAsync(ParseResult result, List<ConfigEntry> entries, IEnumerable<ConfigEntry> seedDefaults)
    {
        MonitorOptions options = LoadConfiguration(result, entries, seedDefaults).Bind();
        if (result.GetValue(s_count) is { } count)
        {
            options.Count = CommandLineValues.ParseCount(count, "--count");
        }

        // A stop signal before the host runs (StopSignals) ends the run at the next step with exit 0; the session's
        // Dispose closes the CSV, which holds at most its header, so it is never left half-written.
        if (StopSignals.StopRequested)
        {
            return ExitCodes.Ok;
        }

        using var session = new MonitorSession(options, Console.Out, Console.Error);
        if (StopSignals.StopRequested)
        {
            return ExitCodes.Ok;
        }

        session.WriteBanner();
        using IHost host = NetDropHost.Build(session, Environment.GetEnvironmentVariables());
        var sampling = (SamplingService)host.Services.GetService(typeof(SamplingService))!;
        var lifetime = (IHostApplicationLifetime)host.Services.GetService(typeof(IHostApplicationLifetime))!;

        // From here a stop is the host's: the interval in progress finishes, the CSV is fsynced, the exporter pushes.
        // Registering on a token already cancelled calls StopApplication at once.
        using CancellationTokenRegistration stop = StopSignals.Token.Register(lifetime.StopApplication);
        try
        {
            await host.StartAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (StopSignals.StopRequested)
        {
            // A stop signal while the host was starting: its hosted services never ran, so nothing was sampled since
            // the baseline; the CSV (header, or earlier rows) is completed and the stop is a clean exit.
            session.CompleteSinks();
            return ExitCodes.Ok;
        }
        catch (InvalidOperationException ex) when (ex.InnerException is System.Net.HttpListenerException listener)
        {
            // The Prometheus exporter binds when the meter provider starts: a taken port is a runtime failure (exit 1),
            // said in one sentence, so systemd's restart can try again once the port is free.
            throw new IOException($"cannot serve /metrics on {options.PrometheusListen}: {listener.Message}", ex);
        }

        await host.WaitForShutdownAsync().ConfigureAwait(false);
        return sampling.Failed ? ExitCodes.RuntimeFailure : ExitCodes.Ok;
    }

    private static void Add(List<ConfigEntry> entries, ConfigKey key, string? value, string origin)
    {
        if (value is not null)
        {
            entries.Add(new ConfigEntry(key.Path, value, null, origin));
        }
    }

    private static void AddList(List<ConfigEntry> entries, ConfigKey key, string[]? values, string origin)
    {
        if (values is { Length: > 0 })
        {
            entries.Add(new ConfigEntry(key.Path, string.Join(',', values), values, origin));
        }
    }
}
