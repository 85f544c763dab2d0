using System.Runtime.InteropServices;
using System.Text;

namespace NetDrop.Kernel;

/// <summary>
/// A log file that only ever holds whole lines. Each line goes out in one <c>write(2)</c> through an <c>O_APPEND</c>
/// descriptor (every write lands at the current end, even after logrotate's <c>copytruncate</c>); a line the kernel
/// took only part of (the disk filled mid-line) is cut off again with <c>ftruncate</c>, and a file that ends in a
/// fragment anyway (a crash, a failed cut) is repaired before the next line, so a line is never torn or glued onto a
/// fragment. The path is checked before every line, so logrotate's rename-and-create (or a removed file) is followed
/// at once. Failures are returned as errno values, never thrown: a full disk is a state of the file, and the caller
/// retries later.
/// </summary>
internal sealed class AppendOnlyFile : IDisposable
{
    private const uint FileMode = 0x1A4; // 0644

    // A torn line longer than this is not one of ours (a row is a few hundred bytes): it is ended, not cut.
    private const int TailWindow = 64 * 1024;

    private readonly byte[] _path; // NUL-terminated UTF-8
    private byte[] _scratch = new byte[4096];
    private int _fd = -1;
    private ulong _inode;
    private uint _deviceMajor;
    private uint _deviceMinor;
    private bool _regular = true;

    // Set when the descriptor was (re)opened or a write failed: the next Refresh checks that the file ends in '\n'.
    private bool _tailSuspect;

    // Set when a fragment at the end could not be cut off: the next line starts with '\n', so the fragment stays a
    // (malformed) line of its own instead of the start of ours.
    private bool _newlineFirst;

