using System.Runtime.InteropServices;
using System.Text;

namespace NetDrop.Kernel;

/// <summary>
/// A log file opened with <c>O_APPEND</c>, so every write lands at the current end even after logrotate's
/// <c>copytruncate</c> (FileMode.Append in .NET only seeks once, and would leave a hole of NULs). It also notices
/// logrotate's rename-and-create and reopens the path, and tells the caller when the file is new or was emptied
/// so a header can be written again.
/// </summary>
internal sealed class AppendOnlyFile : IDisposable
{
    private const uint FileMode = 0x1A4; // 0644

    private readonly byte[] _path; // NUL-terminated UTF-8
    private int _fd = -1;
    private ulong _inode;
    private uint _deviceMajor;
    private uint _deviceMinor;

    public AppendOnlyFile(string path)
    {
        Path = path;
        _path = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, _path);
    }

    public string Path { get; }

    /// <summary>The open file's current size in bytes (0 when not open).</summary>
    public long Length => _fd >= 0 ? (long)StatDescriptor().stx_size : 0;

    /// <summary>
    /// Opens the file (creating it), or reopens it if it was renamed or removed since. Returns whether the file is
    /// empty, i.e. needs its header. Throws <see cref="KernelSourceException"/> if it cannot be opened.
    /// </summary>
    public unsafe bool EnsureOpen()
    {
        if (_fd >= 0 && !IsStillAtPath())
        {
            Close();
        }

        if (_fd < 0)
        {
            fixed (byte* path = _path)
            {
                _fd = Interop.Libc.open_mode(path, Interop.Libc.O_WRONLY | Interop.Libc.O_APPEND | Interop.Libc.O_CREAT | Interop.Libc.O_CLOEXEC, FileMode);
            }

            if (_fd < 0)
            {
                throw new KernelSourceException("open " + Path, Marshal.GetLastPInvokeError());
            }

            Interop.Libc.Statx stat = StatDescriptor();
            _inode = stat.stx_ino;
            _deviceMajor = stat.stx_dev_major;
            _deviceMinor = stat.stx_dev_minor;
        }

        return StatDescriptor().stx_size == 0;
    }

    /// <summary>Writes all bytes at the end of the file.</summary>
    public unsafe void Write(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            nint written;
            fixed (byte* buffer = bytes)
            {
                written = Interop.Libc.write(_fd, buffer, (nuint)bytes.Length);
            }

            if (written < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Interop.Errno.EINTR)
                {
                    continue;
                }

                throw new KernelSourceException("write " + Path, errno);
            }

            bytes = bytes[(int)written..];
        }
    }

    public void Flush()
    {
        if (_fd >= 0)
        {
            _ = Interop.Libc.fsync(_fd);
        }
    }

    public void Dispose() => Close();

    private void Close()
    {
        if (_fd >= 0)
        {
            _ = Interop.Libc.close(_fd);
            _fd = -1;
        }
    }

    private unsafe bool IsStillAtPath()
    {
        Interop.Libc.Statx stat;
        int result;
        fixed (byte* path = _path)
        {
            result = Interop.Libc.statx(Interop.Libc.AT_FDCWD, path, 0, Interop.Libc.STATX_INO, &stat);
        }

        return result == 0 && stat.stx_ino == _inode && stat.stx_dev_major == _deviceMajor && stat.stx_dev_minor == _deviceMinor;
    }

    private unsafe Interop.Libc.Statx StatDescriptor()
    {
        Interop.Libc.Statx stat;
        byte empty = 0;
        if (Interop.Libc.statx(_fd, &empty, Interop.Libc.AT_EMPTY_PATH, Interop.Libc.STATX_INO | Interop.Libc.STATX_SIZE, &stat) != 0)
        {
            throw new KernelSourceException("statx " + Path, Marshal.GetLastPInvokeError());
        }

        return stat;
    }
}
