using System.Runtime.InteropServices;
using NetDrop.Kernel.SafeHandles;
using NetDrop.Tests.TestSupport;

namespace NetDrop.Tests.Faults;

/// <summary>
/// A FIFO that is full and that nobody reads: the test holds it open read-write (so a writer's open does not wait
/// for a reader) and fills its buffer with non-blocking writes until <c>EAGAIN</c>. A process whose stdout is this
/// FIFO blocks in its first <c>write(2)</c>, as behind a stuck log shipper or a terminal on Ctrl+S.
/// </summary>
internal sealed partial class FullPipe : IDisposable
{
    private const int O_RDWR = 0x2;
    private const int O_NONBLOCK = 0x800;
    private const int EAGAIN = 11;

    private readonly SafeFdHandle _fd;

    private FullPipe(string path, SafeFdHandle fd, long bytes)
    {
        Path = path;
        _fd = fd;
        BytesInside = bytes;
    }

    public string Path { get; }

    /// <summary>Bytes written to fill it (the pipe's capacity).</summary>
    public long BytesInside { get; }

    public static unsafe FullPipe Create(string directory)
    {
        string path = System.IO.Path.Join(directory, "stdout.fifo");
        ProcessRunner.Result made = ProcessRunner.Run("mkfifo", [path]);
        Assert.True(made.ExitCode == 0, made.Error);
        SafeFdHandle fd = NamespaceInterop.open(path, O_RDWR | O_NONBLOCK | NamespaceInterop.O_CLOEXEC);
        Assert.False(fd.IsInvalid, $"open {path}: errno {Marshal.GetLastPInvokeError()}");
        byte[] chunk = new byte[4096];
        chunk.AsSpan().Fill((byte)'x');
        long bytes = 0;
        fixed (byte* data = chunk)
        {
            while (true)
            {
                nint written = write(fd, data, (nuint)chunk.Length);
                if (written < 0)
                {
                    Assert.Equal(EAGAIN, Marshal.GetLastPInvokeError());
                    break;
                }

                bytes += written;
            }
        }

        return new FullPipe(path, fd, bytes);
    }

    public void Dispose() => _fd.Dispose();

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint write(SafeFdHandle fd, byte* buf, nuint count);
}
