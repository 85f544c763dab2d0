using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using NetDrop.Kernel.SafeHandles;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// Sends whole, hand-built Ethernet frames out of one interface through an AF_PACKET socket (packet(7)), so a test can
/// put on the wire what no socket API would send: a spoofed or malformed IPv4 header, a lone fragment, an ethertype
/// nobody handles. Runs on the calling thread, which must be inside the interface's namespace.
/// </summary>
internal static class PacketSender
{
    private const int EthernetHeaderBytes = 14;
    private static readonly TimeSpan s_loopTimeLimit = TimeSpan.FromSeconds(20);

    /// <summary>Parses <c>aa:bb:cc:dd:ee:ff</c>.</summary>
    public static byte[] ParseMac(string mac) =>
        [.. mac.Split(':').Select(part => byte.Parse(part, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture))];

    /// <summary>An Ethernet frame: destination, source, ethertype, then <paramref name="payload"/>.</summary>
    public static byte[] Frame(byte[] destination, byte[] source, ushort etherType, ReadOnlySpan<byte> payload)
    {
        byte[] frame = new byte[EthernetHeaderBytes + payload.Length];
        destination.CopyTo(frame, 0);
        source.CopyTo(frame, 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), etherType);
        payload.CopyTo(frame.AsSpan(EthernetHeaderBytes));
        return frame;
    }

    /// <summary>
    /// Sends each frame once. Returns how many the kernel accepted; a veth hands an accepted frame to its peer's
    /// receive path (veth_xmit), so the receiver sees exactly these.
    /// </summary>
    public static unsafe int Send(string interfaceName, IReadOnlyList<byte[]> frames)
    {
        uint interfaceIndex = NamespaceInterop.if_nametoindex(interfaceName);
        if (interfaceIndex == 0)
        {
            throw new InvalidOperationException($"if_nametoindex({interfaceName}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        // Protocol 0: a send-only socket, bound to no ethertype, that receives nothing.
        using SafeFdHandle socket = NamespaceInterop.socket(NamespaceInterop.AF_PACKET, NamespaceInterop.SOCK_RAW | NamespaceInterop.SOCK_CLOEXEC, 0);
        if (socket.IsInvalid)
        {
            throw new InvalidOperationException($"socket(AF_PACKET) failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        int accepted = 0;
        var clock = Stopwatch.StartNew();
        foreach (byte[] frame in frames)
        {
            if (clock.Elapsed > s_loopTimeLimit)
            {
                throw new TimeoutException($"Sending {frames.Count} frames took longer than {s_loopTimeLimit}.");
            }

            var address = new NamespaceInterop.SockaddrLl
            {
                sll_family = NamespaceInterop.AF_PACKET,
                sll_protocol = (ushort)IPAddress.HostToNetworkOrder((short)BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12))),
                sll_ifindex = (int)interfaceIndex,
                sll_halen = 6,
            };
            for (int i = 0; i < 6; i++)
            {
                address.sll_addr[i] = frame[i];
            }

            fixed (byte* data = frame)
            {
                nint sent = NamespaceInterop.sendto(socket, data, (nuint)frame.Length, 0, &address, (uint)sizeof(NamespaceInterop.SockaddrLl));
                if (sent < 0)
                {
                    throw new InvalidOperationException($"sendto(AF_PACKET, {interfaceName}) failed with errno {Marshal.GetLastPInvokeError()}.");
                }
            }

            accepted++;
        }

        return accepted;
    }
}
