using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text;
using NetDrop.Kernel.SafeHandles;

namespace NetDrop.Kernel;

/// <summary>
/// One procfs or sysfs file, read whole into a buffer it owns: open, read until EOF, close — the same three
/// syscalls <c>cat</c> makes, and nothing allocated once the buffer has grown to fit.
/// </summary>
/// <remarks>
/// <para>
/// NOTE: sysfs and regular files (fixtures) are opened afresh for every read: a sysfs attribute of a re-created
/// interface is a new file, and reopening always reads the current object.
/// </para>
/// <para>
/// PERF: a procfs file (<c>statfs</c> type <c>PROC_SUPER_MAGIC</c>) keeps its descriptor after the first read and is
/// read again with <c>pread</c> from offset 0, which restarts its seq_file (fs/seq_file.c: <c>traverse()</c> with
/// offset 0 just resets the iterator). That skips the path walk through <c>/proc/self/net</c>, and the seq_file keeps
/// the buffer it has grown: <c>/proc/net/netstat</c> (4,097 bytes on 6.18) would otherwise overflow a fresh 4 KiB
/// seq buffer and be formatted twice on every read (<c>seq_read_iter</c> retries with a doubled buffer). Measured on
/// this project's 2-vCPU VM: netstat 86 → 32 µs CPU, the four <c>/proc/net</c> files of a sample 152 → 72 µs. The
/// file keeps reading the network namespace it was opened in; the agent never changes its own after start.
/// </para>
/// <para>
/// NOTE: only a regular file is read (procfs and sysfs files are regular: <c>S_IFREG</c>). It is opened with
/// <c>O_NONBLOCK</c>, so a FIFO where a kernel file should be opens at once instead of blocking <c>open()</c> until a
/// writer comes (sampling and SIGTERM would wait forever), and then refused after <c>statx</c>, as is a device such
/// as <c>/dev/zero</c> (which would never reach EOF). A file larger than its bound is refused with <c>EFBIG</c>.
/// PERF: the type is checked on the first successful open only (a sysfs reader opens 25 files per interface per
/// sample; a statx on each cost 12% of it). Something swapped in later is still harmless: a FIFO opens non-blocking
/// and reads empty (which no parser takes for a counter), and a device is cut off at the bound.
/// </para>
/// </remarks>
[SuppressMessage("Reliability", "CA1001:Types that own disposable fields should be disposable",
    Justification = "The kept descriptor is a SafeHandle, closed by its finalizer when a reader is dropped; readers live as long as the sampler, and making every reader disposable would ripple through every source for no gain.")]
internal sealed class KernelFile
{
    private readonly byte[] _path; // NUL-terminated UTF-8
    private readonly int _maxLength;
    private byte[] _buffer;
    private int _lastLength; // bytes of the last successful read
    private SafeFdHandle? _kept; // the open procfs descriptor, re-read with pread; null for other files
    private bool _fileSystemChecked;
    private bool _typeChecked;
    private bool _keepOpen;
    private bool _closed;

    /// <summary>The default bound on a kernel file: softnet_stat of 8,192 CPUs is 1.2 MB; 16 MiB is not a kernel file.</summary>
    public const int DefaultMaxLength = 16 * 1024 * 1024;

