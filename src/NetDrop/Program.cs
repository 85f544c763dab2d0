using System.CommandLine;
using NetDrop.Cli;
using NetDrop.Configuration;

namespace NetDrop;

internal static class Program
{
    // The subcommands that are not the monitor (RootCommand lists them too; they are needed before it is built).
    private static readonly string[] s_otherCommands = ["analyze", "config", "health", "prepare-log-dir", "--help", "-h", "-?", "--version"];

    public static async Task<int> Main(string[] args)
    {
        // First of all, before anything that takes time: a stop signal in the start-up window must stop the monitor
        // cleanly, not kill it (see StopSignals). The other commands keep the default: Ctrl+C ends an analyze at once.
        if (args.Length == 0 || !s_otherCommands.Contains(args[0]))
        {
            StopSignals.Install();
        }

        try
        {
            return await RunAsync(args).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Last resort: every bad input has its own check and message, so reaching this is a bug; it still gets
            // one sentence and an exit code the unit's RestartPreventExitStatus knows, never a stack trace (exit 134).
            bool input = ex is FormatException or OverflowException or ArgumentException or YamlDotNet.Core.YamlException;
            await Console.Error.WriteLineAsync(
                $"netdrop: unexpected {ex.GetType().Name} {(input ? "reading the input" : "at run time")}: {ex.Message} (please report this)").ConfigureAwait(false);
            return input ? ExitCodes.Usage : ExitCodes.RuntimeFailure;
        }
    }

    private static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand($"""
            NetDrop finds where this Linux host drops packets, layer by layer: NIC rings, qdiscs, the softirq backlog,
            TCP SYN and accept queues, TCP and UDP socket buffers. Counters come straight from the kernel (procfs,
            sysfs, rtnetlink, ethtool ioctl); each interval's deltas go to the console and a CSV.
            SIGTERM, SIGINT (Ctrl+C) and SIGHUP stop the monitor between intervals: the CSV is fsynced and OTLP export
            gets its last push; exit 0.

            Seed-compatible form (as network_monitor_prod.sh), with the options of 'netdrop monitor':
              netdrop [INTERFACE] [INTERVAL] [LOGFILE]       defaults: {ConfigKeys.SeedFormInterface} {ConfigKeys.Interval.DefaultText} {ConfigKeys.CsvPath.DefaultText}
              sudo netdrop eth0 5 /var/log/network_drops.log
              sudo netdrop bond0 10 /var/log/custom.log --threshold 500

            Read a CSV history back:
              netdrop analyze /var/log/network_drops.log [--format text|json|markdown|html]
            """);
        root.Subcommands.Add(MonitorCommand.Create());
        root.Subcommands.Add(AnalyzeCommand.Create());
        root.Subcommands.Add(ConfigCommand.Create());
        root.Subcommands.Add(HealthCommand.Create());
        root.Subcommands.Add(PrepareLogDirCommand.Create());
        root.Subcommands.Add(MonitorCommand.CreateSeedForm());

        ParseResult result = root.Parse(IsSeedForm(root, args) ? [MonitorCommand.SeedFormName, .. args] : args);
        if (result.Errors.Count > 0)
        {
            await Console.Error.WriteLineAsync($"netdrop: {result.Errors[0].Message} (see 'netdrop --help')").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            // The monitor handles SIGTERM/SIGINT itself so a stop never cuts a CSV row in half.
            return await result.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            await Console.Error.WriteLineAsync($"netdrop: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (Exception ex) when (ex is NetDrop.Kernel.KernelSourceException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"netdrop: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.RuntimeFailure;
        }
    }

    // "netdrop eth0 5 /var/log/x.log", "netdrop" and "netdrop --threshold 50 bond0" are the seed's form; a subcommand,
    // --help or --version is not.
    private static bool IsSeedForm(RootCommand root, string[] args) =>
        args.Length == 0 ||
        !(root.Subcommands.Any(command => command.Name == args[0]) || args[0] is "--help" or "-h" or "-?" or "--version");
}
