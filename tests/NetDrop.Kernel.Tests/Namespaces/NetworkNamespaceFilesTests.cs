using System.Globalization;
using System.Text.Json;
using NetDrop.Kernel.Namespaces;
using NetDrop.Kernel.Procfs;

namespace NetDrop.Kernel.Tests.Namespaces;

/// <summary>
/// A pod's own counters, read through the scanner's open files, against what the test did inside the pod and what
/// the kernel reports over netlink (<c>ip -s -j link</c>, an independent path). Mapping used here:
/// <list type="bullet">
/// <item>a UDP datagram sent into a veth whose peer is down is dropped in <c>veth_xmit</c> (<c>is_skb_forwardable</c>
/// fails, <c>priv-&gt;dropped</c>++), which <c>veth_get_stats64</c> reports as the pod end's <c>tx_dropped</c> = the
/// "drop" column of the Transmit half of /proc/net/dev; <c>udp_send_skb</c> sees <c>-ENOBUFS</c> without
/// IP_RECVERR and counts <c>Udp: SndbufErrors</c> (the udp_sndbuf category) in the pod's namespace.</item>
/// <item>a datagram delivered is one <c>tx_packets</c> and one <c>Udp: OutDatagrams</c>; the node's port-unreachable
/// reply is one <c>rx_packets</c> and one <c>Icmp: InDestUnreachs</c> in the pod.</item>
/// </list>
/// </summary>
[Collection(PodLabCollectionDefinition.Name)]
public sealed class NetworkNamespaceFilesTests
{
    private const int Delivered = 7;
    private const int Dropped = 5;

    [Fact]
    public void Read_PodVethDropsAndUdpErrors_EqualWitnessedSendsAndNetlink()
    {
        using var lab = new PodLab();
        NetworkNamespace node = lab.CreateNodeNamespace();
        string nodeSide = "bnd" + Guid.NewGuid().ToString("N")[..8];
        string uid = PodLab.NewPodUid();
        PodLabPod pod = lab.StartPod(PodLab.CgroupfsPath("besteffort", uid, PodLab.NewContainerId()), uid, null);
        PodLab.AddVeth(node, pod, nodeSide, "eth0");
        PodLab.ConfigureQuietLink(node, pod, nodeSide, "eth0", subnet: 3);

        using var scanner = new NetworkNamespaceScanner("/proc");
        scanner.Scan();
        NetworkNamespaceFiles files = Assert.Single(scanner.Namespaces, n => n.Owner.PodUid == uid).Files!;
        int outDatagrams = files.Snmp.Register(new MibKey("Udp", "OutDatagrams"));
        int sndbufErrors = files.Snmp.Register(new MibKey("Udp", "SndbufErrors"));
        int destUnreachs = files.Snmp.Register(new MibKey("Icmp", "InDestUnreachs"));
        Snapshot before = Read(files, outDatagrams, sndbufErrors, destUnreachs);
        NetlinkStats netlinkBefore = NetlinkStats.Of(pod);

        Send(pod, Delivered);
        Poll.Until(() => NetlinkStats.Of(pod).RxPackets - netlinkBefore.RxPackets == Delivered, TimeSpan.FromSeconds(30),
            "the node's port-unreachable replies to arrive");
        PodLab.SetDown(node, nodeSide);
        Send(pod, Dropped);

        Snapshot after = Read(files, outDatagrams, sndbufErrors, destUnreachs);
        NetlinkStats netlinkAfter = NetlinkStats.Of(pod);
        Assert.Equal(Delivered, (int)(netlinkAfter.TxPackets - netlinkBefore.TxPackets));
        Assert.Equal(Dropped, (int)(netlinkAfter.TxDropped - netlinkBefore.TxDropped));
        Assert.Equal(Delivered, (int)(after.TxPackets - before.TxPackets));
        Assert.Equal(Delivered, (int)(after.RxPackets - before.RxPackets));
        Assert.Equal(Dropped, (int)(after.TxDropped - before.TxDropped));
        Assert.Equal(0, (int)(after.RxDropped - before.RxDropped));
        Assert.Equal(Delivered, (int)(after.OutDatagrams - before.OutDatagrams));
        Assert.Equal(Dropped, (int)(after.SndbufErrors - before.SndbufErrors));
        Assert.Equal(Delivered, (int)(after.DestUnreachs - before.DestUnreachs));

        // The pod's last task exits; until the scanner releases the files its last counters can still be read.
        pod.Kill();
        scanner.Scan();
        Assert.Contains(scanner.Vanished, n => n.Files == files);
        Snapshot last = Read(files, outDatagrams, sndbufErrors, destUnreachs);
        Assert.Equal(after, last);
    }

    private static void Send(PodLabPod pod, int count) =>
        _ = pod.Exec("bash", "-ec", string.Create(CultureInfo.InvariantCulture,
            $"for i in $(seq {count}); do printf x > /dev/udp/10.77.3.1/9; done"));

    private static Snapshot Read(NetworkNamespaceFiles files, int outDatagrams, int sndbufErrors, int destUnreachs)
    {
        Assert.True(files.Dev.TryRead(out _));
        Assert.True(files.Snmp.TryRead(out _));
        int eth0 = files.Dev.IndexOf("eth0"u8);
        Assert.True(eth0 >= 0);
        NetDevCounters dev = files.Dev.CountersAt(eth0);
        Assert.True(files.Snmp.TryGetValue(outDatagrams, out ulong sent));
        Assert.True(files.Snmp.TryGetValue(sndbufErrors, out ulong errors));
        Assert.True(files.Snmp.TryGetValue(destUnreachs, out ulong unreachable));
        return new Snapshot(dev.TransmitPackets, dev.ReceivePackets, dev.TransmitDropped, dev.ReceiveDropped, sent, errors, unreachable);
    }

    private readonly record struct Snapshot(
        ulong TxPackets, ulong RxPackets, ulong TxDropped, ulong RxDropped, ulong OutDatagrams, ulong SndbufErrors, ulong DestUnreachs);

    private readonly record struct NetlinkStats(ulong TxPackets, ulong RxPackets, ulong TxDropped)
    {
        public static NetlinkStats Of(PodLabPod pod)
        {
            using var document = JsonDocument.Parse(pod.Exec("ip", "-s", "-j", "link", "show", "eth0"));
            JsonElement stats = document.RootElement[0].GetProperty("stats64");
            return new NetlinkStats(
                stats.GetProperty("tx").GetProperty("packets").GetUInt64(),
                stats.GetProperty("rx").GetProperty("packets").GetUInt64(),
                stats.GetProperty("tx").GetProperty("dropped").GetUInt64());
        }
    }
}
