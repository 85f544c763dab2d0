using System.Globalization;
using System.Text.Json;
using NetDrop.Tests.TestSupport;
using Xunit.Abstractions;

namespace NetDrop.Tests.GroundTruth;

/// <summary>
/// Devices the plain veth ground truth does not build: a bridge with a port, an interface renamed out and back, one
/// moved in from another namespace with drops of its own, and a root qdisc deleted and re-added at the same handle.
/// Each runs the real monitor in a namespace of its own and compares its CSV sums with counts the test witnessed and
/// the kernel's own counters (read with cat and tc, not with NetDrop). Needs root; fails, never skips, without it.
/// </summary>
[Trait("Category", "Namespace")]
public sealed class DeviceTopologyTests(ITestOutputHelper output) : IDisposable
{
    private const string Interval = "0.2";
    private const int OversizedFrames = 50;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    private readonly string _directory = Directory.CreateTempSubdirectory("netdrop-topology-").FullName;
    private readonly List<NetworkNamespace> _namespaces = [];

    /// <summary>
    /// docker0, cni0 and virbr0 are bridges: a bridge does not fold its ports' counters into its own (only a bond's
    /// bond_get_stats does), so a port's drops must be counted on the port, whichever way the port was selected.
    /// </summary>
    [Theory]
    [InlineData("every interface but lo, rtnetlink")]
    [InlineData("every interface but lo, sysfs")]
    [InlineData("globs br* and tp-*")]
    public void BridgePort_Monitored_KeepsItsOwnRxDropsAndQdiscDrops(string selection)
    {
        (NetworkNamespace node, NetworkNamespace peer) = BuildBridge();
        string[] arguments = selection switch
        {
            "every interface but lo, rtnetlink" => [],
            "every interface but lo, sysfs" => ["--sysfs-links"],
            _ => ["--interface", "br*", "--interface", "tp-*"],
        };

        ulong portRxBefore = Statistic(node, "tp-port", "rx_dropped"), bridgeRxBefore = Statistic(node, "br0", "rx_dropped");
        ulong qdiscBefore = RootQdiscDrops(node, "tp-port");
        Dictionary<string, long> sums = RunMonitor(node, arguments, () =>
        {
            int witnessed = DropInducers.SendOversizedFrames(peer, "tp-peer", OversizedFrames);
            Assert.Equal(OversizedFrames, witnessed);
            _ = RecvErrUdpFlood.Send(node, "10.201.0.9", 300); // through br0 into the port's tbf
        });

        ulong portRx = Statistic(node, "tp-port", "rx_dropped") - portRxBefore;
        ulong bridgeRx = Statistic(node, "br0", "rx_dropped") - bridgeRxBefore;
        ulong qdisc = RootQdiscDrops(node, "tp-port") - qdiscBefore;
        output.WriteLine($"{selection}: witnessed {OversizedFrames} oversized frames; kernel tp-port rx_dropped +{portRx}, br0 +{bridgeRx}, tp-port tbf +{qdisc}; NetDrop nic_rx {sums["nic_rx"]}, qdisc {sums["qdisc"]}");

        Assert.Equal((ulong)OversizedFrames, portRx);
        Assert.True(qdisc > 0, "the tbf on the port dropped nothing: the flood did not reach it");
        Assert.Equal((long)(portRx + bridgeRx), sums["nic_rx"]);
        Assert.Equal((long)qdisc, sums["qdisc"]);
    }

    /// <summary>Monitoring the bridge alone reads the bridge's own counters, not its ports' (they are not slaves).</summary>
    [Fact]
    public void Bridge_MonitoredAlone_DoesNotPullInItsPortsDrops()
    {
        (NetworkNamespace node, NetworkNamespace peer) = BuildBridge();
        ulong bridgeRxBefore = Statistic(node, "br0", "rx_dropped"), qdiscBefore = RootQdiscDrops(node, "tp-port");
        Dictionary<string, long> sums = RunMonitor(node, ["--interface", "br0"], () =>
        {
            Assert.Equal(OversizedFrames, DropInducers.SendOversizedFrames(peer, "tp-peer", OversizedFrames));
            _ = RecvErrUdpFlood.Send(node, "10.201.0.9", 300);
        });

        Assert.True(RootQdiscDrops(node, "tp-port") - qdiscBefore > 0, "the port's tbf dropped nothing");
        Assert.Equal((long)(Statistic(node, "br0", "rx_dropped") - bridgeRxBefore), sums["nic_rx"]);
        Assert.Equal(0, sums["qdisc"]); // br0 is noqueue; the port's tbf is the port's
    }

