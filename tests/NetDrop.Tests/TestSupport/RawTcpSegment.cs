using System.Buffers.Binary;
using System.Net;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// One IPv4 TCP segment as the raw peer builds and reads it: a 20-byte IPv4 header (RFC 791) and a 20-byte TCP header
/// without options (RFC 9293), so the receiver negotiates no window scaling, SACK or timestamps and every number in
/// the exchange is plain: windows in bytes, one sequence number per payload byte.
/// </summary>
internal sealed record RawTcpSegment(
    IPAddress Source, IPAddress Destination, ushort SourcePort, ushort DestinationPort,
    uint Sequence, uint Acknowledgment, byte Flags, ushort Window, int PayloadLength)
{
    public const byte Fin = 0x01;
    public const byte Syn = 0x02;
    public const byte Rst = 0x04;
    public const byte Psh = 0x08;
    public const byte Ack = 0x10;

    private const int IPv4HeaderBytes = 20;
    private const int TcpHeaderBytes = 20;
    private const byte ProtocolTcp = 6;

    public bool Has(byte flags) => (Flags & flags) == flags;

    /// <summary>The packet, checksums included: a veth hands the receiver a CHECKSUM_NONE skb, which TCP verifies.</summary>
    public byte[] ToPacket()
    {
        byte[] packet = new byte[IPv4HeaderBytes + TcpHeaderBytes + PayloadLength];
        Span<byte> ip = packet.AsSpan(0, IPv4HeaderBytes);
        ip[0] = 0x45; // version 4, IHL 5 words
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(ip[6..], 0x4000); // DF, no fragments
        ip[8] = 64; // TTL
        ip[9] = ProtocolTcp;
        Source.TryWriteBytes(ip[12..16], out _);
        Destination.TryWriteBytes(ip[16..20], out _);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], InternetChecksum(ip, 0));

        Span<byte> tcp = packet.AsSpan(IPv4HeaderBytes);
        BinaryPrimitives.WriteUInt16BigEndian(tcp, SourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], DestinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], Sequence);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[8..], Acknowledgment);
        tcp[12] = (TcpHeaderBytes / 4) << 4;
        tcp[13] = Flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], Window);
        tcp[(TcpHeaderBytes)..].Fill((byte)'x');

        // The pseudo-header (source, destination, zero, protocol, TCP length) is summed before the segment itself.
        Span<byte> pseudo = stackalloc byte[12];
        ip[12..20].CopyTo(pseudo);
        pseudo[9] = ProtocolTcp;
        BinaryPrimitives.WriteUInt16BigEndian(pseudo[10..], (ushort)tcp.Length);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], InternetChecksum(tcp, Sum(pseudo)));
        return packet;
    }

    /// <summary>Reads an IPv4 TCP segment as a SOCK_DGRAM packet socket delivers it (no link header); null for anything else.</summary>
    public static RawTcpSegment? TryParse(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < IPv4HeaderBytes || packet[0] >> 4 != 4 || packet[9] != ProtocolTcp)
        {
            return null;
        }

        int ipHeader = (packet[0] & 0x0f) * 4;
        int total = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if (total > packet.Length || total < ipHeader + TcpHeaderBytes)
        {
            return null;
        }

        ReadOnlySpan<byte> tcp = packet[ipHeader..total];
        int tcpHeader = (tcp[12] >> 4) * 4;
        return new RawTcpSegment(
            new IPAddress(packet[12..16]), new IPAddress(packet[16..20]),
            BinaryPrimitives.ReadUInt16BigEndian(tcp), BinaryPrimitives.ReadUInt16BigEndian(tcp[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(tcp[4..]), BinaryPrimitives.ReadUInt32BigEndian(tcp[8..]),
            tcp[13], BinaryPrimitives.ReadUInt16BigEndian(tcp[14..]), tcp.Length - tcpHeader);
    }

    /// <summary>RFC 1071: the ones' complement of the ones' complement sum of 16-bit words.</summary>
    public static ushort InternetChecksum(ReadOnlySpan<byte> data, uint initial)
    {
        uint sum = initial + Sum(data);
        while (sum >> 16 != 0)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    /// <summary>The 16-bit big-endian words of <paramref name="data"/> added up, before folding.</summary>
    public static uint Sum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        int i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (i < data.Length)
        {
            sum += (uint)data[i] << 8;
        }

        return sum;
    }
}
