using System.Net;
using NetDrop.Kernel.Bpf;
using Xunit.Abstractions;

namespace NetDrop.Kernel.Tests.Bpf;

/// <summary>
/// Root tests of reasons raised below the socket layer and in TCP's handshake, each induced a known number of times in
/// namespaces of the test's own and read back through the namespace key (the tracepoint is host-wide; the key is the
/// inode of <c>skb-&gt;dev-&gt;nd_net</c>, so other tests' drops never reach these counts). Where the kernel has a
/// counter for the same packets, witnessed == counter delta == the reason's count.
/// </summary>
/// <remarks>
/// Reason → kernel counter, written here from the call sites, not taken from NetDrop:
/// <list type="bullet">
/// <item>TCP_LISTEN_OVERFLOW: TcpExt ListenOverflows, counted by tcp_v4_syn_recv_sock() when the handshake's last
/// segment finds the accept queue full; a SYN refused by a full queue is ListenOverflows too but is not freed with
/// this reason (see the test).</item>
/// <item>IP_RPFILTER: TcpExt IPReversePathFilter (ip_rcv_finish_core() on -EXDEV from fib_validate_source()).</item>
/// <item>NEIGH_QUEUEFULL: arp_cache unresolved_discards (__neigh_event_send(), host-wide statistics).</item>
/// <item>NEIGH_FAILED: no per-packet counter (neigh_invalidate() → arp_error_report(); arp_cache res_failed counts the
/// entry, once per failed resolution).</item>
/// <item>TC_INGRESS: the clsact qdisc's drops (tc_run() counts TC_ACT_SHOT in the mini-qdisc's stats;
/// sch_handle_ingress() frees the packet with the reason).</item>
/// </list>
/// </remarks>
[Collection(KfreeSkbCollectionDefinition.Name)]
public sealed class DropReasonPathTests(ITestOutputHelper output)
{
    private const string TcpListenOverflow = "TCP_LISTEN_OVERFLOW";
    private const string IpRpfilter = "IP_RPFILTER";
    private const string NeighQueueFull = "NEIGH_QUEUEFULL";
    private const string NeighFailed = "NEIGH_FAILED";
    private const string TcIngress = "TC_INGRESS";
    private const string SpoofedSource = "192.0.2.1"; // TEST-NET-1 (RFC 5737): the receiver has no route back to it

    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(20);

    [Fact]
    public void ReadNamespace_HandshakesCompletingIntoAFullAcceptQueue_CountEachAsTcpListenOverflow()
    {
        using DropReasonCounter counter = DropReasonCounter.Open();
        using NetworkNamespace ns = NetworkNamespace.Create("ndabpf");
        ns.Ip("link", "set", "lo", "up");
        uint inode = DropReasonLab.NamespaceInode(ns);
        int reason = counter.Names.ValueOf(TcpListenOverflow);

        ListenOverflowWitness witness = DropReasonLab.OverflowAcceptQueue(ns, clients: 5, () => Count(counter, inode, reason));
        output.WriteLine(witness.ToString());

        // The handshakes' last segments: every ListenOverflows is one TCP_LISTEN_OVERFLOW, and each client's byte was
        // one (a retransmission on a stalled machine would add to both alike).
        Assert.Equal(witness.FinalAckOverflows, witness.FinalAckReasons);
        Assert.InRange(witness.FinalAckReasons, (ulong)witness.Clients, (ulong)witness.Clients * 2);
        // The SYN: ListenOverflows counts it, but tcp_rcv_state_process() ends a listener's SYN with consume_skb()
        // whatever tcp_conn_request() decided, so it reaches no kfree_skb and no reason: the reason view undercounts
        // ListenOverflows by the SYNs a full queue refused.
        Assert.InRange(witness.SynOverflows, 1UL, 2UL);
        Assert.Equal(0UL, witness.SynReasons);
    }

