namespace NetDrop.Tests.TestSupport;

/// <summary>What <see cref="DropInducers.FloodUnreadUdpSockets"/> did over IPv4 and IPv6 loopback.</summary>
internal sealed record UdpFloodResult(UdpFamilyFlood IPv4, UdpFamilyFlood IPv6)
{
    public int Refused => IPv4.Refused + IPv6.Refused;
}
