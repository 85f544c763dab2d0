using System.Buffers.Binary;
using System.Net.Sockets;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// The few fields of getsockopt(IPPROTO_TCP, TCP_INFO) the inducers witness with (struct tcp_info,
/// include/uapi/linux/tcp.h; offsets for x86-64). tcp_get_info() takes the socket lock, so a value read here is never
/// half-way through a segment's processing.
/// </summary>
internal readonly record struct TcpInfo(uint Unacked, ulong BytesReceived, uint SegmentsIn, uint OutOfOrderQueued)
{
    private const int IpProtoTcp = 6; // IPPROTO_TCP, the raw level getsockopt(2) takes
    private const int TcpInfoOption = 11; // TCP_INFO
    private const int UnackedOffset = 24; // __u32 tcpi_unacked: for a listener, sk_ack_backlog (the accept queue)
    private const int BytesReceivedOffset = 128; // __u64 tcpi_bytes_received: bytes taken in order (rcv_nxt moved)
    private const int SegmentsInOffset = 140; // __u32 tcpi_segs_in: every segment the socket was handed
    private const int OutOfOrderQueuedOffset = 224; // __u32 tcpi_rcv_ooopack (Linux 5.4+): segments put in the out-of-order queue

    public static TcpInfo Read(Socket socket)
    {
        Span<byte> buffer = stackalloc byte[512];
        int length = socket.GetRawSocketOption(IpProtoTcp, TcpInfoOption, buffer);
        if (length < OutOfOrderQueuedOffset + 4)
        {
            throw new InvalidOperationException($"TCP_INFO returned {length} bytes; tcpi_rcv_ooopack needs Linux 5.4 or later.");
        }

        return new TcpInfo(
            BinaryPrimitives.ReadUInt32LittleEndian(buffer[UnackedOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(buffer[BytesReceivedOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(buffer[SegmentsInOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(buffer[OutOfOrderQueuedOffset..]));
    }
}
