using System.Diagnostics.Metrics;
using NetDrop.Sinks.Telemetry;

namespace NetDrop.Tests.Telemetry;

/// <summary>
/// The totals behind the observable drop counters: adds accumulate, and a retired namespace's series is reported at
/// its final total to every reader once more, then no longer; the node's own series never end.
/// </summary>
public sealed class SeriesTotalsTests
{
    private static readonly SeriesKey s_node = new(3, null, -1, 0);
    private static readonly SeriesKey s_pod = new(3, null, -1, 4026532001);

    [Fact]
    public void Observe_RetiredWithTwoReaders_ReportedAtItsFinalTotalTwiceThenGone()
    {
        var totals = new SeriesTotals(readers: 2);
        totals.Create(s_node, 5, [new("netdrop.category", "udp_rcvbuf")]);
        Assert.False(totals.TryAdd(s_pod, 7)); // not created yet: nothing is added to a series that does not exist
        totals.Create(s_pod, 7, [new("netdrop.category", "udp_rcvbuf"), new("k8s.pod.uid", "5f1c")]);
        Assert.True(totals.TryAdd(s_pod, 3));
        Assert.True(totals.TryAdd(s_node, 1));

        totals.RetireNamespace(4026532001);
        Assert.Equal([("-", 6L), ("5f1c", 10L)], Values(totals.Observe())); // OTLP reader
        Assert.Equal([("-", 6L), ("5f1c", 10L)], Values(totals.Observe())); // Prometheus scrape
        Assert.Equal([("-", 6L)], Values(totals.Observe()));
        Assert.Equal(1, totals.Count);
    }

    [Fact]
    public void Observe_OneReader_RetiredSeriesOnceMore()
    {
        var totals = new SeriesTotals(readers: 1);
        totals.Create(s_pod, 2, [new("k8s.pod.uid", "5f1c")]);
        totals.RetireNamespace(999); // another namespace: nothing ends
        Assert.Equal([("5f1c", 2L)], Values(totals.Observe()));
        totals.RetireNamespace(4026532001);
        Assert.Equal([("5f1c", 2L)], Values(totals.Observe()));
        Assert.Empty(totals.Observe());
    }

    private static (string Pod, long Value)[] Values(IEnumerable<Measurement<long>> measurements) =>
        [.. measurements
            .Select(measurement => ((measurement.Tags.ToArray().FirstOrDefault(tag => tag.Key == "k8s.pod.uid").Value as string) ?? "-", measurement.Value))
            .OrderBy(pair => pair.Item1, StringComparer.Ordinal)];
}
