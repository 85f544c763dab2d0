using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace NetDrop.Kernel.Tests.TestSupport;

/// <summary>
/// Bounded UDP traffic for qdisc tests: at most <c>count</c> datagrams and at most <c>limit</c> of wall time. Call it
/// on a thread inside a test namespace (<see cref="NetworkNamespace.Run{T}"/>) and only towards addresses in it.
/// </summary>
internal static class UdpFlood
{
    /// <summary>Sends up to <paramref name="count"/> datagrams of <paramref name="size"/> bytes; returns how many were sent.</summary>
    public static int Send(IPAddress destination, int count, int size, TimeSpan limit)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var endpoint = new IPEndPoint(destination, 9); // discard
        byte[] payload = new byte[size];
        var clock = Stopwatch.StartNew();
        int sent = 0;
        while (sent < count && clock.Elapsed < limit)
        {
            // A qdisc drop is not an error for UDP without IP_RECVERR (udp_send_skb counts it as SndbufErrors).
            socket.SendTo(payload, endpoint);
            sent++;
        }

        return sent;
    }
}
