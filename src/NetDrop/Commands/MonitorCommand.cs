using System.CommandLine;
using System.Runtime.InteropServices;
using NetDrop.Monitoring;

namespace NetDrop.Commands;

/// <summary>
/// <c>netdrop monitor</c> and the seed-compatible <c>netdrop [INTERFACE] [INTERVAL] [LOGFILE]</c>: both build
/// <see cref="MonitorOptions"/> and run <see cref="MonitorRunner"/>.
/// </summary>
internal static class MonitorCommand
{
    private static readonly Option<string[]> s_interface = new("--interface", "-i")
    {
        Description = "Interface to monitor, by name or glob (eth0, 'ens*', bond0). Repeat for several. Default: every interface but lo.",
        AllowMultipleArgumentsPerToken = false,
    };

    private static readonly Option<string[]> s_exclude = new("--exclude")
    {
        Description = "Interface name or glob to leave out (e.g. 'veth*'). Repeat for several.",
    };

    private static readonly Option<string> s_interval = new("--interval", "-n")
    {
        Description = "Seconds between samples; fractions allowed (0.5). Default: 5.",
    };

    private static readonly Option<string> s_csv = new("--csv")
    {
        Description = "CSV log to append one row per interval to (the seed's columns first). Default: " + MonitorOptions.DefaultCsvPath + ".",
    };

    private static readonly Option<bool> s_noCsv = new("--no-csv")
    {
        Description = "Write no CSV log (console only).",
    };

    private static readonly Option<string> s_threshold = new("--threshold")
    {
        Description = "Drops per interval that make it CRIT (1 to threshold-1 is WARN). Default: 100.",
    };

    private static readonly Option<string> s_count = new("--count")
    {
        Description = "Stop after this many reported intervals (the first sample is a baseline and is not reported). Default: run until Ctrl+C or SIGTERM.",
    };

    private static readonly Option<string> s_procRoot = new("--proc-root")
    {
        Description = "Where procfs is mounted; /host/proc in a container that mounts the host's. Default: /proc.",
    };

    private static readonly Option<string> s_sysRoot = new("--sys-root")
    {
        Description = "Where sysfs is mounted; /host/sys in a container. Default: /sys.",
    };

    private static readonly Option<bool> s_noColor = new("--no-color")
    {
        Description = "Never colour the console (colour is also off when output is not a terminal or NO_COLOR is set).",
    };

    private static readonly Option<bool> s_sysfs = new("--sysfs-links")
    {
        Description = "Read interface counters from /sys/class/net/IF/statistics instead of one rtnetlink dump.",
    };

    private static readonly Argument<string> s_seedInterface = new("INTERFACE")
    {
        Description = "Seed form: interface to monitor (default eth0).",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private static readonly Argument<string> s_seedInterval = new("INTERVAL")
    {
        Description = "Seed form: seconds between samples (default 5).",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private static readonly Argument<string> s_seedLogFile = new("LOGFILE")
    {
        Description = "Seed form: CSV log file (default " + MonitorOptions.DefaultCsvPath + ").",
        Arity = ArgumentArity.ZeroOrOne,
    };

    /// <summary>The <c>monitor</c> subcommand.</summary>
    public static Command Create()
    {
        var command = new Command("monitor", """
            Watch packet drops on this host, layer by layer, and report every interval on the console and in a CSV.

            Examples:
              netdrop monitor --interface eth0 --interval 5 --csv /var/log/network_drops.log
              netdrop monitor -i 'ens*' -i bond0 --threshold 500
              netdrop monitor --count 12 --interval 0.5 --no-csv      # a 6-second look, console only
            """);
        foreach (Option option in SharedOptions)
        {
            command.Options.Add(option);
        }

        command.Options.Add(s_interface);
        command.Options.Add(s_exclude);
        command.Options.Add(s_interval);
        command.Options.Add(s_csv);
        command.Options.Add(s_noCsv);
        command.SetAction((result, cancellationToken) =>
        {
            var options = new MonitorOptions
            {
                Interfaces = [.. result.GetValue(s_interface) ?? []],
                Exclude = [.. result.GetValue(s_exclude) ?? []],
            };
            if (result.GetValue(s_interval) is { } interval)
            {
                options.Interval = CommandLineValues.ParseInterval(interval, "--interval");
            }

            if (result.GetValue(s_csv) is { } csv)
            {
                options.CsvPath = csv;
            }

            if (result.GetValue(s_noCsv))
            {
                options.CsvPath = null;
            }

            return RunAsync(ApplyShared(result, options), cancellationToken);
        });
        return command;
    }

    /// <summary>Adds the seed's positional form and the shared options to the root command.</summary>
    public static void AddSeedForm(RootCommand root)
    {
        root.Arguments.Add(s_seedInterface);
        root.Arguments.Add(s_seedInterval);
        root.Arguments.Add(s_seedLogFile);
        foreach (Option option in SharedOptions)
        {
            root.Options.Add(option);
        }

        root.SetAction((result, cancellationToken) =>
        {
            var options = new MonitorOptions
            {
                Interfaces = [result.GetValue(s_seedInterface) ?? MonitorOptions.SeedDefaultInterface],
            };
            if (result.GetValue(s_seedInterval) is { } interval)
            {
                options.Interval = CommandLineValues.ParseInterval(interval, "INTERVAL");
            }

            if (result.GetValue(s_seedLogFile) is { } logFile)
            {
                options.CsvPath = logFile;
            }

            return RunAsync(ApplyShared(result, options), cancellationToken);
        });
    }

    private static Option[] SharedOptions => [s_threshold, s_count, s_procRoot, s_sysRoot, s_noColor, s_sysfs];

    private static MonitorOptions ApplyShared(ParseResult result, MonitorOptions options)
    {
        if (result.GetValue(s_threshold) is { } threshold)
        {
            options.Threshold = CommandLineValues.ParsePositive(threshold, "--threshold");
        }

        if (result.GetValue(s_count) is { } count)
        {
            options.Count = CommandLineValues.ParseCount(count, "--count");
        }

        options.ProcRoot = result.GetValue(s_procRoot) ?? options.ProcRoot;
        options.SysRoot = result.GetValue(s_sysRoot) ?? options.SysRoot;
        if (result.GetValue(s_noColor))
        {
            options.Color = false;
        }

        if (result.GetValue(s_sysfs))
        {
            options.LinkSource = LinkSourceKind.Sysfs;
        }

        return options;
    }

    // SIGTERM (systemd, kubelet) and Ctrl+C end the loop between intervals; completed intervals are already written.
    private static async Task<int> RunAsync(MonitorOptions options, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        return await new MonitorRunner(options, System.Console.Out, System.Console.Error).RunAsync(stop.Token).ConfigureAwait(false);
    }
}
