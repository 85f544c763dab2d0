using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// Floods UDP datagrams through a dropping egress qdisc and counts every drop the sender is told about. With
/// IP_RECVERR set, udp_send_skb() (net/ipv4/udp.c) returns ip_send_skb()'s error instead of swallowing it: a qdisc
/// that drops on enqueue makes dev_queue_xmit() return NET_XMIT_DROP, which net_xmit_errno() turns into -ENOBUFS, so
/// each refused send is one packet the qdisc (or its child) dropped. Nothing may answer with ICMP port unreachable
/// (a bound socket, or a neighbour nobody owns), or IP_RECVERR turns it into a later send's error.
/// </summary>
internal static class RecvErrUdpFlood
{
    private const int SOL_IP = 0;      // IPPROTO_IP
    private const int IP_RECVERR = 11; // include/uapi/linux/in.h
    private static readonly TimeSpan s_timeLimit = TimeSpan.FromSeconds(20);

    /// <summary>Sends <paramref name="datagrams"/> datagrams to <paramref name="address"/>, port 9, from inside <paramref name="from"/>.</summary>
    /// <returns>How many sends failed with ENOBUFS: the qdisc's drops.</returns>
    public static int Send(NetworkNamespace from, string address, int datagrams) =>
        Send(from, new IPEndPoint(IPAddress.Parse(address), 9), datagrams);

    /// <summary>Sends <paramref name="datagrams"/> datagrams to <paramref name="target"/> from inside <paramref name="from"/>.</summary>
    /// <returns>How many sends failed with ENOBUFS: the qdisc's drops.</returns>
    public static int Send(NetworkNamespace from, IPEndPoint target, int datagrams, int payloadBytes = 1000) =>
        from.Run(() =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

            // NOTE: raw, not SetSocketOption: .NET translates SocketOptionName values, and 11 there is a different option.
            socket.SetRawSocketOption(SOL_IP, IP_RECVERR, BitConverter.GetBytes(1));
            byte[] payload = new byte[payloadBytes];
            int refused = 0;
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < datagrams; i++)
            {
                if (clock.Elapsed > s_timeLimit)
                {
                    throw new TimeoutException($"{i} of {datagrams} datagrams sent in {s_timeLimit}: the flood loop is bounded.");
                }

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
