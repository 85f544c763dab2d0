using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const int O_RDONLY = 0;
        internal const int O_NOCTTY = 0x100;   // 0400: a terminal is never made our controlling tty
        internal const int O_NONBLOCK = 0x800; // 04000: a FIFO opens at once instead of waiting for a writer
        internal const int O_CLOEXEC = 0x80000;

        // PERF: open/read/close on a pre-encoded path allocate nothing, unlike File.OpenHandle (a SafeFileHandle per call).
        [LibraryImport(Libraries.Libc, SetLastError = true)]
        internal static unsafe partial int open(byte* pathname, int flags);

        [LibraryImport(Libraries.Libc, SetLastError = true)]
        internal static unsafe partial nint read(int fd, byte* buf, nuint count);

        [LibraryImport(Libraries.Libc, SetLastError = true)]
        internal static partial int close(int fd);

        // pread64: a 64-bit offset whatever the platform's off_t (glibc aliases it to pread on 64-bit).
        [LibraryImport(Libraries.Libc, EntryPoint = "pread64", SetLastError = true)]
        internal static unsafe partial nint pread(int fd, byte* buf, nuint count, long offset);

        [LibraryImport(Libraries.Libc, SetLastError = true)]
        internal static unsafe partial int fstatfs(int fd, StatFs* buf);

        internal const long PROC_SUPER_MAGIC = 0x9fa0; // include/uapi/linux/magic.h

        /// <summary>
        /// struct statfs (man 2 statfs): only <c>f_type</c>, its first field on every architecture, is read; the
        /// struct is 120 bytes on x86_64 and arm64, and the padding leaves room for any other layout.
        /// </summary>
        [StructLayout(LayoutKind.Explicit, Size = 256)]
        internal struct StatFs // struct statfs
        {
            [FieldOffset(0)] public nint f_type;
        }
    }
}
