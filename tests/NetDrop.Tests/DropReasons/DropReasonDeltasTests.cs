using Microsoft.Extensions.Logging;
using NetDrop.Deltas;
using NetDrop.Kernel.Bpf;
using NetDrop.Model;
using NetDrop.Sinks.Telemetry;
using NetDrop.Sinks.Terminal;
using NetDrop.Sources;
using NetDrop.Tests.Sampling;
using OpenTelemetry.Logs;

namespace NetDrop.Tests.DropReasons;

/// <summary>
/// Per-reason deltas through the real engine and console over two samples whose counts the test writes: which
/// reasons are loss, which are kept apart (NOT_SPECIFIED; a close, a duplicate), the order, the reset, and that no
/// reason ever reaches <c>total_drops</c>.
/// </summary>
public sealed class DropReasonDeltasTests
{
    // A slice of 6.18's enum skb_drop_reason, values as this kernel numbers them (BTF), names as NetDrop keeps them.
    private static readonly string?[] s_names =
        ["SKB_NOT_DROPPED_YET", "SKB_CONSUMED", "NOT_SPECIFIED", "NO_SOCKET", "SOCKET_CLOSE", "SOCKET_FILTER", "SOCKET_RCVBUFF",
         null, "TCP_OLD_DATA", "TCP_LISTEN_OVERFLOW"];

    private const int NotSpecified = 2, NoSocket = 3, SocketClose = 4, SocketRcvbuff = 6, Unnamed = 7, TcpOldData = 8, ListenOverflow = 9;
    private const int Subsystem = 10; // the slot past the enum

    [Fact]
    public void Compute_ReasonsMoved_LossSortedLargestFirstTheRestKeptApartAndTotalDropsUntouched()
    {
        IntervalReport report = Compute(
            before: [],
            after: new() { [NoSocket] = 812, [ListenOverflow] = 32, [SocketRcvbuff] = 32, [NotSpecified] = 120, [SocketClose] = 40, [TcpOldData] = 3, [Subsystem] = 5, [Unnamed] = 1 });

        DropReasonDeltas reasons = Assert.IsType<DropReasonDeltas>(report.DropReasons);
        Assert.True(reasons.Available);
        // Ties keep slot order: SOCKET_RCVBUFF (6) before TCP_LISTEN_OVERFLOW (9).
        Assert.Equal(["NO_SOCKET 812", "SOCKET_RCVBUFF 32", "TCP_LISTEN_OVERFLOW 32", "SUBSYSTEM 5", "REASON_7 1"], Shown(reasons, reasons.Loss));
        Assert.Equal(["SOCKET_CLOSE 40", "TCP_OLD_DATA 3"], Shown(reasons, reasons.NotLoss));
        Assert.Equal(120UL, reasons.Unspecified);
        Assert.Equal(882UL, reasons.LossTotal);
        Assert.Equal(0UL, report.TotalDrops); // no counter moved: the reasons count the same packets, never added
    }

    [Fact]
    public void Compute_CounterWentDown_CountsItsNewValueAsAReset()
    {
        IntervalReport report = Compute(before: new() { [NoSocket] = 1_000 }, after: new() { [NoSocket] = 7 });

        Assert.Equal(["NO_SOCKET 7"], Shown(report.DropReasons!, report.DropReasons!.Loss));
    }

    [Fact]
    public void Compute_MapUnreadInOneSample_NoReasonThisInterval()
    {
        IntervalReport report = Compute(before: [], after: new() { [NoSocket] = 5 }, currentOk: false);

        Assert.False(report.DropReasons!.Available);
        Assert.True(report.DropReasons.Loss.IsEmpty);
    }

    [Fact]
    public void Console_ReasonsMoved_PrintsLossThenFreedNotLostThenNoReasonAfterTheCategories()
    {
        IntervalReport report = Compute(
            before: [],
            after: new() { [NoSocket] = 812, [ListenOverflow] = 32, [NotSpecified] = 120, [SocketClose] = 40 });
        report.Timestamp = new DateTimeOffset(2026, 2, 3, 11, 23, 55, TimeSpan.Zero);
        report.Iteration = 125;

        using var text = new StringWriter { NewLine = "\n" };
        using (var console = new ConsoleSink(text, color: false, new InterfaceRegistry()))
        {
            console.Write(report);
            Assert.True(console.Complete(TimeSpan.FromSeconds(30)));
        }

        Assert.Equal(
            "[2026-02-03 11:23:55] #0125 | ✓ OK | Drops: 0\n" +
            "  ├─ Drop reasons: NO_SOCKET 812, TCP_LISTEN_OVERFLOW 32\n" +
            "  ├─ Freed, not lost: SOCKET_CLOSE 40\n" +
            "  ├─ No reason given (NOT_SPECIFIED): 120\n",
            text.ToString());
    }

