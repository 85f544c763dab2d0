using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class Libc
    {
        // NOTE: lchown, not chown: preparing a host directory as root must never follow a symbolic link planted in
        // it to re-own something elsewhere on the node. uid_t and gid_t are 32-bit unsigned on every Linux ABI.
        [LibraryImport(Libraries.Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int lchown(string pathname, uint owner, uint group);
    }
}
