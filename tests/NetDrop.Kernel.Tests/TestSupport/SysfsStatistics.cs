using System.Globalization;
using System.Runtime.InteropServices;
using NetDrop.Kernel.Snapshots;

namespace NetDrop.Kernel.Tests.TestSupport;

/// <summary>
/// The oracle for link counters: <c>/sys/class/net/IF/ifindex</c> and <c>statistics/*</c> as <c>cat</c> sees them, one
/// "name key value" line each. Sysfs is a different kernel path (net/core/net-sysfs.c) to the same
/// <c>dev_get_stats</c> numbers that IFLA_STATS64 carries.
/// </summary>
internal static class SysfsStatistics
{
    /// <summary>The shell script that prints the lines; run on the host or through <c>ip netns exec</c>.</summary>
    public const string Script =
        "for d in /sys/class/net/*; do n=${d##*/}; echo \"$n ifindex $(cat $d/ifindex)\"; " +
        "for f in $d/statistics/*; do echo \"$n ${f##*/} $(cat $f)\"; done; done";

    /// <summary>The sysfs file names in <see cref="LinkCounters"/> field order.</summary>
    public static readonly string[] CounterNames =
    [
        "rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_errors", "tx_errors", "rx_dropped", "tx_dropped",
        "multicast", "collisions", "rx_length_errors", "rx_over_errors", "rx_crc_errors", "rx_frame_errors",
        "rx_fifo_errors", "rx_missed_errors", "tx_aborted_errors", "tx_carrier_errors", "tx_fifo_errors",
        "tx_heartbeat_errors", "tx_window_errors", "rx_compressed", "tx_compressed", "rx_nohandler",
    ];

    public static string ReadHost() => ToolRunner.Run("sh", "-c", Script);

    /// <summary>Parses the script's output: interface name → (key → value).</summary>
    public static Dictionary<string, Dictionary<string, ulong>> Parse(string text)
    {
        var result = new Dictionary<string, Dictionary<string, ulong>>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] fields = line.Split(' ');
            if (!result.TryGetValue(fields[0], out Dictionary<string, ulong>? values))
            {
                values = new Dictionary<string, ulong>(StringComparer.Ordinal);
                result.Add(fields[0], values);
            }

            values.Add(fields[1], ulong.Parse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture));
        }

        return result;
    }

    /// <summary>The value of the counter named <paramref name="name"/> (a sysfs file name) in <paramref name="counters"/>.</summary>
    public static ulong Get(in LinkCounters counters, string name)
    {
        int index = Array.IndexOf(CounterNames, name);
        if (index < 0)
        {
            throw new ArgumentException($"not a LinkCounters field: {name}", nameof(name));
        }

        return MemoryMarshal.Cast<LinkCounters, ulong>(new ReadOnlySpan<LinkCounters>(in counters))[index];
    }
}