    [Fact]
    public void ReadNamespace_SpoofedSourceIntoStrictRpFilter_CountsEachAsIpRpfilter()
    {
        using DropReasonCounter counter = DropReasonCounter.Open();
        using var network = new DropReasonNetwork();
        // The effective rp_filter is the larger of conf/all and conf/IF (fib_validate_source()), so both are set; the
        // sender's end holds the spoofed source, so its datagrams leave with it.
        network.Receiver.WriteSysctl("net/ipv4/conf/all/rp_filter", "1");
        network.Receiver.WriteSysctl($"net/ipv4/conf/{DropReasonNetwork.ReceiverInterface}/rp_filter", "1");
        network.Sender.Ip("address", "add", SpoofedSource + "/32", "dev", DropReasonNetwork.SenderInterface);
        uint receiver = DropReasonLab.NamespaceInode(network.Receiver);
        int reason = counter.Names.ValueOf(IpRpfilter);
        ulong filteredBefore = DropReasonLab.NamespaceMib(network.Receiver, "netstat", "TcpExt", "IPReversePathFilter");

        int sent = DropReasonLab.SendUdp(network.Sender, IPAddress.Parse(SpoofedSource), IPAddress.Parse(DropReasonNetwork.ReceiverAddress), datagrams: 40);

        // The veth delivers in the receiving CPU's softirq, which a loaded machine may run later: wait for the kernel's count.
        Poll.Until(() => DropReasonLab.NamespaceMib(network.Receiver, "netstat", "TcpExt", "IPReversePathFilter") - filteredBefore >= (ulong)sent,
            s_settle, "IPReversePathFilter to count every datagram");
        output.WriteLine($"sent {sent}, IPReversePathFilter +{DropReasonLab.NamespaceMib(network.Receiver, "netstat", "TcpExt", "IPReversePathFilter") - filteredBefore}, {IpRpfilter} {Count(counter, receiver, reason)}");
        Assert.Equal(40, sent);
        Assert.Equal((ulong)sent, DropReasonLab.NamespaceMib(network.Receiver, "netstat", "TcpExt", "IPReversePathFilter") - filteredBefore);
        Assert.Equal((ulong)sent, Count(counter, receiver, reason));
    }

    [Fact]
    public void ReadNamespace_DatagramsBehindAnAbsentNeighbourWithAOneByteQueue_CountAllButTheQueuedOneAsNeighQueuefull()
    {
        using DropReasonCounter counter = DropReasonCounter.Open();
        using var network = new DropReasonNetwork();
        // A 1-byte queue: __neigh_event_send() (net/core/neighbour.c) frees queued packets from the head until the new
        // one fits, so each datagram pushes out the one before it (NEIGH_QUEUEFULL, unres_discards) and the last stays.
        // 60 s between probes keeps the entry INCOMPLETE through the loop, so it never fails and restarts midway.
        network.Sender.WriteSysctl($"net/ipv4/neigh/{DropReasonNetwork.SenderInterface}/unres_qlen_bytes", "1");
        network.Sender.WriteSysctl($"net/ipv4/neigh/{DropReasonNetwork.SenderInterface}/retrans_time_ms", "60000");
        uint sender = DropReasonLab.NamespaceInode(network.Sender);
        int queueFull = counter.Names.ValueOf(NeighQueueFull);
        int failed = counter.Names.ValueOf(NeighFailed);
        ulong discardsBefore = DropReasonLab.HostArpCache("unresolved_discards");

        int sent = DropReasonLab.SendUdp(network.Sender, null, IPAddress.Parse(DropReasonNetwork.AbsentNeighbour), datagrams: 25);

        // The queue is handled in the sender's own sendto(): the counts are final when it returns.
        output.WriteLine($"sent {sent}, {NeighQueueFull} {Count(counter, sender, queueFull)}, host unresolved_discards +{DropReasonLab.HostArpCache("unresolved_discards") - discardsBefore}");
        Assert.Equal(25, sent);
        Assert.Equal((ulong)(sent - 1), Count(counter, sender, queueFull));
        Assert.Equal(0UL, Count(counter, sender, failed));
        // Host-wide statistics: other tests' neighbours may add, never take away.
        Assert.InRange(DropReasonLab.HostArpCache("unresolved_discards") - discardsBefore, (ulong)(sent - 1), ulong.MaxValue);
    }