    /// <summary>
    /// A rename keeps the ifindex and the counters: renaming out and back must count each drop once, not the
    /// interface's lifetime again under each new name.
    /// </summary>
    [Fact]
    public void Interface_RenamedOutAndBack_CountsEachDropOnce()
    {
        (NetworkNamespace node, NetworkNamespace peer) = BuildPair("tr-a", "tr-b", "10.202.0");
        ulong before = Statistic(node, "tr-a", "rx_dropped");
        int witnessed = 0;
        Dictionary<string, long> sums = RunMonitor(node, [], monitor =>
        {
            witnessed += DropInducers.SendOversizedFrames(peer, "tr-b", 30);
            WaitForNewRows(monitor, 2);
            Rename(node, "tr-a", "tr-z");
            WaitForNewRows(monitor, 2);
            witnessed += DropInducers.SendOversizedFrames(peer, "tr-b", 20);
            WaitForNewRows(monitor, 2);
            Rename(node, "tr-z", "tr-a");
            WaitForNewRows(monitor, 2);
        });

        ulong kernel = Statistic(node, "tr-a", "rx_dropped") - before;
        output.WriteLine($"rename: witnessed {witnessed}, kernel rx_dropped +{kernel}, NetDrop nic_rx {sums["nic_rx"]}");
        Assert.Equal(50, witnessed);
        Assert.Equal(50UL, kernel);
        Assert.Equal(50, sums["nic_rx"]);
    }

    /// <summary>
    /// An interface moved in from another namespace brings its lifetime counters (dev_change_net_namespace keeps
    /// them): the 40 drops it had elsewhere are not this host's interval, only the 10 after it arrived are.
    /// </summary>
    [Fact]
    public void Interface_MovedInWithDropsOfItsOwn_StartsFromABaseline()
    {
        NetworkNamespace node = NewNamespace();
        (NetworkNamespace away, NetworkNamespace peer) = BuildPair("tm-a", "tm-b", "10.203.0");
        Assert.Equal(40, DropInducers.SendOversizedFrames(peer, "tm-b", 40));
        Assert.Equal(40UL, Statistic(away, "tm-a", "rx_dropped"));

        int witnessed = 0;
        Dictionary<string, long> sums = RunMonitor(node, ["--interface", "tm-*"], monitor =>
        {
            away.Ip("link", "set", "tm-a", "netns", node.Name);
            node.WriteSysctl("net/ipv6/conf/tm-a/disable_ipv6", "1");
            node.Ip("address", "add", "10.203.0.1/24", "dev", "tm-a");
            node.Ip("link", "set", "tm-a", "up");
            WaitForOperState(node, "tm-a");
            monitor.WaitForOutput("tm-a appeared", s_timeout);
            witnessed = DropInducers.SendOversizedFrames(peer, "tm-b", 10);
        });

        output.WriteLine($"move-in: 40 drops before, witnessed {witnessed} after; kernel rx_dropped now {Statistic(node, "tm-a", "rx_dropped")}; NetDrop nic_rx {sums["nic_rx"]}");
        Assert.Equal(10, witnessed);
        Assert.Equal(50UL, Statistic(node, "tm-a", "rx_dropped"));
        Assert.Equal(10, sums["nic_rx"]);
    }

