using System.CommandLine;
using NetDrop.Commands;
using NetDrop.Monitoring;

namespace NetDrop;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("""
            NetDrop finds where this Linux host drops packets, layer by layer: NIC rings, qdiscs, the softirq backlog,
            TCP SYN and accept queues, TCP and UDP socket buffers. Counters come straight from the kernel (procfs,
            sysfs, rtnetlink, ethtool ioctl); each interval's deltas go to the console and a CSV.

            Seed-compatible form (as network_monitor_prod.sh):
              netdrop [INTERFACE] [INTERVAL] [LOGFILE]       defaults: eth0 5 /var/log/network_drops.log
              sudo netdrop eth0 5 /var/log/network_drops.log
            """);
        MonitorCommand.AddSeedForm(root);
        root.Subcommands.Add(MonitorCommand.Create());
        root.Subcommands.Add(ConfigCommand.Create());
        root.Subcommands.Add(HealthCommand.Create());
        root.Subcommands.Add(PrepareLogDirCommand.Create());

        ParseResult result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            await System.Console.Error.WriteLineAsync($"netdrop: {result.Errors[0].Message} (see 'netdrop --help')").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            // The monitor handles SIGTERM/SIGINT itself so a stop never cuts a CSV row in half.
            return await result.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            await System.Console.Error.WriteLineAsync($"netdrop: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (Exception ex) when (ex is NetDrop.Kernel.KernelSourceException or IOException or UnauthorizedAccessException)
        {
            await System.Console.Error.WriteLineAsync($"netdrop: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.RuntimeFailure;
        }
    }
}
