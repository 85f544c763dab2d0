using System.Buffers.Binary;
using System.Net;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// Hand-built IPv4 packets (RFC 791) for the coverage inducers: a well-formed UDP datagram, or one with exactly one
/// thing wrong that a named kernel check refuses.
/// </summary>
internal static class RawIPv4Packet
{
    public const ushort EtherTypeIPv4 = 0x0800;
    private const int HeaderBytes = 20;
    private const int UdpHeaderBytes = 8;
    private const byte ProtocolUdp = 17;
    private const ushort MoreFragments = 0x2000;

    /// <summary>A UDP datagram (to port 9, discard, unless told) with a right header checksum and the UDP checksum 0 ("none").</summary>
    public static byte[] Udp(IPAddress source, IPAddress destination, ushort identification, int payloadBytes = 32, ushort destinationPort = 9) =>
        Build(source, destination, identification, flagsAndOffset: 0, payloadBytes, versionAndLength: 0x45, destinationPort);

    /// <summary>
    /// The first fragment of a datagram whose other fragments never come: offset 0, More Fragments set.
    /// ip_local_deliver() → ip_defrag() queues it; ip_expire() (net/ipv4/ip_fragment.c) gives up on the queue after
    /// net.ipv4.ipfrag_time and counts ReasmFails (and ReasmTimeout) once per datagram.
    /// </summary>
    public static byte[] FirstFragmentOnly(IPAddress source, IPAddress destination, ushort identification) =>
        Build(source, destination, identification, MoreFragments, payloadBytes: 32, versionAndLength: 0x45);

    /// <summary>
    /// A header that says it is 4 words long, below the minimum of 5: ip_rcv_core() (net/ipv4/ip_input.c) checks
    /// <c>iph-&gt;ihl &lt; 5 || iph-&gt;version != 4</c> before anything else and goes to <c>inhdr_error</c>, which counts
    /// Ip InHdrErrors (drop reason IP_INHDR).
    /// </summary>
    public static byte[] HeaderTooShort(IPAddress source, IPAddress destination, ushort identification) =>
        Build(source, destination, identification, flagsAndOffset: 0, payloadBytes: 32, versionAndLength: 0x44);

    private static byte[] Build(
        IPAddress source, IPAddress destination, ushort identification, ushort flagsAndOffset, int payloadBytes, byte versionAndLength, ushort destinationPort = 9)
    {
        byte[] packet = new byte[HeaderBytes + UdpHeaderBytes + payloadBytes];
        Span<byte> ip = packet.AsSpan(0, HeaderBytes);
        ip[0] = versionAndLength;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], identification);
        BinaryPrimitives.WriteUInt16BigEndian(ip[6..], flagsAndOffset);
        ip[8] = 64;
        ip[9] = ProtocolUdp;
        source.TryWriteBytes(ip[12..16], out _);
        destination.TryWriteBytes(ip[16..20], out _);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], RawTcpSegment.InternetChecksum(ip, 0));

        Span<byte> udp = packet.AsSpan(HeaderBytes);
        BinaryPrimitives.WriteUInt16BigEndian(udp, 40000);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)udp.Length);
        return packet;
    }
}