    public AppendOnlyFile(string path)
    {
        Path = path;
        _path = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, _path);
    }

    public string Path { get; }

    public bool IsOpen => _fd >= 0;

    /// <summary>Size in bytes of the open file as last seen by <see cref="Refresh"/> and grown by each line since.</summary>
    public long Length { get; private set; }

    /// <summary>
    /// Gets ready to append: opens the path (creating the file) if nothing is open, reopens it if the path now names
    /// another file or none (renamed or removed), and makes sure the file ends with a whole line. Returns 0, or the
    /// errno that prevented it (the caller keeps the line and tries again later).
    /// </summary>
    public unsafe int Refresh()
    {
        if (_fd >= 0)
        {
            int errno = StatPath(out Interop.Libc.Statx atPath);
            if (errno == 0 && atPath.stx_ino == _inode && atPath.stx_dev_major == _deviceMajor && atPath.stx_dev_minor == _deviceMinor)
            {
                if (!_regular)
                {
                    return 0; // a pipe or /dev/null: no size, nothing to repair; Length counts what was written
                }

                Length = (long)atPath.stx_size; // copytruncate empties the file under the descriptor
                return _tailSuspect ? RepairTail() : 0;
            }

            if (errno != 0 && errno != Interop.Errno.ENOENT)
            {
                return errno;
            }

            // Renamed away (logrotate), removed, or its directory removed: rows written to the old descriptor would
            // be lost with it, so only ever write to the file at the path.
            Close();
        }

        fixed (byte* path = _path)
        {
            _fd = Interop.Libc.open_mode(path, Interop.Libc.O_RDWR | Interop.Libc.O_APPEND | Interop.Libc.O_CREAT | Interop.Libc.O_CLOEXEC, FileMode);
        }

        if (_fd < 0)
        {
            return Marshal.GetLastPInvokeError();
        }

        int statErrno = StatDescriptor(out Interop.Libc.Statx stat);
        if (statErrno != 0)
        {
            Close();
            return statErrno;
        }

        _inode = stat.stx_ino;
        _deviceMajor = stat.stx_dev_major;
        _deviceMinor = stat.stx_dev_minor;
        _regular = IsRegularFile(stat);
        Length = _regular ? (long)stat.stx_size : 0;
        _newlineFirst = false;
        _tailSuspect = _regular;
        return _regular ? RepairTail() : 0;
    }

    /// <summary>Whether the open file is a regular file (not a pipe or a device such as <c>/dev/null</c>).</summary>
    public bool IsRegular => _regular;

    /// <summary>
    /// Reads the start of the regular file at the path, without opening it for writing (to check its header before
    /// anything is appended). Returns 0 with <paramref name="read"/> 0 when there is no such file or it is not a
    /// regular file, else 0 or the errno.
    /// </summary>
    public unsafe int ReadHead(Span<byte> destination, out int read)
    {
        read = 0;
        int errno = StatPath(out Interop.Libc.Statx atPath);
        if (errno == Interop.Errno.ENOENT || (errno == 0 && !IsRegularFile(atPath)))
        {
            return 0; // nothing there yet, or a pipe (--csv /dev/stdout) whose read would wait for data
        }

        if (errno != 0)
        {
            return errno;
        }

        int fd;
        fixed (byte* path = _path)
        {
            fd = Interop.Libc.open(path, Interop.Libc.O_RDONLY | Interop.Libc.O_CLOEXEC);
        }

        if (fd < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return errno == Interop.Errno.ENOENT ? 0 : errno;
        }

        nint count;
        fixed (byte* buffer = destination)
        {
            count = Interop.Libc.pread(fd, buffer, (nuint)destination.Length, 0);
        }

        errno = count < 0 ? Marshal.GetLastPInvokeError() : 0;
        _ = Interop.Libc.close(fd);
        read = count < 0 ? 0 : (int)count;
        return errno;
    }

    /// <summary>
    /// Appends one line (it must end with <c>'\n'</c>) in one <c>write(2)</c>. Returns 0, or the errno; after a failure
    /// the file holds nothing of this line (or, if even cutting it off failed, the next line starts on a new line).
    /// Call <see cref="Refresh"/> first.
    /// </summary>
    public unsafe int AppendLine(ReadOnlySpan<byte> line)
    {
        if (_fd < 0)
        {
            throw new InvalidOperationException("AppendLine before a successful Refresh");
        }

        ReadOnlySpan<byte> bytes = line;
        if (_newlineFirst)
        {
            if (_scratch.Length < line.Length + 1)
            {
                _scratch = new byte[line.Length + 1];
            }

            _scratch[0] = (byte)'\n';
            line.CopyTo(_scratch.AsSpan(1));
            bytes = _scratch.AsSpan(0, line.Length + 1);
        }

        int done = 0;
        while (done < bytes.Length)
        {
            nint written;
            fixed (byte* buffer = bytes)
            {
                written = Interop.Libc.write(_fd, buffer + done, (nuint)(bytes.Length - done));
            }

            if (written <= 0)
            {
                int errno = written < 0 ? Marshal.GetLastPInvokeError() : Interop.Errno.EIO;
                if (errno == Interop.Errno.EINTR)
                {
                    continue;
                }

                Undo(done);
                return errno;
            }

            // A short write (the disk filled mid-line, or a signal): the rest follows at once, contiguous, because
            // nothing else appends to this file. If the rest fails, Undo cuts the whole line off again.
            done += (int)written;
        }

        _newlineFirst = false;
        Length += bytes.Length;
        return 0;
    }

    /// <summary><c>fsync(2)</c>: the lines written are on the disk, not only in the page cache. Returns 0 or errno.</summary>
    public int Sync() => _fd < 0 || Interop.Libc.fsync(_fd) == 0 ? 0 : Marshal.GetLastPInvokeError();

    public void Close()
    {
        if (_fd >= 0)
        {
            _ = Interop.Libc.close(_fd);
            _fd = -1;
        }
    }

    public void Dispose() => Close();

    // The line did not go out whole: cut off what did, back to where the line started. With O_APPEND the file offset
    // is the end of our own bytes after a write, so the line started `done` bytes before it.
    private void Undo(int done)
    {
        _tailSuspect = true;
        if (done == 0)
        {
            return;
        }

        long end = Interop.Libc.lseek(_fd, 0, Interop.Libc.SEEK_CUR);
        if (end >= done && Interop.Libc.ftruncate(_fd, end - done) == 0)
        {
            return;
        }

        _newlineFirst = true; // a read-only remount mid-line: Refresh tries the cut again, else the next line ends it
    }

    /// <summary>
    /// Makes the file end with a whole line: a fragment after the last <c>'\n'</c> (a line torn by a crash or a failed
    /// cut) is truncated away; if it cannot be, the next line starts with <c>'\n'</c>.
    /// </summary>
    private unsafe int RepairTail()
    {
        int errno = StatDescriptor(out Interop.Libc.Statx stat);
        if (errno != 0)
        {
            return errno;
        }

        long size = (long)stat.stx_size;
        Length = size;
        long end = size;
        long searchedTo = Math.Max(0, size - TailWindow);
        while (end > searchedTo)
        {
            int chunk = (int)Math.Min(_scratch.Length, end - searchedTo);
            nint read;
            fixed (byte* buffer = _scratch)
            {
                read = Interop.Libc.pread(_fd, buffer, (nuint)chunk, end - chunk);
            }

            if (read < 0)
            {
                return Marshal.GetLastPInvokeError();
            }

            if (read < chunk)
            {
                return 0; // the file shrank meanwhile (copytruncate): still suspect, look again next time
            }

            int newline = _scratch.AsSpan(0, chunk).LastIndexOf((byte)'\n');
            if (newline >= 0)
            {
                long lineEnd = end - chunk + newline + 1;
                return Cut(lineEnd, size);
            }

            end -= chunk;
        }

        // No newline at all: the whole file is one fragment (a torn header) when it is short enough to be ours.
        return size == 0 ? Done() : size <= TailWindow ? Cut(0, size) : EndFragment();
    }

    private int Cut(long lineEnd, long size)
    {
        if (lineEnd == size)
        {
            return Done();
        }

        if (Interop.Libc.ftruncate(_fd, lineEnd) != 0)
        {
            return EndFragment();
        }

        Length = lineEnd;
        return Done();
    }

    private int EndFragment()
    {
        _newlineFirst = true;
        _tailSuspect = false;
        return 0;
    }

    private int Done()
    {
        _newlineFirst = false;
        _tailSuspect = false;
        return 0;
    }

    private static bool IsRegularFile(in Interop.Libc.Statx stat) => (stat.stx_mode & Interop.Libc.S_IFMT) == Interop.Libc.S_IFREG;

    private unsafe int StatPath(out Interop.Libc.Statx stat)
    {
        Interop.Libc.Statx result;
        int status;
        fixed (byte* path = _path)
        {
            status = Interop.Libc.statx(Interop.Libc.AT_FDCWD, path, 0, Interop.Libc.STATX_TYPE | Interop.Libc.STATX_INO | Interop.Libc.STATX_SIZE, &result);
        }

        stat = result;
        return status == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    private unsafe int StatDescriptor(out Interop.Libc.Statx stat)
    {
        Interop.Libc.Statx result;
        byte empty = 0;
        int status = Interop.Libc.statx(_fd, &empty, Interop.Libc.AT_EMPTY_PATH, Interop.Libc.STATX_TYPE | Interop.Libc.STATX_INO | Interop.Libc.STATX_SIZE, &result);
        stat = result;
        return status == 0 ? 0 : Marshal.GetLastPInvokeError();
    }
}
