using NetDrop.Tests.Faults;
using NetDrop.Tests.TestSupport;

namespace NetDrop.Tests.Terminal;

/// <summary>
/// The console lines people read (README "Usage", the seed's format): the interval line, one <c>├─</c> line per non-zero
/// category with the seed's label, drops first and pressure signals after, the per-interface detail when several
/// interfaces are watched, and the severity colours. Driven end to end through a real session over a fixture root
/// whose deltas the test knows (<see cref="MutationFixtureRoot.ExpectedPerStep"/>), so the text guards the category
/// model's refactor rather than its fields.
/// </summary>
public sealed class ConsoleBreakdownTests
{
    /// <summary>
    /// The console's labels and order, written here (README, DESIGN.md "console"), not taken from the category table:
    /// every drop category in CSV-column order, then every pressure signal.
    /// </summary>
    private static readonly (string Column, string Label)[] s_drops =
    [
        ("nic_rx", "NIC RX Dropped"), ("nic_tx", "NIC TX Dropped"), ("nic_missed", "NIC RX Missed (ring full)"),
        ("qdisc", "Qdisc Dropped"), ("softirq", "Softirq Dropped"), ("syn_queue", "SYN Queue Drop"),
        ("accept_queue", "Accept Queue Overflow"), ("tcp_pruned", "TCP RX Buffer Pruned"),
        ("udp_rcvbuf", "UDP RX Buffer Errors"), ("udp_sndbuf", "UDP TX Buffer Errors"),
        ("tcp_backlog", "TCP Socket Backlog Drop"), ("tcp_rcvq", "TCP Receive Queue Drop"),
        ("tcp_zero_window", "TCP Zero Window Drop"), ("tcp_ofo", "TCP Out-of-Order Queue Drop"),
        ("listen_other", "TCP Listen Drop (other)"), ("udp_mem", "UDP Memory Errors"), ("udp_csum", "UDP Checksum Errors"),
    ];

    private static readonly (string Column, string Label)[] s_pressure =
    [
        ("tcp_collapsed", "TCP RX Buffer Collapsed (pressure)"), ("softnet_squeeze", "Softirq Time Squeeze (pressure)"),
        ("tcp_prune_called", "TCP Prune Called (pressure)"), ("syn_cookies", "SYN Cookies Sent on Full Queue (pressure)"),
    ];

    /// <summary>
    /// Per-interface detail of the interface categories, from <see cref="MutationFixtureRoot.Steps"/> (eth0 and lo
    /// each move their own rx_dropped/tx_dropped/rx_missed_errors files); an interface with 0 is left out.
    /// </summary>
    private static readonly Dictionary<string, string> s_interfaceDetail = new(StringComparer.Ordinal)
    {
        ["nic_rx"] = $" (eth0: {MutationFixtureRoot.Steps["eth0 rx_dropped"]}, lo: {MutationFixtureRoot.Steps["lo rx_dropped"]})",
        ["nic_tx"] = $" (eth0: {MutationFixtureRoot.Steps["eth0 tx_dropped"]}, lo: {MutationFixtureRoot.Steps["lo tx_dropped"]})",
        ["nic_missed"] = $" (eth0: {MutationFixtureRoot.Steps["eth0 rx_missed_errors"]})",
    };

