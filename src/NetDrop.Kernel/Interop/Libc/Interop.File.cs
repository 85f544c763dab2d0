using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const int O_RDONLY = 0;
        internal const int O_CLOEXEC = 0x80000;

        // PERF: open/read/close on a pre-encoded path allocate nothing, unlike File.OpenHandle (a SafeFileHandle per call).
        [LibraryImport(Libraries.Libc, SetLastError = true)]
        internal static unsafe partial int open(byte* pathname, int flags);

        [LibraryImport(Libraries.Libc, SetLastError = true)]
        internal static unsafe partial nint read(int fd, byte* buf, nuint count);

        [LibraryImport(Libraries.Libc, SetLastError = true)]
        internal static partial int close(int fd);
    }
}
