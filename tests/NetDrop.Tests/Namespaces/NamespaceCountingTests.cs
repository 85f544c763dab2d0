using Microsoft.Extensions.Time.Testing;
using NetDrop.Configuration;
using NetDrop.Deltas;
using NetDrop.Model;
using NetDrop.Sources;
using NetDrop.Tests.Sampling;
using NetDrop.Tests.TestSupport;

namespace NetDrop.Tests.Namespaces;

/// <summary>
/// The agent's sampler and delta engine over this machine's real <c>/proc</c> with "pods" of their own: drops induced
/// inside one pod's namespace reach the interval as that namespace's detail and in the category value (the node's
/// total), a pod with nothing induced shows nothing, and a pod whose last task exits is read one last time (its last
/// drops counted once) and then let go. Every sample reads the namespaces here (<c>namespace_interval</c> = the
/// interval); <see cref="NamespaceCadenceTests"/> reads them every third. Category → counters, written here: <c>udp_rcvbuf</c> = Udp RcvbufErrors
/// (<c>net/snmp</c>) + Udp6RcvbufErrors (<c>net/snmp6</c>) of that namespace.
/// </summary>
/// <remarks>
/// The node here is the test's own (the host's) namespace, whose drops the test does not control; only the pods'
/// values are compared exactly. The node row with a quiet node is proved by the end-to-end pod test.
/// </remarks>
[Collection(nameof(NamespaceCountingTests))]
public sealed class NamespaceCountingTests
{
    [Fact]
    [Trait("Category", "RequiresRoot")]
    public void Intervals_UdpFloodInOnePodThenPodKilled_EachDropCountedOnceUnderItsNamespace()
    {
        using var dropping = new NamespaceSandbox();
        using var quiet = new NamespaceSandbox();
        var time = new FakeTimeProvider();
        var health = new SourceHealth(_ => { });
        var registry = new InterfaceRegistry();
        CounterPlan plan = TestPlans.Default;
        using Sampler sampler = SourceFactory.CreateSampler(
            new MonitorOptions { Interfaces = ["lo"], EthtoolEnabled = false, NamespaceInterval = TimeSpan.FromSeconds(5) }, plan, new InterfaceSelector(["lo"], []), registry, health, time);
        var engine = new DeltaEngine(plan, registry, new SeverityPolicy(100, new Dictionary<string, long>(), DropCategories.Table));
        var report = new IntervalReport(DropCategories.Table);
        Sample previous = new(plan), current = new(plan);
        ulong droppingId = dropping.Inode(), quietId = quiet.Inode();

        sampler.Take(previous); // both pods first seen: a baseline
        long kernelBefore = dropping.UdpRcvbufErrors();
        DropWitness flood = DropInducers.FloodUnreadUdpSockets(dropping.Namespace, datagramsPerFamily: 500);
        long kernelAfter = dropping.UdpRcvbufErrors();
        Next(sampler, engine, ref previous, ref current, report, time);

        NamespaceDelta pod = Assert.Single(report.Namespaces, delta => delta.NamespaceId == droppingId);
        Assert.Equal(kernelAfter - kernelBefore, flood["udp_rcvbuf"]);
        Assert.Equal((ulong)flood["udp_rcvbuf"], IntervalReport.ValueOf(pod, DropCategories.UdpRcvbuf));
        Assert.Equal((ulong)flood["udp_rcvbuf"], pod.Drops); // nothing else was induced in it
        Assert.Equal("sleep", pod.Owner.Comm);
        Assert.Equal(dropping.Pid, pod.Owner.Pid);
        Assert.DoesNotContain(report.Namespaces, delta => delta.NamespaceId == quietId);
        Assert.True(report[DropCategories.UdpRcvbuf] >= (ulong)flood["udp_rcvbuf"], "the pod's drops are part of the node's value");
        Assert.Equal(report[DropCategories.UdpRcvbuf] - (ulong)flood["udp_rcvbuf"], report.NodeOwnValueOf(DropCategories.UdpRcvbuf) + OthersOf(report, droppingId));

        // The pod's last drops, then its only task exits: the next sample reads it one last time, then lets it go.
        kernelBefore = dropping.UdpRcvbufErrors();
        DropWitness last = DropInducers.FloodUnreadUdpSockets(dropping.Namespace, datagramsPerFamily: 300);
        kernelAfter = dropping.UdpRcvbufErrors();
        dropping.Kill();
        Next(sampler, engine, ref previous, ref current, report, time);

        NamespaceDelta final = Assert.Single(report.Namespaces, delta => delta.NamespaceId == droppingId);
        Assert.Equal(kernelAfter - kernelBefore, last["udp_rcvbuf"]);
        Assert.Equal((ulong)last["udp_rcvbuf"], IntervalReport.ValueOf(final, DropCategories.UdpRcvbuf));
        Assert.Contains(droppingId, report.EndedNamespaces);
        NamespaceReading lastRead = Assert.Single(previous.Namespaces.ToArray(), reading => reading.Id == droppingId);
        Assert.True(lastRead.Namespace.Files!.IsReleased, "the dead pod's descriptors are still open");

        Next(sampler, engine, ref previous, ref current, report, time);
        Assert.DoesNotContain(report.Namespaces, delta => delta.NamespaceId == droppingId);
        Assert.DoesNotContain(previous.Namespaces.ToArray(), reading => reading.Id == droppingId);
    }

    private static void Next(Sampler sampler, DeltaEngine engine, ref Sample previous, ref Sample current, IntervalReport report, FakeTimeProvider time)
    {
        time.Advance(TimeSpan.FromSeconds(5));
        sampler.Take(current);
        engine.Compute(previous, current, report, TimeSpan.FromSeconds(5));
        (previous, current) = (current, previous);
    }

    // Other namespaces of this machine (other test runs) may drop meanwhile: their share, to leave the pod's alone.
    private static ulong OthersOf(IntervalReport report, ulong except) =>
        report.Namespaces.Where(delta => delta.NamespaceId != except).Aggregate(0UL, (sum, delta) => sum + IntervalReport.ValueOf(delta, DropCategories.UdpRcvbuf));
}
