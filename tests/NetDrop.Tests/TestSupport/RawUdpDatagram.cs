using System.Buffers.Binary;
using System.Net;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// An IPv4 UDP datagram for the raw peer (RFC 768), built with a deliberately wrong checksum: what a corrupting link
/// or a buggy offload would deliver.
/// </summary>
internal static class RawUdpDatagram
{
    private const int IPv4HeaderBytes = 20;
    private const int UdpHeaderBytes = 8;
    private const byte ProtocolUdp = 17;

    public static byte[] WithBadChecksum(IPAddress source, IPAddress destination, ushort sourcePort, ushort destinationPort, int payloadBytes)
    {
        byte[] packet = new byte[IPv4HeaderBytes + UdpHeaderBytes + payloadBytes];
        Span<byte> ip = packet.AsSpan(0, IPv4HeaderBytes);
        ip[0] = 0x45; // version 4, IHL 5 words
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(ip[6..], 0x4000); // DF
        ip[8] = 64;
        ip[9] = ProtocolUdp;
        source.TryWriteBytes(ip[12..16], out _);
        destination.TryWriteBytes(ip[16..20], out _);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], RawTcpSegment.InternetChecksum(ip, 0));

        Span<byte> udp = packet.AsSpan(IPv4HeaderBytes);
        BinaryPrimitives.WriteUInt16BigEndian(udp, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)udp.Length);
        udp[UdpHeaderBytes..].Fill((byte)'x');

        // The right checksum over the pseudo-header and datagram, then every bit of it flipped: never right, and never
        // 0, which in IPv4 would mean "no checksum" and be accepted.
        Span<byte> pseudo = stackalloc byte[12];
        ip[12..20].CopyTo(pseudo);
        pseudo[9] = ProtocolUdp;
        BinaryPrimitives.WriteUInt16BigEndian(pseudo[10..], (ushort)udp.Length);
        ushort right = RawTcpSegment.InternetChecksum(udp, RawTcpSegment.Sum(pseudo));
        ushort wrong = (ushort)~right;
        BinaryPrimitives.WriteUInt16BigEndian(udp[6..], wrong == 0 ? (ushort)0x5555 : wrong);
        return packet;
    }
}
