using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using NetDrop.Configuration;
using NetDrop.Deltas;
using NetDrop.Model;
using NetDrop.Sinks.Csv;
using NetDrop.Sources;
using NetDrop.Tests.Sampling;
using NetDrop.Tests.TestSupport;

namespace NetDrop.Tests.Namespaces;

/// <summary>
/// The pod side of a veth, counted from the pod's own <c>/proc/PID/net/dev</c>: a "pod" (a sandbox namespace with a
/// task in it) joined by a veth to a "node" namespace the test made, drops induced on the pod's <c>eth0</c> in both
/// directions, one real interval through the real sampler and delta engine. Ground truth, per direction: the count the
/// test witnessed (each refused send comes back as ENOBUFS) == the pod's kernel counter delta (rtnetlink's
/// <c>rtnl_link_stats64</c>, read with <c>ip -s -j link</c>, and the pod's net/dev column) == NetDrop's pod-interface
/// value == the detail CSV row. Category ← counter, as the test writes it:
/// <list type="bullet">
/// <item><c>nic_rx</c> ← <c>rx_dropped</c> (net/dev rx "drop" = rx_dropped + rx_missed_errors; a veth never sets the latter):
/// 2000-byte frames sent from the node side (MTU 9000) into the pod's 1500-MTU end: <c>____dev_forward_skb()</c>
/// counts each on the pod side's <c>rx_dropped</c>, and <c>veth_xmit()</c> on the node side's <c>tx_dropped</c>.</item>
/// <item><c>nic_tx</c> ← <c>tx_dropped</c>: the node side set down (its peer's carrier goes off, <c>veth_close()</c>),
/// frames sent from the pod with PACKET_QDISC_BYPASS: <c>__dev_direct_xmit()</c> drops each on the pod side's
/// <c>tx_dropped</c>.</item>
/// </list>
/// The node namespace has no task, so the scanner never reads it: only the pod side is counted.
/// </summary>
public sealed class PodInterfaceDropTests
{
    private const string PodSide = "eth0";
    private const string NodeSide = "vpod0";

