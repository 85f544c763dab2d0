using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const int O_WRONLY = 0x1;
        internal const int O_RDWR = 0x2;
        internal const int O_CREAT = 0x40;
        internal const int O_APPEND = 0x400;
        internal const int AT_FDCWD = -100;
        internal const int AT_EMPTY_PATH = 0x1000;
        internal const uint STATX_TYPE = 0x1;
        internal const uint STATX_INO = 0x100;
        internal const ushort S_IFMT = 0xF000;
        internal const ushort S_IFDIR = 0x4000;
        internal const ushort S_IFREG = 0x8000;
        internal const uint STATX_SIZE = 0x200;
        internal const int SEEK_CUR = 1;

        [LibraryImport(Libraries.Libc, EntryPoint = "open", SetLastError = true)]
        internal static unsafe partial int open_mode(byte* pathname, int flags, uint mode);

        [LibraryImport(Libraries.Libc, SetLastError = true)]
        internal static unsafe partial nint write(int fd, byte* buf, nuint count);

        [LibraryImport(Libraries.Libc, SetLastError = true)]
        internal static partial int fsync(int fd);

        [LibraryImport(Libraries.Libc, SetLastError = true)]
        internal static partial int ftruncate(int fd, long length);

        [LibraryImport(Libraries.Libc, SetLastError = true)]
        internal static partial long lseek(int fd, long offset, int whence);

        [LibraryImport(Libraries.Libc, SetLastError = true)]
        internal static unsafe partial int statx(int dirfd, byte* pathname, int flags, uint mask, Statx* statxbuf);

        /// <summary>
        /// struct statx (include/uapi/linux/stat.h): the same 256-byte layout on every architecture, unlike struct
        /// stat. Only the leading fields NetDrop reads are named; the rest is padding.
        /// </summary>
        [StructLayout(LayoutKind.Explicit, Size = 256)]
        internal struct Statx // struct statx
        {
            [FieldOffset(0)] public uint stx_mask;
            [FieldOffset(28)] public ushort stx_mode;
            [FieldOffset(32)] public ulong stx_ino;
            [FieldOffset(40)] public ulong stx_size;
            [FieldOffset(136)] public uint stx_dev_major;
            [FieldOffset(140)] public uint stx_dev_minor;
        }
    }
}
