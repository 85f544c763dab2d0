using System.Diagnostics;
using System.Net;
using NetDrop.Kernel.Netlink;

namespace NetDrop.Kernel.Tests.TestSupport;

/// <summary>
/// A namespace with one of each qdisc shape NetDrop must understand, and bounded traffic that makes them drop:
/// <list type="bullet">
/// <item>va (4 tx queues): <c>mq</c> root 1: with a <c>pfifo limit 0</c> child per queue (11: .. 14:, every packet
/// dropped), plus <c>clsact</c>.</item>
/// <item>vb (va's peer): <c>tbf</c> root 2: (1 Mbit/s, burst 1600 B, limit 3000 B; its bfifo child is invisible),
/// plus <c>ingress</c>.</item>
/// <item>vc: <c>htb</c> root 3: default 10; class 3:1 (10 Mbit/s) with children 3:10 (1 Mbit/s, leaf <c>pfifo limit 5</c>
/// 30:) and 3:20 (1 Mbit/s, the kernel's invisible default pfifo leaf). vd (vc's peer) keeps veth's noqueue.</item>
/// </list>
/// Each sender address has a permanent neighbour entry, so no ARP traffic reaches the qdiscs, and IPv6 is off in the
/// namespace, so nothing but the flood is ever sent.
/// </summary>
internal static class QdiscLab
{
    public const int DatagramsPerDevice = 200;
    public const int DatagramSize = 1000;

    public static readonly string[] SetupCommands =
    [
        "sysctl -qw net.ipv6.conf.all.disable_ipv6=1",
        "sysctl -qw net.ipv6.conf.default.disable_ipv6=1",
        "ip link set lo up",
        "ip link add va numtxqueues 4 numrxqueues 4 type veth peer name vb numtxqueues 4 numrxqueues 4",
        "ip link add vc type veth peer name vd",
        "tc qdisc add dev va root handle 1: mq",
        "tc qdisc add dev va parent 1:1 handle 11: pfifo limit 0",
        "tc qdisc add dev va parent 1:2 handle 12: pfifo limit 0",
        "tc qdisc add dev va parent 1:3 handle 13: pfifo limit 0",
        "tc qdisc add dev va parent 1:4 handle 14: pfifo limit 0",
        "tc qdisc add dev va clsact",
        "tc qdisc add dev vb root handle 2: tbf rate 1mbit burst 1600 limit 3000",
        "tc qdisc add dev vb ingress",
        "tc qdisc add dev vc root handle 3: htb default 10",
        "tc class add dev vc parent 3: classid 3:1 htb rate 10mbit",
        "tc class add dev vc parent 3:1 classid 3:10 htb rate 1mbit ceil 1mbit",
        "tc class add dev vc parent 3:1 classid 3:20 htb rate 1mbit",
        "tc qdisc add dev vc parent 3:10 handle 30: pfifo limit 5",
        "ip addr add 10.203.0.1/30 dev va",
        "ip addr add 10.203.1.1/30 dev vb",
        "ip addr add 10.203.2.1/30 dev vc",
        "ip link set va up",
        "ip link set vb up",
        "ip link set vc up",
        "ip link set vd up",
        "ip neigh replace 10.203.0.2 lladdr 02:00:00:00:00:02 dev va nud permanent",
        "ip neigh replace 10.203.1.2 lladdr 02:00:00:00:00:02 dev vb nud permanent",
        "ip neigh replace 10.203.2.2 lladdr 02:00:00:00:00:02 dev vc nud permanent",
    ];

    public static void Build(NetworkNamespace ns)
    {
        foreach (string command in SetupCommands)
        {
            ns.Shell(command);
        }
    }

    /// <summary>Floods each device's fake neighbour, then waits until every queue has drained.</summary>
    public static void SendTraffic(NetworkNamespace ns)
    {
        ns.Run(() =>
        {
            foreach (string destination in (string[])["10.203.0.2", "10.203.1.2", "10.203.2.2"])
            {
                int sent = UdpFlood.Send(
                    IPAddress.Parse(destination), DatagramsPerDevice, DatagramSize, TimeSpan.FromSeconds(10));
                if (sent != DatagramsPerDevice)
                {
                    throw new InvalidOperationException($"sent only {sent} datagrams to {destination}");
                }
            }
        });
        WaitUntilIdle(ns);
    }

    /// <summary>Waits (at most 10 s) until no qdisc in the namespace holds a packet, so counters stop moving.</summary>
    public static void WaitUntilIdle(NetworkNamespace ns)
    {
        ns.Run(() =>
        {
            using var socket = new NetlinkSocket();
            var dump = new QdiscDump(socket);
            var qdiscs = new List<QdiscRecord>();
            var clock = Stopwatch.StartNew();
            while (true)
            {
                dump.Read(qdiscs);
                if (qdiscs.TrueForAll(q => q.QueueLength == 0 && q.Backlog == 0))
                {
                    return;
                }

                if (clock.Elapsed > TimeSpan.FromSeconds(10))
                {
                    throw new TimeoutException("qdiscs still hold packets after 10 s");
                }

                Thread.Sleep(50);
            }
        });
    }
}