    [Fact]
    [Trait("Category", "RequiresRoot")]
    public void Interval_DropsOnThePodSideOfAVeth_PodInterfaceRowsEqualTheWitnessedAndTheKernelsCounts()
    {
        using var pod = new NamespaceSandbox();
        using var quiet = new NamespaceSandbox();
        using var node = NetworkNamespace.Create("ndpoddev");
        Join(node, pod, NodeSide);
        Join(node, quiet, "vquiet0");

        var time = new FakeTimeProvider();
        var registry = new InterfaceRegistry();
        CounterPlan plan = TestPlans.Default;
        using Sampler sampler = SourceFactory.CreateSampler(
            new MonitorOptions { Interfaces = ["lo"], EthtoolEnabled = false, NamespaceInterval = TimeSpan.FromSeconds(5) }, plan, new InterfaceSelector(["lo"], []), registry, new SourceHealth(_ => { }), time);
        var engine = new DeltaEngine(plan, registry, new SeverityPolicy(100, new Dictionary<string, long>(), DropCategories.Table));
        var report = new IntervalReport(DropCategories.Table, registry) { InterfaceLabel = "lo", Timestamp = DateTimeOffset.UnixEpoch, Iteration = 1 };
        Sample previous = new(plan), current = new(plan);

        sampler.Take(previous);
        (long Rx, long Tx) kernelBefore = RtnlDropped(pod, PodSide);
        (long Rx, long Tx) devBefore = NetDevDropColumns(pod, PodSide);

        int refusedIntoPod = DropInducers.SendOversizedFrames(node, NodeSide, frames: 41);
        node.Ip("link", "set", NodeSide, "down");
        int refusedFromPod = DropInducers.SendFramesBypassingQdisc(pod.Namespace, PodSide, frames: 23);
        node.Ip("link", "set", NodeSide, "up");

        (long Rx, long Tx) kernelAfter = RtnlDropped(pod, PodSide);
        (long Rx, long Tx) devAfter = NetDevDropColumns(pod, PodSide);
        time.Advance(TimeSpan.FromSeconds(5));
        sampler.Take(current);
        engine.Compute(previous, current, report, TimeSpan.FromSeconds(5));

        Assert.Equal(41, refusedIntoPod);
        Assert.Equal(23, refusedFromPod);
        Assert.Equal(refusedIntoPod, kernelAfter.Rx - kernelBefore.Rx);
        Assert.Equal(refusedFromPod, kernelAfter.Tx - kernelBefore.Tx);
        Assert.Equal(refusedIntoPod, devAfter.Rx - devBefore.Rx);
        Assert.Equal(refusedFromPod, devAfter.Tx - devBefore.Tx);

        PodInterfaceDelta eth0 = Assert.Single(report.PodInterfaces, delta => delta.Owner.Pid == pod.Pid);
        Assert.Equal(PodSide, eth0.Name);
        Assert.Equal(pod.Inode(), eth0.NamespaceId);
        Assert.Equal((ulong)refusedIntoPod, report.ValueOf(eth0, DropCategories.NicRx));
        Assert.Equal((ulong)refusedFromPod, report.ValueOf(eth0, DropCategories.NicTx));
        Assert.DoesNotContain(report.PodInterfaces, delta => delta.Owner.Pid == quiet.Pid);

        // The node row holds the pod side: at least our drops (other namespaces on this machine may drop too).
        Assert.True(report[DropCategories.NicRx] >= (ulong)refusedIntoPod);
        Assert.True(report[DropCategories.NicTx] >= (ulong)refusedFromPod);

        string detail = System.Text.Encoding.UTF8.GetString(new DetailCsvFormatter().Format(report));
        string key = string.Create(CultureInfo.InvariantCulture, $"sleep/{pod.Pid}/{PodSide}");
        string[] ours = [.. detail.Split('\n').Where(line => line.Contains("," + key + ",", StringComparison.Ordinal))];
        Assert.Equal(
            [
                $"1970-01-01 00:00:00,1,namespace,{key},nic_rx,{refusedIntoPod}",
                $"1970-01-01 00:00:00,1,namespace,{key},nic_tx,{refusedFromPod}",
            ],
            ours.Select(line => line[line.IndexOf(',', StringComparison.Ordinal)..]).Select(line => "1970-01-01 00:00:00" + line));
        Assert.DoesNotContain(string.Create(CultureInfo.InvariantCulture, $"sleep/{quiet.Pid}/"), detail, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "RequiresRoot")]
    public void Interval_PodDiesAfterDropping_ItsLastDropsAreCountedThroughTheHeldFiles()
    {
        using var pod = new NamespaceSandbox();
        using var node = NetworkNamespace.Create("ndpoddev");
        Join(node, pod, NodeSide);

        var time = new FakeTimeProvider();
        var registry = new InterfaceRegistry();
        CounterPlan plan = TestPlans.Default;
        using Sampler sampler = SourceFactory.CreateSampler(
            new MonitorOptions { Interfaces = ["lo"], EthtoolEnabled = false, NamespaceInterval = TimeSpan.FromSeconds(5) }, plan, new InterfaceSelector(["lo"], []), registry, new SourceHealth(_ => { }), time);
        var engine = new DeltaEngine(plan, registry, new SeverityPolicy(100, new Dictionary<string, long>(), DropCategories.Table));
        var report = new IntervalReport(DropCategories.Table, registry) { InterfaceLabel = "lo", Timestamp = DateTimeOffset.UnixEpoch, Iteration = 1 };
        Sample previous = new(plan), current = new(plan);
        int pid = pod.Pid;
        ulong inode = pod.Inode();

        sampler.Take(previous);
        long kernelBefore = RtnlDropped(pod, PodSide).Rx;
        int refused = DropInducers.SendOversizedFrames(node, NodeSide, frames: 29);
        long kernelAfter = RtnlDropped(pod, PodSide).Rx;
        pod.Kill(); // its last task gone: only the agent's open files hold the namespace (and so its eth0) now
        time.Advance(TimeSpan.FromSeconds(5));
        sampler.Take(current);
        engine.Compute(previous, current, report, TimeSpan.FromSeconds(5));

        Assert.Equal(29, refused);
        Assert.Equal(refused, kernelAfter - kernelBefore);
        NamespaceReading last = Assert.Single(current.Namespaces.ToArray(), reading => reading.Id == inode);
        Assert.True(last.IsLastRead);
        PodInterfaceDelta eth0 = Assert.Single(report.PodInterfaces, delta => delta.NamespaceId == inode);
        Assert.Equal(pid, eth0.Owner.Pid);
        Assert.Equal((ulong)refused, report.ValueOf(eth0, DropCategories.NicRx));
    }

