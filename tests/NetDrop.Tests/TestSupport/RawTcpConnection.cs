using System.Net;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// A connection the <see cref="RawTcpPeer"/> opened: the next sequence number to send, the one to acknowledge, and
/// the right edge of the receiver's window as its latest captured segment advertised it (ack + window: no window
/// scaling was negotiated, so the window is in bytes).
/// </summary>
internal sealed class RawTcpConnection(IPAddress source, ushort sourcePort, IPEndPoint listener, uint nextSequence, uint acknowledgment)
{
    public uint NextSequence { get; set; } = nextSequence;

    public uint Acknowledgment { get; } = acknowledgment;

    /// <summary>The latest advertised right edge, or null before the receiver said anything.</summary>
    public uint? RightEdge { get; private set; }

    /// <summary>True when a segment of <paramref name="payloadBytes"/> at <see cref="NextSequence"/> ends inside the advertised window.</summary>
    public bool Fits(int payloadBytes) => RightEdge is uint edge && (int)(edge - (NextSequence + (uint)payloadBytes)) >= 0;

    /// <summary>Takes the window from a segment the receiver sent on this connection; ignores anything else.</summary>
    public void Observe(RawTcpSegment segment)
    {
        if (segment.SourcePort == listener.Port && segment.DestinationPort == sourcePort && segment.Has(RawTcpSegment.Ack))
        {
            RightEdge = segment.Acknowledgment + segment.Window;
        }
    }

    /// <summary>A segment at <see cref="NextSequence"/> with <paramref name="payloadBytes"/> bytes of data.</summary>
    public RawTcpSegment Segment(byte flags, int payloadBytes) => new(
        source, listener.Address, sourcePort, (ushort)listener.Port, NextSequence, Acknowledgment, flags, ushort.MaxValue, payloadBytes);
}
