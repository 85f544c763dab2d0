using NetDrop.Model;
using NetDrop.Sources;
using NetDrop.Deltas;

namespace NetDrop.Tests.Sampling;

/// <summary>
/// A segment dropped because pruning failed is counted by the kernel twice: tcp_prune_queue() increments RcvPruned
/// (our tcp_pruned) and the caller of tcp_try_rmem_schedule() increments TCPRcvQDrop (tcp_rcvq) or TCPOFODrop (tcp_ofo)
/// and frees it. The columns keep both counts; the total and severity must count the segment once.
/// </summary>
public class TcpPruneTotalTests
{
    // Kernel counter deltas written out here, not derived from the engine: what tcp_input.c increments per case.
    [Fact]
    public void Compute_InOrderSegmentsDroppedAfterFailedPrune_CountOnceInTotal()
    {
        // 20 in-order segments, each: tcp_prune_queue() -> RcvPruned +1, tcp_data_queue() -> TCPRcvQDrop +1, freed.
        IntervalReport report = Compute(
            new SampleBuilder().Host(HostCounter.TcpRcvPruned, 7).Host(HostCounter.TcpRcvQDrop, 7).Host(HostCounter.TcpPruneCalled, 9),
            new SampleBuilder().Host(HostCounter.TcpRcvPruned, 27).Host(HostCounter.TcpRcvQDrop, 27).Host(HostCounter.TcpPruneCalled, 29),
            threshold: 30);

        Assert.Equal(20UL, report[DropCategories.TcpPruned]);
        Assert.Equal(20UL, report[DropCategories.TcpRcvQueue]);
        Assert.Equal(20UL, report.TotalDrops);
        Assert.Equal(Severity.Warn, report.Severity); // 40 would have crossed the threshold of 30
    }

    [Fact]
    public void Compute_OutOfOrderSegmentsDroppedAfterFailedPrune_CountOnceButKeepQueuedSegmentsPruned()
    {
        // 5 out-of-order segments dropped on arrival: RcvPruned +5 and TCPOFODrop +5 for the same 5 segments.
        // Before giving up, tcp_prune_ofo_queue() discarded already-queued segments in 3 passes: OfoPruned +3,
        // segments no other counter holds.
        IntervalReport report = Compute(
            new SampleBuilder(),
            new SampleBuilder().Host(HostCounter.TcpRcvPruned, 5).Host(HostCounter.TcpOfoPruned, 3).Host(HostCounter.TcpOfoDrop, 5));

        Assert.Equal(8UL, report[DropCategories.TcpPruned]);
        Assert.Equal(5UL, report[DropCategories.TcpOutOfOrder]);
        Assert.Equal(8UL, report.TotalDrops);
    }

    [Fact]
    public void Compute_FailedPruneThenForcedIntoAnEmptyQueue_IsNoDrop()
    {
        // tcp_data_queue() with an empty receive queue: RcvPruned +2 but sk_forced_mem_schedule() queues the segment.
        IntervalReport report = Compute(new SampleBuilder(), new SampleBuilder().Host(HostCounter.TcpRcvPruned, 2));

        Assert.Equal(2UL, report[DropCategories.TcpPruned]);
        Assert.Equal(0UL, report.TotalDrops);
        Assert.Equal(Severity.Ok, report.Severity);
    }

    [Fact]
    public void Compute_TcpPrunedUnreadable_SubtractsNothing()
    {
        // OfoPruned missing: tcp_pruned is unavailable (reported as 0), so none of it may come off the total either.
        IntervalReport report = Compute(
            new SampleBuilder().MissingHost(HostCounter.TcpOfoPruned),
            new SampleBuilder().MissingHost(HostCounter.TcpOfoPruned).Host(HostCounter.TcpRcvPruned, 4).Host(HostCounter.TcpRcvQDrop, 4));

        Assert.True(report.IsUnavailable(DropCategories.TcpPruned));
        Assert.Equal(4UL, report[DropCategories.TcpRcvQueue]);
        Assert.Equal(4UL, report.TotalDrops);
    }

    private static IntervalReport Compute(SampleBuilder previous, SampleBuilder current, long threshold = 100)
    {
        var engine = new DeltaEngine(TestPlans.Default, new InterfaceRegistry(), new SeverityPolicy(threshold));
        var report = new IntervalReport(DropCategories.Table);
        engine.Compute(previous.Build(), current.Build(), report, TimeSpan.FromSeconds(5));
        return report;
    }
}