    [Fact]
    [Trait("Category", "RequiresRoot")]
    public void Interval_InterfaceAddedToAKnownPodAfterItsDrops_IsABaselineNotALifetime()
    {
        // The pod's namespace is known (read at the first sample) but its eth0 is created, and drops, only afterwards:
        // the interface's first reading is a baseline, as a node interface's is, so its drops so far are not an
        // interval's. (A moved-in interface brings its lifetime counters the same way: dev_change_net_namespace.)
        using var pod = new NamespaceSandbox();
        using var node = NetworkNamespace.Create("ndpoddev");
        var time = new FakeTimeProvider();
        var registry = new InterfaceRegistry();
        CounterPlan plan = TestPlans.Default;
        using Sampler sampler = SourceFactory.CreateSampler(
            new MonitorOptions { Interfaces = ["lo"], EthtoolEnabled = false, NamespaceInterval = TimeSpan.FromSeconds(5) }, plan, new InterfaceSelector(["lo"], []), registry, new SourceHealth(_ => { }), time);
        var engine = new DeltaEngine(plan, registry, new SeverityPolicy(100, new Dictionary<string, long>(), DropCategories.Table));
        var report = new IntervalReport(DropCategories.Table, registry) { InterfaceLabel = "lo", Timestamp = DateTimeOffset.UnixEpoch, Iteration = 1 };
        Sample previous = new(plan), current = new(plan);
        ulong inode = pod.Inode();

        sampler.Take(previous);
        Join(node, pod, NodeSide);
        int refused = DropInducers.SendOversizedFrames(node, NodeSide, frames: 17);
        time.Advance(TimeSpan.FromSeconds(5));
        sampler.Take(current);
        engine.Compute(previous, current, report, TimeSpan.FromSeconds(5));

        Assert.Equal(17, refused);
        Assert.Equal(refused, RtnlDropped(pod, PodSide).Rx); // a new device: its counter is all it ever dropped
        NamespaceReading reading = Assert.Single(current.Namespaces.ToArray(), candidate => candidate.Id == inode);
        Assert.True(reading.IndexOfInterface(PodSide) >= 0); // read, and so counted from here on
        Assert.DoesNotContain(report.PodInterfaces, delta => delta.NamespaceId == inode);
    }

    // A veth with the pod's end named eth0 (as a CNI names it) and the node's end in the node namespace, both up, IPv6
    // off in the pod so no router solicitation or DAD frame crosses the link. The node end's MTU is 9000 so it can send
    // frames the pod end (1500) refuses.
    private static void Join(NetworkNamespace node, NamespaceSandbox pod, string nodeSide)
    {
        pod.Namespace.Ip("link", "add", PodSide, "type", "veth", "peer", "name", nodeSide, "netns", node.Name);
        pod.Namespace.WriteSysctl("net/ipv6/conf/all/disable_ipv6", "1");
        pod.Namespace.WriteSysctl("net/ipv6/conf/default/disable_ipv6", "1");
        node.Ip("link", "set", nodeSide, "mtu", "9000");
        node.Ip("link", "set", nodeSide, "up");
        pod.Namespace.Ip("link", "set", PodSide, "up");
    }

    // The kernel's own numbers, through rtnetlink (not the file under test): rtnl_link_stats64 rx_dropped / tx_dropped.
    private static (long Rx, long Tx) RtnlDropped(NamespaceSandbox pod, string name)
    {
        using var document = JsonDocument.Parse(pod.Namespace.Ip("-s", "-j", "link", "show", name));
        JsonElement stats = document.RootElement[0].GetProperty("stats64");
        return (stats.GetProperty("rx").GetProperty("dropped").GetInt64(), stats.GetProperty("tx").GetProperty("dropped").GetInt64());
    }

    // The pod's /proc/PID/net/dev as the file prints it, split by the test: rx "drop" is the 4th number, tx "drop" the 12th.
    private static (long Rx, long Tx) NetDevDropColumns(NamespaceSandbox pod, string name)
    {
        string line = File.ReadAllLines($"/proc/{pod.Pid}/net/dev").Single(text => text.TrimStart().StartsWith(name + ":", StringComparison.Ordinal));
        string[] numbers = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(numbers[3], CultureInfo.InvariantCulture), long.Parse(numbers[11], CultureInfo.InvariantCulture));
    }
}
