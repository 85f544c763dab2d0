using NetDrop.Model;

namespace NetDrop.Tests.Sampling;

/// <summary>
/// The namespace counters the tests set by hand, named as the kernel prints them. Written here, not read from the
/// product's table, so a row that reads the wrong field fails the tests instead of agreeing with itself.
/// </summary>
internal static class HostCounter
{
    public static readonly KernelCounter TcpReqQFullDrop = KernelCounter.TcpExt("TCPReqQFullDrop");
    public static readonly KernelCounter TcpListenOverflows = KernelCounter.TcpExt("ListenOverflows");
    public static readonly KernelCounter TcpListenDrops = KernelCounter.TcpExt("ListenDrops");
    public static readonly KernelCounter TcpRcvPruned = KernelCounter.TcpExt("RcvPruned");
    public static readonly KernelCounter TcpOfoPruned = KernelCounter.TcpExt("OfoPruned");
    public static readonly KernelCounter TcpRcvCollapsed = KernelCounter.TcpExt("TCPRcvCollapsed");
    public static readonly KernelCounter TcpBacklogDrop = KernelCounter.TcpExt("TCPBacklogDrop");
    public static readonly KernelCounter TcpRcvQDrop = KernelCounter.TcpExt("TCPRcvQDrop");
    public static readonly KernelCounter TcpZeroWindowDrop = KernelCounter.TcpExt("TCPZeroWindowDrop");
    public static readonly KernelCounter TcpOfoDrop = KernelCounter.TcpExt("TCPOFODrop");
    public static readonly KernelCounter TcpPruneCalled = KernelCounter.TcpExt("PruneCalled");
    public static readonly KernelCounter TcpReqQFullDoCookies = KernelCounter.TcpExt("TCPReqQFullDoCookies");
    public static readonly KernelCounter UdpRcvbufErrors = KernelCounter.Udp("RcvbufErrors");
    public static readonly KernelCounter UdpSndbufErrors = KernelCounter.Udp("SndbufErrors");
    public static readonly KernelCounter UdpMemErrors = KernelCounter.Udp("MemErrors");
    public static readonly KernelCounter UdpInCsumErrors = KernelCounter.Udp("InCsumErrors");
    public static readonly KernelCounter Udp6RcvbufErrors = KernelCounter.Snmp6("Udp6RcvbufErrors");
    public static readonly KernelCounter Udp6SndbufErrors = KernelCounter.Snmp6("Udp6SndbufErrors");
    public static readonly KernelCounter Udp6MemErrors = KernelCounter.Snmp6("Udp6MemErrors");
    public static readonly KernelCounter Udp6InCsumErrors = KernelCounter.Snmp6("Udp6InCsumErrors");
}
