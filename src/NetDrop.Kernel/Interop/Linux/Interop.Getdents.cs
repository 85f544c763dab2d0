using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>Offset of <c>d_reclen</c> in struct linux_dirent64 (include/linux/dirent.h): after u64 d_ino, s64 d_off.</summary>
        internal const int DIRENT64_RECLEN_OFFSET = 16;

        /// <summary>Offset of <c>d_name</c>, the NUL-terminated name: after u16 d_reclen and u8 d_type.</summary>
        internal const int DIRENT64_NAME_OFFSET = 19;

        // PERF: one syscall fills a caller's buffer with many entries and allocates nothing, unlike Directory
        // enumeration (a string per entry). glibc 2.30+ exports the wrapper.
        [LibraryImport(Libraries.Libc, SetLastError = true)]
        internal static unsafe partial nint getdents64(int fd, byte* dirp, nuint count);
    }
}
