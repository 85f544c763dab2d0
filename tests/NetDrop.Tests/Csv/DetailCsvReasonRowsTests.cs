using NetDrop.Deltas;
using NetDrop.Kernel.Bpf;
using NetDrop.Model;
using NetDrop.Sinks.Csv;
using NetDrop.Sources;
using NetDrop.Tests.Sampling;

namespace NetDrop.Tests.Csv;

/// <summary>
/// The detail CSV's <c>reason</c> rows (<c>--drop-reasons</c>) as bytes: two samples of the reason map whose counts
/// the test writes, through the real delta engine and formatter; the expected text is written out by hand.
/// </summary>
public sealed class DetailCsvReasonRowsTests
{
    // A slice of 6.18's enum skb_drop_reason (as DropReasonDeltasTests): slot = value, the last slot past the enum.
    private static readonly string?[] s_names =
        ["SKB_NOT_DROPPED_YET", "SKB_CONSUMED", "NOT_SPECIFIED", "NO_SOCKET", "SOCKET_CLOSE", "SOCKET_FILTER", "SOCKET_RCVBUFF",
         null, "TCP_OLD_DATA", "TCP_LISTEN_OVERFLOW"];

    private const int NotSpecified = 2, NoSocket = 3, SocketClose = 4, SocketRcvbuff = 6, TcpOldData = 8, ListenOverflow = 9;
    private const int Subsystem = 10;

    [Fact]
    public void Format_ReasonsMoved_LossLargestFirstThenNotSpecifiedThenNotLossEachWithItsKind()
    {
        IntervalReport report = Compute(
            before: new() { [NoSocket] = 1_000 },
            after: new() { [NoSocket] = 1_812, [ListenOverflow] = 32, [SocketRcvbuff] = 32, [NotSpecified] = 120, [SocketClose] = 40, [TcpOldData] = 3, [Subsystem] = 5 });

        string text = System.Text.Encoding.UTF8.GetString(new DetailCsvFormatter().Format(report));

        Assert.Equal(
            """
            2026-02-03 11:23:55,125,reason,NO_SOCKET,loss,812
            2026-02-03 11:23:55,125,reason,SOCKET_RCVBUFF,loss,32
            2026-02-03 11:23:55,125,reason,TCP_LISTEN_OVERFLOW,loss,32
            2026-02-03 11:23:55,125,reason,SUBSYSTEM,loss,5
            2026-02-03 11:23:55,125,reason,NOT_SPECIFIED,unspecified,120
            2026-02-03 11:23:55,125,reason,SOCKET_CLOSE,not_loss,40
            2026-02-03 11:23:55,125,reason,TCP_OLD_DATA,not_loss,3

            """.Replace("\r", "", StringComparison.Ordinal),
            text);
        Assert.Equal(0UL, report.TotalDrops); // no counter moved: the rows are beside the categories, never in them
    }

    [Fact]
    public void Format_ReasonsAfterTheCategoryRows_OfTheSameInterval()
    {
        var registry = new InterfaceRegistry();
        IntervalReport report = Compute(before: [], after: new() { [NoSocket] = 7 }, registry);
        var delta = new InterfaceDelta { Series = registry.GetOrAdd("lo"), MasterSeries = -1 };
        delta.Values[report.Table.InterfaceSlotOf(DropCategories.NicRx)] = 2;
        report.Interfaces.Add(delta);
        report.UnavailableMask = 0; // the samples carried the reason map only: the engine marked the link categories unread

        string text = System.Text.Encoding.UTF8.GetString(new DetailCsvFormatter().Format(report));

        Assert.Equal("2026-02-03 11:23:55,125,interface,lo,nic_rx,2\n2026-02-03 11:23:55,125,reason,NO_SOCKET,loss,7\n", text);
    }

    [Fact]
    public void Format_MapUnreadOrNothingMoved_NoReasonRow()
    {
        IntervalReport unread = Compute(before: [], after: new() { [NoSocket] = 5 }, currentOk: false);
        IntervalReport quiet = Compute(before: new() { [NoSocket] = 5 }, after: new() { [NoSocket] = 5 });

        Assert.True(new DetailCsvFormatter().Format(unread).IsEmpty);
        Assert.True(new DetailCsvFormatter().Format(quiet).IsEmpty);
    }

    [Fact]
    public void KindCells_AreTheMetricsDropReasonKindValues()
    {
        // One vocabulary: the detail CSV's category cell of a reason row is netdrop.drop_reason_kind's value.
        Assert.Equal("loss", DropReasonKinds.AttributeValue(DropReasonKind.Loss));
        Assert.Equal("unspecified", DropReasonKinds.AttributeValue(DropReasonKind.Unspecified));
        Assert.Equal("not_loss", DropReasonKinds.AttributeValue(DropReasonKind.NotLoss));
        Assert.Equal(("loss", "unspecified", "not_loss"), (DetailCsvSchema.ReasonLoss, DetailCsvSchema.ReasonUnspecified, DetailCsvSchema.ReasonNotLoss));
    }

    [Fact]
    public void Format_ReasonRowsOnceWarm_AllocatesNothing()
    {
        IntervalReport report = Compute(
            before: [],
            after: new() { [NoSocket] = 812, [ListenOverflow] = 32, [NotSpecified] = 120, [SocketClose] = 40, [Subsystem] = 5 });
        var formatter = new DetailCsvFormatter();
        byte[] destination = new byte[16];
        for (int i = 0; i < 100; i++)
        {
            Assert.NotEqual(0, formatter.Format(report, ref destination)); // warm: the buffer grew to fit, the JIT ran
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        int length = 0;
        for (int i = 0; i < 1_000; i++)
        {
            length += formatter.Format(report, ref destination);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(5, formatter.Rows);
        Assert.True(length > 0);
        Assert.True(allocated == 0, $"{allocated} bytes allocated over 1,000 formatted intervals with reason rows");
    }

    private static IntervalReport Compute(Dictionary<int, ulong> before, Dictionary<int, ulong> after, InterfaceRegistry? registry = null, bool currentOk = true)
    {
        var names = new DropReasonNames(s_names, "test");
        registry ??= new InterfaceRegistry();
        var engine = new DeltaEngine(TestPlans.Default, registry, new SeverityPolicy());
        var report = new IntervalReport(DropCategories.Table, registry);
        engine.Compute(SampleOf(names, before, ok: true), SampleOf(names, after, currentOk), report, TimeSpan.FromSeconds(5));
        report.Timestamp = new DateTimeOffset(2026, 2, 3, 11, 23, 55, TimeSpan.Zero);
        report.Iteration = 125;
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
}
