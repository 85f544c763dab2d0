using System.Runtime.InteropServices;

namespace NetDrop.Kernel.SafeHandles;

/// <summary>A file descriptor (socket or file) closed exactly once, even when a reader is abandoned.</summary>
internal sealed class SafeFdHandle : SafeHandle
{
    public SafeFdHandle()
        : base(invalidHandleValue: -1, ownsHandle: true)
    {
    }

    /// <summary>Takes ownership of a descriptor obtained as a plain int (e.g. from <c>open</c>).</summary>
    public SafeFdHandle(int fd)
        : this()
    {
        SetHandle(fd);
    }

    public override bool IsInvalid => handle < 0;

    protected override bool ReleaseHandle() => Interop.Libc.close((int)handle) == 0;
}
