using System.Runtime.InteropServices;
using NetDrop.Kernel.SafeHandles;

internal static partial class Interop
{
    internal static partial class Libc
    {
        // NOTE: ioctl(2) is variadic: int ioctl(int fd, unsigned long request, ...). On the Linux x86_64 and arm64 ABIs a
        // variadic argument is passed exactly like a fixed one, so the tail is declared as one pointer-width argument
        // (as Tmds.LibC's ioctl does). `request` is unsigned long in glibc, hence nuint.
        [LibraryImport(Libraries.Libc, SetLastError = true)]
        internal static unsafe partial int ioctl(SafeFdHandle fd, nuint request, void* arg);
    }
}
