using System.Runtime.InteropServices;
using NetDrop.Kernel.SafeHandles;

// The imports keep the kernel's spelling (setns, sockaddr_ll fields, PACKET_QDISC_BYPASS) so they can be grepped
// against include/uapi/linux/*.h; the naming rules that allow this are scoped to src/NetDrop.Kernel/Interop/ only.
#pragma warning disable IDE1006

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// Test-only libc imports: entering a network namespace on one thread (setns(2)), sending raw frames through an
/// AF_PACKET socket (packet(7)), which .NET's <c>Socket</c> cannot address by interface index, and reading a file
/// without the advisory flock(2) that .NET's FileStream takes (the monitor may hold its CSV locked).
/// </summary>
internal static partial class NamespaceInterop
{
    internal const int O_RDONLY = 0;
    internal const int O_CLOEXEC = 0x80000;

    internal const int CLONE_NEWNET = 0x40000000; // include/uapi/linux/sched.h

    internal const int AF_PACKET = 17;
    internal const int SOCK_RAW = 3;
    internal const int SOCK_CLOEXEC = 0x80000;
    internal const int SOL_PACKET = 263; // include/linux/socket.h
    internal const int PACKET_QDISC_BYPASS = 20; // include/uapi/linux/if_packet.h
    internal const ushort ETH_P_IP = 0x0800; // include/uapi/linux/if_ether.h

    internal const int ENOBUFS = 105;

    /// <summary>struct sockaddr_ll (include/uapi/linux/if_packet.h), 20 bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct SockaddrLl // struct sockaddr_ll
    {
        public ushort sll_family;
        public ushort sll_protocol; // network byte order
        public int sll_ifindex;
        public ushort sll_hatype;
        public byte sll_pkttype;
        public byte sll_halen;
        public fixed byte sll_addr[8];
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial SafeFdHandle open(string pathname, int flags);

    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial nint read(SafeFdHandle fd, byte* buf, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int setns(SafeFdHandle fd, int nstype);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial SafeFdHandle socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int setsockopt(SafeFdHandle sockfd, int level, int optname, void* optval, uint optlen);

    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial nint sendto(SafeFdHandle sockfd, void* buf, nuint len, int flags, void* dest_addr, uint addrlen);

    /// <summary>Resolves a name in the calling thread's network namespace (it asks the kernel through a socket).</summary>
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial uint if_nametoindex(string ifname);
}
