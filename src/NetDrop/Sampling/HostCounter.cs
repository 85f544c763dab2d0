namespace NetDrop.Sampling;

/// <summary>The namespace-wide kernel counters the drop model reads (see <see cref="MibSource"/> for each one's key).</summary>
internal enum HostCounter
{
    TcpReqQFullDrop,
    TcpListenOverflows,
    TcpListenDrops,
    TcpRcvPruned,
    TcpOfoPruned,
    TcpRcvCollapsed,
    TcpBacklogDrop,
    TcpRcvQDrop,
    TcpZeroWindowDrop,
    TcpOfoDrop,
    TcpPruneCalled,
    TcpReqQFullDoCookies,
    UdpRcvbufErrors,
    UdpSndbufErrors,
    UdpMemErrors,
    UdpInCsumErrors,
    Udp6RcvbufErrors,
    Udp6SndbufErrors,
    Udp6MemErrors,
    Udp6InCsumErrors,
}
