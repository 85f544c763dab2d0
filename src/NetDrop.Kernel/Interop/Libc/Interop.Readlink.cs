using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class Libc
    {
        // PERF: into a caller's buffer on a pre-encoded path, so reading a sysfs link allocates nothing.
        [LibraryImport(Libraries.Libc, SetLastError = true)]
        internal static unsafe partial nint readlink(byte* pathname, byte* buf, nuint bufsiz);
    }
}
