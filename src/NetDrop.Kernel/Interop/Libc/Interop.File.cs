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

        // statx(2) for the file type only. Interop.Write.cs declares statx for the CSV's inode and size; this separate
        // import reads into its own view of struct statx so the two callers need not share one struct.
        [LibraryImport(Libraries.Libc, EntryPoint = "statx", SetLastError = true)]
        internal static unsafe partial int statx_type(int dirfd, byte* pathname, int flags, uint mask, StatxType* statxbuf);

        internal const uint STATX_TYPE = 0x1;      // include/uapi/linux/stat.h: only stx_mode's file type is wanted
        internal const int S_IFMT = 0xF000;        // 0170000
        internal const int S_IFDIR = 0x4000;       // 0040000
        internal const int S_IFREG = 0x8000;       // 0100000

        /// <summary>
        /// struct statx (include/uapi/linux/stat.h), 256 bytes on every architecture; only <c>stx_mode</c> is read,
        /// after stx_mask, stx_blksize, stx_attributes, stx_nlink, stx_uid and stx_gid.
        /// </summary>
        [StructLayout(LayoutKind.Explicit, Size = 256)]
        internal struct StatxType // struct statx
        {
            [FieldOffset(28)] public ushort stx_mode;
        }

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
