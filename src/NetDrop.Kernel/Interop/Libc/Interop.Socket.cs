using System.Runtime.InteropServices;
using NetDrop.Kernel.SafeHandles;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const int AF_INET = 2;
        internal const int AF_NETLINK = 16;
        internal const int SOCK_DGRAM = 2;
        internal const int SOCK_RAW = 3;
        internal const int SOCK_CLOEXEC = 0x80000;
        internal const int SOL_SOCKET = 1;
        internal const int SO_RCVBUF = 8;
        internal const int SO_RCVTIMEO = 20; // struct timeval on 64-bit (SO_RCVTIMEO_OLD)
        internal const int MSG_PEEK = 0x2;
        internal const int MSG_TRUNC = 0x20;
        internal const int MSG_DONTWAIT = 0x40;

        [LibraryImport(Libraries.Libc, SetLastError = true)]
        internal static partial SafeFdHandle socket(int domain, int type, int protocol);

        [LibraryImport(Libraries.Libc, SetLastError = true)]
        internal static unsafe partial int bind(SafeFdHandle sockfd, void* addr, uint addrlen);

        [LibraryImport(Libraries.Libc, SetLastError = true)]
        internal static unsafe partial int setsockopt(SafeFdHandle sockfd, int level, int optname, void* optval, uint optlen);

        [LibraryImport(Libraries.Libc, SetLastError = true)]
        internal static unsafe partial nint send(SafeFdHandle sockfd, void* buf, nuint len, int flags);

        [LibraryImport(Libraries.Libc, SetLastError = true)]
        internal static unsafe partial nint recv(SafeFdHandle sockfd, void* buf, nuint len, int flags);
    }
}