    /// <summary>
    /// <c>tc qdisc del</c> + <c>add</c> at the same handle between two samples: the new htb 1: starts from zero
    /// (qdisc_alloc), so its drops are its own, not its drops minus the old tbf 1:'s lifetime.
    /// </summary>
    [Fact]
    public void RootQdisc_DeletedAndReAddedAtTheSameHandle_CountsTheNewQdiscsDropsWhole()
    {
        (NetworkNamespace node, _) = BuildPair("tq-a", "tq-b", "10.204.0");
        node.Tc("qdisc", "add", "dev", "tq-a", "root", "handle", "1:", "tbf", "rate", "1mbit", "burst", "2kb", "limit", "3000");
        int oldDrops = 0, newDrops = 0;
        Dictionary<string, long> sums = RunMonitor(node, ["--interface", "tq-a"], monitor =>
        {
            oldDrops = RecvErrUdpFlood.Send(node, "10.204.0.9", 150);
            WaitForNewRows(monitor, 1);

            // Within the next interval: the old tbf goes, an htb takes its handle and drops more than the tbf did.
            node.Tc("qdisc", "del", "dev", "tq-a", "root");
            node.Tc("qdisc", "add", "dev", "tq-a", "root", "handle", "1:", "htb", "default", "1");
            node.Tc("class", "add", "dev", "tq-a", "parent", "1:", "classid", "1:1", "htb", "rate", "1mbit", "ceil", "1mbit");
            node.Tc("qdisc", "add", "dev", "tq-a", "parent", "1:1", "handle", "10:", "pfifo", "limit", "5");
            newDrops = RecvErrUdpFlood.Send(node, "10.204.0.9", 600);
        }, "--interval", "3");

        output.WriteLine($"qdisc swap: witnessed tbf {oldDrops} + htb {newDrops}; kernel htb now {RootQdiscDrops(node, "tq-a")}; NetDrop qdisc {sums["qdisc"]}");
        Assert.True(oldDrops > 0 && newDrops > oldDrops, $"tbf {oldDrops}, htb {newDrops}: the htb must drop more for the old bug to show");
        Assert.Equal((ulong)newDrops, RootQdiscDrops(node, "tq-a"));
        Assert.Equal(oldDrops + newDrops, sums["qdisc"]);
    }

