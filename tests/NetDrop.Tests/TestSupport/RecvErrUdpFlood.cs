using System.Net;
using System.Net.Sockets;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// Floods UDP datagrams through a dropping egress qdisc and counts every drop the sender is told about. With
/// IP_RECVERR set, udp_send_skb() (net/ipv4/udp.c) returns ip_send_skb()'s error instead of swallowing it: a qdisc
/// that drops on enqueue makes dev_queue_xmit() return NET_XMIT_DROP, which net_xmit_errno() turns into -ENOBUFS, so
/// each refused send is one packet the qdisc (or its child) dropped.
/// </summary>
internal static class RecvErrUdpFlood
{
    private const int SOL_IP = 0;      // IPPROTO_IP
    private const int IP_RECVERR = 11; // include/uapi/linux/in.h
    private static readonly TimeSpan s_timeLimit = TimeSpan.FromSeconds(20);

    /// <summary>Sends <paramref name="datagrams"/> 1000-byte datagrams to <paramref name="address"/> from inside <paramref name="from"/>.</summary>
    /// <returns>How many sends failed with ENOBUFS: the qdisc's drops.</returns>
    public static int Send(NetworkNamespace from, string address, int datagrams) =>
        from.Run(() =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            // NOTE: raw, not SetSocketOption: .NET translates SocketOptionName values, and 11 there is a different option.
            socket.SetRawSocketOption(SOL_IP, IP_RECVERR, BitConverter.GetBytes(1));
            var target = new IPEndPoint(IPAddress.Parse(address), 9);
            byte[] payload = new byte[1000];
            int refused = 0;
            DateTime deadline = DateTime.UtcNow + s_timeLimit;
            for (int i = 0; i < datagrams && DateTime.UtcNow < deadline; i++)
            {
                try
                {
                    socket.SendTo(payload, target);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.NoBufferSpaceAvailable)
                {
                    refused++;
                }
            }

            return refused;
        });
}
