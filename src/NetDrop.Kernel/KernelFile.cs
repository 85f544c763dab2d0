using System.Runtime.InteropServices;
using System.Text;

namespace NetDrop.Kernel;

/// <summary>
/// One procfs or sysfs file, read whole into a buffer it owns: open, read until EOF, close — the same three
/// syscalls <c>cat</c> makes, and nothing allocated once the buffer has grown to fit.
/// </summary>
/// <remarks>
/// NOTE: the fd is not kept open between samples. <c>/proc/net/*</c> resolves through <c>/proc/self/net</c> at open
/// time, and a sysfs attribute of a re-created interface is a new file; reopening always reads the current object.
/// </remarks>
internal sealed class KernelFile
{
    private readonly byte[] _path; // NUL-terminated UTF-8
    private byte[] _buffer;

    public KernelFile(string path, int initialCapacity = 4096)
    {
        Path = path;
        _path = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, _path);
        _buffer = new byte[initialCapacity];
    }

    public string Path { get; }

    /// <summary>Reads the whole file. Returns false with the errno when it cannot be opened or read.</summary>
    public unsafe bool TryRead(out ReadOnlySpan<byte> content, out int errno)
    {
        content = default;
        int fd;
        fixed (byte* path = _path)
        {
            fd = Interop.Libc.open(path, Interop.Libc.O_RDONLY | Interop.Libc.O_CLOEXEC);
        }

        if (fd < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return false;
        }

        try
        {
            int length = 0;
            while (true)
            {
                if (length == _buffer.Length)
                {
                    // A procfs file grows with CPUs and kernel versions; keep the larger buffer for next time.
                    Array.Resize(ref _buffer, _buffer.Length * 2);
                }

                nint n;
                fixed (byte* buffer = &_buffer[length])
                {
                    n = Interop.Libc.read(fd, buffer, (nuint)(_buffer.Length - length));
                }

                if (n < 0)
                {
                    errno = Marshal.GetLastPInvokeError();
                    if (errno == Interop.Errno.EINTR)
                    {
                        continue;
                    }

                    return false;
                }

                if (n == 0)
                {
                    break;
                }

                length += (int)n;
            }

            content = _buffer.AsSpan(0, length);
            errno = 0;
            return true;
        }
        finally
        {
            _ = Interop.Libc.close(fd);
        }
    }

    /// <summary>Reads the whole file or throws <see cref="KernelSourceException"/> naming it.</summary>
    public ReadOnlySpan<byte> Read()
    {
        if (!TryRead(out ReadOnlySpan<byte> content, out int errno))
        {
            throw new KernelSourceException("read " + Path, errno);
        }

        return content;
    }
}