    public KernelFile(string path, int initialCapacity = 4096, int maxLength = DefaultMaxLength)
    {
        Path = path;
        _maxLength = maxLength;
        _path = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, _path);
        _buffer = new byte[initialCapacity];
    }

    public string Path { get; }

    /// <summary>
    /// Reads the whole file. Returns false with the errno when it cannot be opened or read, <c>EISDIR</c> for a
    /// directory, <c>EINVAL</c> for anything else that is not a regular file (FIFO, device, socket), and <c>EFBIG</c>
    /// when it is longer than its bound, <c>EBADF</c> after <see cref="Close"/>.
    /// </summary>
    public unsafe bool TryRead(out ReadOnlySpan<byte> content, out int errno)
    {
        if (_closed)
        {
            content = default;
            errno = Interop.Errno.EBADF;
            return false;
        }

        if (_kept is not null)
        {
            if (TryReadKept(out int keptLength, out errno))
            {
                _lastLength = keptLength;
                content = _buffer.AsSpan(0, keptLength);
                return true;
            }

            // Not expected of procfs (a file that refuses pread, ESPIPE): read it the plain way from now on.
            _kept.Dispose();
            _kept = null;
            _keepOpen = false;
        }

        content = default;
        int fd;
        fixed (byte* path = _path)
        {
            fd = Interop.Libc.open(path, Interop.Libc.O_RDONLY | Interop.Libc.O_CLOEXEC | Interop.Libc.O_NONBLOCK | Interop.Libc.O_NOCTTY);
        }

        if (fd < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return false;
        }

        bool keep = false;
        try
        {
            if (!_typeChecked)
            {
                if (!IsRegularFile(fd, out errno))
                {
                    return false;
                }

                _typeChecked = true;
            }

            if (!TryReadToEnd(fd, positional: false, out int length, out errno))
            {
                return false;
            }

            _lastLength = length;
            content = _buffer.AsSpan(0, length);
            if (!_fileSystemChecked)
            {
                _keepOpen = IsProcfs(fd);
                _fileSystemChecked = true;
            }

            keep = _keepOpen;
            return true;
        }
        finally
        {
            if (keep)
            {
                _kept = new SafeFdHandle(fd);
            }
            else
            {
                _ = Interop.Libc.close(fd);
            }
        }
    }

    /// <summary>
    /// Closes the kept procfs descriptor, if any, for good: every later <see cref="TryRead"/> fails with
    /// <c>EBADF</c>. A reader of a <c>/proc/PID/net</c> file calls this when the namespace is gone: the open file
    /// holds a reference on it (fs/proc/proc_net.c: <c>single_open_net</c>/<c>seq_open_net</c> take
    /// <c>get_proc_net</c>, released by <c>put_net</c> in <c>single_release_net</c>/<c>seq_release_net</c>).
    /// Reopening the path would read whatever task has that pid now, in another namespace.
    /// </summary>
    public void Close()
    {
        _closed = true;
        _kept?.Dispose();
        _kept = null;
    }

    /// <summary>How many bytes the read buffer holds (what this reader keeps allocated between reads).</summary>
    public int Capacity => _buffer.Length;

    /// <summary>
    /// Shrinks the read buffer to the last read's length plus a quarter (and 64 bytes): room for counters to gain
    /// digits before a read has to grow it again (it then doubles, as any read does).
    /// </summary>
    /// <remarks>
    /// PERF: for readers kept by the hundred, one per file of each pod's network namespace: an initial capacity
    /// sized for the node's largest files (16 KiB for netstat) is four times a namespace's 4 KiB netstat, and
    /// 110 namespaces × 4 files kept ~3.9 MB of buffers that were never filled.
    /// </remarks>
    public void FitToLastRead()
    {
        int fitted = (int)Math.Min(_lastLength + (_lastLength / 4L) + 64, _maxLength + 1L);
        if (fitted < _buffer.Length)
        {
            _buffer = new byte[fitted];
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

    private bool TryReadKept(out int length, out int errno)
    {
        bool added = false;
        try
        {
            _kept!.DangerousAddRef(ref added);
            return TryReadToEnd((int)_kept.DangerousGetHandle(), positional: true, out length, out errno);
        }
        finally
        {
            if (added)
            {
                _kept!.DangerousRelease();
            }
        }
    }

    /// <summary>Reads from the current position (or, positional, from offset 0 with pread) until EOF into the buffer.</summary>
    private unsafe bool TryReadToEnd(int fd, bool positional, out int length, out int errno)
    {
        length = 0;
        while (true)
        {
            if (length == _buffer.Length)
            {
                if (length > _maxLength)
                {
                    errno = Interop.Errno.EFBIG;
                    return false;
                }

                // A procfs file grows with CPUs and kernel versions; keep the larger buffer for next time. One byte
                // past the bound is enough to tell a file that is too long.
                Array.Resize(ref _buffer, (int)Math.Min(_buffer.Length * 2L, _maxLength + 1L));
            }

            nint n;
            fixed (byte* buffer = &_buffer[length])
            {
                n = positional
                    ? Interop.Libc.pread(fd, buffer, (nuint)(_buffer.Length - length), length)
                    : Interop.Libc.read(fd, buffer, (nuint)(_buffer.Length - length));
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
                errno = length > _maxLength ? Interop.Errno.EFBIG : 0;
                return errno == 0;
            }

            length += (int)n;
        }
    }

    private static unsafe bool IsRegularFile(int fd, out int errno)
    {
        byte emptyPath = 0;
        Interop.Libc.Statx stat;
        if (Interop.Libc.statx(fd, &emptyPath, Interop.Libc.AT_EMPTY_PATH, Interop.Libc.STATX_TYPE, &stat) != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return false;
        }

        errno = (stat.stx_mode & Interop.Libc.S_IFMT) switch
        {
            Interop.Libc.S_IFREG => 0,
            Interop.Libc.S_IFDIR => Interop.Errno.EISDIR,
            _ => Interop.Errno.EINVAL,
        };
        return errno == 0;
    }

    private static unsafe bool IsProcfs(int fd)
    {
        Interop.Libc.StatFs stat;
        return Interop.Libc.fstatfs(fd, &stat) == 0 && stat.f_type == Interop.Libc.PROC_SUPER_MAGIC;
    }
}