    public void Dispose()
    {
        foreach (NetworkNamespace networkNamespace in _namespaces)
        {
            networkNamespace.Dispose();
        }

        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>
    /// <code>
    ///  [node]  br0 10.201.0.1/24 ── tp-port (MTU 1500, root tbf)  ── veth ──  [peer] tp-peer 10.201.0.2/24 (MTU 9000)
    ///          oversized frames from tp-peer are refused by tp-port's MTU (DropInducers.SendOversizedFrames)
    ///          10.201.0.9 → 02:00:00:00:00:01 (nobody's MAC: the bridge floods it to the port, the peer ignores it)
    /// </code>
    /// </summary>
    private (NetworkNamespace Node, NetworkNamespace Peer) BuildBridge()
    {
        NetworkNamespace node = NewNamespace(), peer = NewNamespace();
        node.Ip("link", "add", "br0", "type", "bridge");
        node.Ip("link", "add", "tp-port", "type", "veth", "peer", "name", "tp-peer", "netns", peer.Name);
        node.WriteSysctl("net/ipv6/conf/br0/disable_ipv6", "1");
        node.WriteSysctl("net/ipv6/conf/tp-port/disable_ipv6", "1");
        peer.WriteSysctl("net/ipv6/conf/tp-peer/disable_ipv6", "1");
        node.Ip("link", "set", "tp-port", "master", "br0");
        peer.Ip("link", "set", "tp-peer", "mtu", "9000");
        node.Ip("address", "add", "10.201.0.1/24", "dev", "br0");
        peer.Ip("address", "add", "10.201.0.2/24", "dev", "tp-peer");
        node.Tc("qdisc", "add", "dev", "tp-port", "root", "handle", "1:", "tbf", "rate", "1mbit", "burst", "2kb", "limit", "3000");
        node.Ip("link", "set", "br0", "up");
        node.Ip("link", "set", "tp-port", "up");
        peer.Ip("link", "set", "tp-peer", "up");
        node.Ip("neighbour", "replace", "10.201.0.9", "lladdr", "02:00:00:00:00:01", "dev", "br0", "nud", "permanent");
        WaitForOperState(node, "tp-port");
        WaitForOperState(node, "br0");
        return (node, peer);
    }

    /// <summary>
    /// A veth pair: <paramref name="nodeEnd"/> (MTU 1500, .1) in a new namespace, <paramref name="peerEnd"/> (MTU 9000,
    /// .2) in another, and .9 on the node side a neighbour nobody owns (what a flood sent there meets is the qdisc).
    /// </summary>
    private (NetworkNamespace Node, NetworkNamespace Peer) BuildPair(string nodeEnd, string peerEnd, string prefix)
    {
        NetworkNamespace node = NewNamespace(), peer = NewNamespace();
        node.Ip("link", "add", nodeEnd, "type", "veth", "peer", "name", peerEnd, "netns", peer.Name);
        node.WriteSysctl($"net/ipv6/conf/{nodeEnd}/disable_ipv6", "1");
        peer.WriteSysctl($"net/ipv6/conf/{peerEnd}/disable_ipv6", "1");
        peer.Ip("link", "set", peerEnd, "mtu", "9000");
        node.Ip("address", "add", $"{prefix}.1/24", "dev", nodeEnd);
        peer.Ip("address", "add", $"{prefix}.2/24", "dev", peerEnd);
        node.Ip("link", "set", nodeEnd, "up");
        peer.Ip("link", "set", peerEnd, "up");
        node.Ip("neighbour", "replace", $"{prefix}.9", "lladdr", "02:00:00:00:00:01", "dev", nodeEnd, "nud", "permanent");
        WaitForOperState(node, nodeEnd);
        return (node, peer);
    }

    private NetworkNamespace NewNamespace()
    {
        NetworkNamespace created = NetworkNamespace.Create();
        _namespaces.Add(created);
        created.Ip("link", "set", "lo", "up");
        return created;
    }

    /// <summary>
    /// Runs the monitor until <paramref name="induce"/> is done and two further intervals are in the CSV, then stops
    /// it with SIGTERM and sums every column over the run: whole-run sums need no timing window.
    /// </summary>
    private Dictionary<string, long> RunMonitor(NetworkNamespace node, string[] arguments, Action<MonitorProcess> induce, params string[] interval)
    {
        string csv = Path.Join(_directory, $"run-{Guid.NewGuid():N}.csv");
        string[] intervalArguments = interval.Length > 0 ? interval : ["--interval", Interval];
        using MonitorProcess monitor = MonitorProcess.StartIn(node, csv, ["monitor", .. arguments, .. intervalArguments, "--csv", csv, "--no-color"]);
        monitor.WaitForHeader(s_timeout);
        induce(monitor);
        WaitForNewRows(monitor, 2);
        Signals.Send(monitor.ProcessId, Signals.SIGTERM);
        Assert.Equal(0, monitor.WaitForExit(s_timeout));
        output.WriteLine(monitor.Output);
        return CsvRecords.ColumnSums(monitor.ReadCsvText());
    }

    private Dictionary<string, long> RunMonitor(NetworkNamespace node, string[] arguments, Action induce) =>
        RunMonitor(node, arguments, _ => induce());

    private static void WaitForNewRows(MonitorProcess monitor, int rows) => monitor.WaitForRows(monitor.CompletedRows() + rows, s_timeout);

    private static void Rename(NetworkNamespace networkNamespace, string from, string to)
    {
        networkNamespace.Ip("link", "set", from, "down");
        networkNamespace.Ip("link", "set", from, "name", to);
        networkNamespace.Ip("link", "set", to, "up");
        WaitForOperState(networkNamespace, to);
    }

    private static ulong Statistic(NetworkNamespace networkNamespace, string interfaceName, string statistic) =>
        ulong.Parse(networkNamespace.Exec("cat", $"/sys/class/net/{interfaceName}/statistics/{statistic}").Trim(), CultureInfo.InvariantCulture);

    /// <summary>The drops of the interface's root qdisc as <c>tc -s -j</c> prints them.</summary>
    private static ulong RootQdiscDrops(NetworkNamespace networkNamespace, string interfaceName)
    {
        using JsonDocument qdiscs = JsonDocument.Parse(networkNamespace.Tc("-s", "-j", "qdisc", "show", "dev", interfaceName));
        foreach (JsonElement qdisc in qdiscs.RootElement.EnumerateArray())
        {
            if (qdisc.TryGetProperty("root", out JsonElement root) && root.GetBoolean())
            {
                return qdisc.GetProperty("drops").GetUInt64();
            }
        }

        throw new InvalidOperationException($"{interfaceName} has no root qdisc");
    }

    private static void WaitForOperState(NetworkNamespace networkNamespace, string interfaceName) =>
        Poll.Until(() => OperState(networkNamespace, interfaceName) is "UP", s_timeout, $"{interfaceName} in {networkNamespace.Name} to come UP");

    private static string? OperState(NetworkNamespace networkNamespace, string interfaceName)
    {
        using JsonDocument link = JsonDocument.Parse(networkNamespace.Ip("-j", "link", "show", "dev", interfaceName));
        return link.RootElement[0].GetProperty("operstate").GetString();
    }
}
