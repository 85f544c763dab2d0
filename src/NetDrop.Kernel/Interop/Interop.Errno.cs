internal static partial class Interop
{
    /// <summary>
    /// The errno values NetDrop interprets. x86_64 and arm64 share the generic numbering (asm-generic/errno-base.h,
    /// asm-generic/errno.h), so one table serves both.
    /// </summary>
    internal static class Errno
    {
        internal const int EPERM = 1;
        internal const int ENOENT = 2;
        internal const int EINTR = 4;
        internal const int EIO = 5;
        internal const int EBADF = 9;
        internal const int EAGAIN = 11;
        internal const int EACCES = 13;
        internal const int ENODEV = 19;
        internal const int ENOTDIR = 20;
        internal const int EISDIR = 21;
        internal const int EINVAL = 22;
        internal const int EFBIG = 27;
        internal const int ENOSPC = 28;
        internal const int EROFS = 30;
        internal const int ENAMETOOLONG = 36;
        internal const int ELOOP = 40;

        /// <summary>
        /// "Bad message": no syscall here returns it; NetDrop reports it for a kernel file whose text is not the
        /// kernel's format (a cut-off line, CRLF, a NUL, a number out of range), so the failure reads as what it is.
        /// </summary>
        internal const int EBADMSG = 74;
        internal const int EOPNOTSUPP = 95;
        internal const int ENOBUFS = 105;

        /// <summary>Errors worth retrying at once: the call was interrupted or the kernel asked to restart a dump.</summary>
        internal static bool IsTransient(int errno) => errno is EINTR or EAGAIN or ENOBUFS;
    }
}