    [Fact]
    public void Interval_EveryCategoryMoves_OneLinePerNonZeroCategoryDropsFirstWithLabelsValuesAndInterfaceDetail()
    {
        using var monitor = new FixtureMonitor(options => options.Threshold = 1000);
        monitor.Interval(1, k: 2);

        string[] lines = monitor.Complete().Split('\n');
        int first = Array.FindIndex(lines, line => line.StartsWith("[2026-02-03 11:23:45] #0001 | ", StringComparison.Ordinal));
        Assert.True(first >= 0, "no interval line in:\n" + string.Join('\n', lines));

        // k 0 → 2: every category moved by twice its step; qdisc never (the namespace's lo has no qdisc drops).
        List<string> expected = [$"[2026-02-03 11:23:45] #0001 | ⚠ WARN | Drops: {2 * TotalPerStep}"];
        foreach ((string column, string label) in s_drops.Concat(s_pressure))
        {
            if (column == "qdisc")
            {
                continue;
            }

            string detail = s_interfaceDetail.TryGetValue(column, out string? perInterface) ? Doubled(perInterface) : "";
            expected.Add($"  ├─ {label}: {2 * MutationFixtureRoot.ExpectedPerStep[column]}{detail}");
        }

        Assert.Equal(expected, lines.Skip(first).Take(expected.Count));
        Assert.Equal("", lines[first + expected.Count]); // nothing after the breakdown
    }

    [Fact]
    public void Interval_NothingMoved_OkLineWithoutBreakdown()
    {
        using var monitor = new FixtureMonitor();
        monitor.Interval(1, k: 0);

        string output = monitor.Complete();

        Assert.EndsWith("[2026-02-03 11:23:45] #0001 | ✓ OK | Drops: 0\n", output, StringComparison.Ordinal);
        Assert.DoesNotContain("├─", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, "\e[31m✖ CRIT\e[0m")] // threshold 1: any drop is CRIT, red
    [InlineData(1_000_000, "\e[33m⚠ WARN\e[0m")] // below the threshold: WARN, yellow
    public void Interval_ColorOn_SeverityWordInItsColourAndReset(long threshold, string severity)
    {
        using var monitor = new FixtureMonitor(options => (options.Color, options.Threshold) = (true, threshold));
        monitor.Interval(1, k: 1);
        monitor.Interval(2, k: 1);

        string output = monitor.Complete();

        Assert.Contains($"[2026-02-03 11:23:45] #0001 | {severity} | Drops: {TotalPerStep}\n", output, StringComparison.Ordinal);
        Assert.Contains("[2026-02-03 11:23:50] #0002 | \e[32m✓ OK\e[0m | Drops: 0\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Interval_ColorOff_NoEscapeSequenceAnywhere()
    {
        using var monitor = new FixtureMonitor(options => options.Threshold = 1);
        monitor.Interval(1, k: 1);

        string output = monitor.Complete();

        Assert.Contains("| ✖ CRIT | Drops: ", output, StringComparison.Ordinal);
        Assert.DoesNotContain('\e', output);
    }

    [Fact]
    public void Interval_OneInterfaceWatched_NoInterfaceDetail()
    {
        using var monitor = new FixtureMonitor(options => options.Interfaces = ["eth0"]);
        monitor.Interval(1, k: 1);

        string output = monitor.Complete();

        Assert.Contains($"  ├─ NIC RX Dropped: {MutationFixtureRoot.Steps["eth0 rx_dropped"]}\n", output, StringComparison.Ordinal);
        Assert.DoesNotContain("(eth0", output, StringComparison.Ordinal);
    }

    /// <summary>
    /// The interval's <c>Drops:</c> per fixture step: every drop category's delta, minus the <c>RcvPruned</c> part of
    /// <c>tcp_pruned</c>, which the kernel also counts in the category of the segment it then drops (README "Where the
    /// kernel counts one packet twice": the total counts that packet once). Pressure signals are not drops.
    /// </summary>
    private static ulong TotalPerStep =>
        s_drops.Aggregate(0UL, (sum, category) => sum + MutationFixtureRoot.ExpectedPerStep.GetValueOrDefault(category.Column))
        - MutationFixtureRoot.Steps["TcpExt: RcvPruned"];

    private static string Doubled(string detail) =>
        System.Text.RegularExpressions.Regex.Replace(detail, @"\d+", match => (2 * int.Parse(match.Value, System.Globalization.CultureInfo.InvariantCulture)).ToString(System.Globalization.CultureInfo.InvariantCulture));
}