    [Fact]
    public void ReadNamespace_DatagramsToANeighbourThatNeverAnswers_CountEachAsNeighFailed()
    {
        using DropReasonCounter counter = DropReasonCounter.Open();
        using var network = new DropReasonNetwork();
        // One ARP probe (mcast_solicit 1, no unicast or application probes) 100 ms apart: the entry fails fast, and
        // neigh_invalidate() hands every queued packet to arp_error_report(), which frees it as NEIGH_FAILED. Should the
        // entry fail during the loop, the next datagram starts a new resolution that fails alike. The default queue
        // (unres_qlen_bytes 212992) holds the whole loop, so none is pushed out as NEIGH_QUEUEFULL.
        network.Sender.WriteSysctl($"net/ipv4/neigh/{DropReasonNetwork.SenderInterface}/mcast_solicit", "1");
        network.Sender.WriteSysctl($"net/ipv4/neigh/{DropReasonNetwork.SenderInterface}/ucast_solicit", "0");
        network.Sender.WriteSysctl($"net/ipv4/neigh/{DropReasonNetwork.SenderInterface}/app_solicit", "0");
        network.Sender.WriteSysctl($"net/ipv4/neigh/{DropReasonNetwork.SenderInterface}/retrans_time_ms", "100");
        uint sender = DropReasonLab.NamespaceInode(network.Sender);
        int queueFull = counter.Names.ValueOf(NeighQueueFull);
        int failed = counter.Names.ValueOf(NeighFailed);
        ulong resolutionsFailedBefore = DropReasonLab.HostArpCache("res_failed");

        int sent = DropReasonLab.SendUdp(network.Sender, null, IPAddress.Parse(DropReasonNetwork.AbsentNeighbour), datagrams: 20);

        Poll.Until(() => Count(counter, sender, failed) >= (ulong)sent, s_settle, "the neighbour to fail and free its queue");
        output.WriteLine($"sent {sent}, {NeighFailed} {Count(counter, sender, failed)}, host res_failed +{DropReasonLab.HostArpCache("res_failed") - resolutionsFailedBefore}");
        Assert.Equal(20, sent);
        Assert.Equal((ulong)sent, Count(counter, sender, failed));
        Assert.Equal(0UL, Count(counter, sender, queueFull));
        // No counter counts these packets; res_failed (host-wide) counts each failed resolution, at least this one.
        Assert.InRange(DropReasonLab.HostArpCache("res_failed") - resolutionsFailedBefore, 1UL, ulong.MaxValue);
    }

    [Fact]
    public void ReadNamespace_ClsactIngressFilterShootsEveryDatagram_CountsEachAsTcIngress()
    {
        using DropReasonCounter counter = DropReasonCounter.Open();
        using var network = new DropReasonNetwork();
        // Classic BPF "ret #2" in direct-action mode is TC_ACT_SHOT for every IPv4 packet (cls_bpf: gact and matchall are
        // not built into this kernel). The permanent neighbours mean no ARP, so every frame the veth carries is a datagram.
        network.Receiver.Tc("qdisc", "add", "dev", DropReasonNetwork.ReceiverInterface, "clsact");
        network.Receiver.Tc("filter", "add", "dev", DropReasonNetwork.ReceiverInterface, "ingress", "protocol", "ip", "prio", "1",
            "bpf", "da", "bytecode", "1,6 0 0 2");
        uint receiver = DropReasonLab.NamespaceInode(network.Receiver);
        int reason = counter.Names.ValueOf(TcIngress);
        long shotBefore = network.ReceiverClsactDrops();

        int sent = DropReasonLab.SendUdp(network.Sender, null, IPAddress.Parse(DropReasonNetwork.ReceiverAddress), datagrams: 60);

        Poll.Until(() => network.ReceiverClsactDrops() - shotBefore >= sent, s_settle, "the clsact qdisc to count every datagram");
        output.WriteLine($"sent {sent}, clsact dropped +{network.ReceiverClsactDrops() - shotBefore}, {TcIngress} {Count(counter, receiver, reason)}");
        Assert.Equal(60, sent);
        Assert.Equal(sent, network.ReceiverClsactDrops() - shotBefore);
        Assert.Equal((ulong)sent, Count(counter, receiver, reason));
    }

    private static ulong Count(DropReasonCounter counter, uint inode, int reason)
    {
        ulong[] counts = new ulong[counter.Slots];
        counter.ReadNamespace(inode, counts);
        return counts[reason];
    }
}
