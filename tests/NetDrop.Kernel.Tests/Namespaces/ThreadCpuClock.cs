using System.Runtime.InteropServices;

namespace NetDrop.Kernel.Tests.Namespaces;

/// <summary>
/// CPU time of the calling thread, user plus kernel (<c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>): on this loaded
/// machine it does not grow while other processes hold the cores, and it includes the kernel's formatting of the
/// /proc files inside our reads (the same clock as bench/NetDrop.Benchmarks' ThreadCpuClock).
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int CLOCK_THREAD_CPUTIME_ID = 3; // include/uapi/linux/time.h

    public static unsafe long Nanoseconds()
    {
        Timespec now;
        if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed: errno " + Marshal.GetLastPInvokeError());
        }

        return (now.tv_sec * 1_000_000_000L) + now.tv_nsec;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int clock_gettime(int clockid, Timespec* tp);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec // struct timespec
    {
        public long tv_sec;
        public long tv_nsec;
    }
}