    [Fact]
    public void Console_MoreThanFiveLossReasons_SumsTheRestIntoOneEntry()
    {
        var after = new Dictionary<int, ulong>();
        int[] loss = [NoSocket, 5, SocketRcvbuff, Unnamed, ListenOverflow, Subsystem];
        for (int i = 0; i < loss.Length; i++)
        {
            after[loss[i]] = (ulong)(60 - (10 * i)); // 60, 50, 40, 30, 20, 10
        }

        IntervalReport report = Compute(before: [], after);
        using var text = new StringWriter { NewLine = "\n" };
        using (var console = new ConsoleSink(text, color: false, new InterfaceRegistry()))
        {
            console.Write(report);
            Assert.True(console.Complete(TimeSpan.FromSeconds(30)));
        }

        Assert.Contains("  ├─ Drop reasons: NO_SOCKET 60, SOCKET_FILTER 50, SOCKET_RCVBUFF 40, REASON_7 30, TCP_LISTEN_OVERFLOW 20, 1 more 10\n", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CritRecord_ReasonsMoved_NamesTheTopThreeLossReasonsInAnAttributeAndTheBody()
    {
        IntervalReport report = Compute(
            before: [],
            after: new() { [NoSocket] = 812, [ListenOverflow] = 32, [SocketRcvbuff] = 33, [Subsystem] = 2, [NotSpecified] = 900, [SocketClose] = 700 });
        report.Severity = Severity.Crit; // as a CRIT interval's counters would make it; reasons never decide it
        report.InterfaceLabel = "lo";
        var records = new List<LogRecord>();
        using (ILoggerFactory factory = LoggerFactory.Create(logging => logging.AddOpenTelemetry(options => options.AddInMemoryExporter(records))))
        {
            string root = Path.Join(AppContext.BaseDirectory, "Fixtures", "kernel");
            var crit = new CritEventLogger(factory.CreateLogger("NetDrop"), new TuningAdvice(Path.Join(root, "proc"), Path.Join(root, "sys")), 100, TimeProvider.System);
            crit.Write(report);
        }

        LogRecord record = Assert.Single(records);
        // Loss only, largest first: NOT_SPECIFIED (900) and SOCKET_CLOSE (700) say nothing about why packets were lost.
        Assert.Equal("NO_SOCKET 812, SOCKET_RCVBUFF 33, TCP_LISTEN_OVERFLOW 32", record.Attributes?.FirstOrDefault(attribute => attribute.Key == "netdrop.drop_reasons.top").Value);
        Assert.EndsWith("; drop reasons: NO_SOCKET 812, SOCKET_RCVBUFF 33, TCP_LISTEN_OVERFLOW 32", record.FormattedMessage ?? record.Body, StringComparison.Ordinal);
    }

    private static IntervalReport Compute(Dictionary<int, ulong> before, Dictionary<int, ulong> after, bool currentOk = true)
    {
        var names = new DropReasonNames(s_names, "test");
        var engine = new DeltaEngine(TestPlans.Default, new InterfaceRegistry(), new SeverityPolicy());
        var report = new IntervalReport(DropCategories.Table);
        engine.Compute(SampleOf(names, before, ok: true), SampleOf(names, after, currentOk), report, TimeSpan.FromSeconds(5));
        return report;
    }

    private static Sample SampleOf(DropReasonNames names, Dictionary<int, ulong> counts, bool ok)
    {
        var sample = new Sample(TestPlans.Default);
        Span<ulong> buffer = sample.DropReasonBuffer(names, names.Count + 1);
        foreach ((int slot, ulong count) in counts)
        {
            buffer[slot] = count;
        }

        sample.SetSourceOk(SourceId.DropReasons, ok);
        return sample;
    }

    private static string[] Shown(DropReasonDeltas reasons, ReadOnlySpan<int> slots)
    {
        var shown = new List<string>();
        foreach (int slot in slots)
        {
            shown.Add($"{reasons.NameOf(slot)} {reasons.DeltaOf(slot)}");
        }

        return [.. shown];
    }
}
