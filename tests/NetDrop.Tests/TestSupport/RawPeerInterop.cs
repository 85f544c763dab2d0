using System.Runtime.InteropServices;
using NetDrop.Kernel.SafeHandles;

// Kernel spelling, as in NamespaceInterop, so the imports can be grepped against the uapi headers.
#pragma warning disable IDE1006

namespace NetDrop.Tests.TestSupport;

/// <summary>The libc imports the raw TCP peer needs beyond <see cref="NamespaceInterop"/>'s: a receiving AF_PACKET socket, CPU pinning.</summary>
internal static partial class RawPeerInterop
{
    internal const int SOCK_DGRAM = 2;
    internal const int SOL_SOCKET = 1;
    internal const int SO_RCVTIMEO = 20; // include/uapi/asm-generic/socket.h (SO_RCVTIMEO_OLD on 64-bit)
    internal const int EAGAIN = 11;
    internal const int MSG_DONTWAIT = 0x40;

    /// <summary>struct timeval on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Timeval
    {
        public long tv_sec;
        public long tv_usec;
    }

    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int bind(SafeFdHandle sockfd, void* addr, uint addrlen);

    /// <summary>pid 0 is the calling thread; the mask is a bit per CPU (cpu_set_t).</summary>
    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int sched_setaffinity(int pid, nuint cpusetsize, ulong* mask);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int sched_getcpu();

    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial nint recv(SafeFdHandle sockfd, byte* buf, nuint len, int flags);
}
