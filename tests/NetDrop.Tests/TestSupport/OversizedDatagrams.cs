using System.Net;
using System.Net.Sockets;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// Sends UDP datagrams too large for the receiving veth end's MTU. veth_xmit() hands each frame to
/// veth_forward_skb() → __dev_forward_skb2() (net/core/dev.c), where <c>__is_skb_forwardable()</c> refuses a frame
/// longer than the receiver's MTU plus its header: <c>dev_core_stats_rx_dropped_inc(dev)</c> counts it in the
/// receiver's rtnl_link_stats64.rx_dropped, exactly one per datagram. The sender's end (MTU large enough) sends each
/// datagram as one frame, so the count the sender witnesses is the count the receiver drops.
/// </summary>
internal static class OversizedDatagrams
{
    /// <summary>Bytes of UDP payload: one frame above a 1500-byte MTU, well below the sender's 9000.</summary>
    public const int PayloadBytes = 3000;

    /// <summary>Sends <paramref name="count"/> datagrams to <paramref name="address"/> (port 9, discard) from inside <paramref name="from"/>.</summary>
    /// <returns>How many datagrams the kernel accepted for sending: each one crosses the veth as one oversized frame.</returns>
    public static int Send(NetworkNamespace from, string address, int count) =>
        from.Run(() =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            var target = new IPEndPoint(IPAddress.Parse(address), 9);
            byte[] payload = new byte[PayloadBytes];
            int sent = 0;
            for (int i = 0; i < count; i++)
            {
                if (socket.SendTo(payload, target) == payload.Length)
                {
                    sent++;
                }
            }

            return sent;
        });
}
