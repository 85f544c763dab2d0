using System.Runtime.InteropServices;

namespace NetDrop.Kernel.Tests.Procfs;

/// <summary>
/// What <see cref="KernelFile"/> does when a proc or sys root holds something that is not a regular file (issue 15
/// item 5): it never blocks, never reads without end, and says why with an errno.
/// </summary>
public sealed partial class KernelFileSpecialFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("netdrop-special-").FullName;

    [Fact]
    public void TryRead_Fifo_RefusedAtOnceInsteadOfBlockingOpen()
    {
        string fifo = Path.Join(_directory, "snmp");
        Assert.Equal(0, mkfifo(fifo, 0x180));
        var file = new KernelFile(fifo);

        // Bounded: without O_NONBLOCK, open() waits for a writer forever and this thread never ends.
        (bool Ok, int Errno) outcome = (true, 0);
        var reader = new Thread(() => outcome = (file.TryRead(out _, out int errno), errno)) { IsBackground = true };
        reader.Start();
        bool finished = reader.Join(TimeSpan.FromSeconds(30));
        if (!finished)
        {
            ReleaseBlockedReader(fifo);
            reader.Join(TimeSpan.FromSeconds(5));
        }

        Assert.True(finished, "open() of a FIFO blocked");
        Assert.Equal((false, Interop.Errno.EINVAL), outcome);
    }

    [Fact]
    public void TryRead_CharacterDevice_RefusedInsteadOfReadingForever()
    {
        var file = new KernelFile("/dev/zero");

        Assert.False(file.TryRead(out _, out int errno));
        Assert.Equal(Interop.Errno.EINVAL, errno);
    }

    [Fact]
    public void TryRead_Directory_ReturnsEisdir()
    {
        var file = new KernelFile(_directory);

        Assert.False(file.TryRead(out _, out int errno));
        Assert.Equal(Interop.Errno.EISDIR, errno);
    }

    [Fact]
    public void TryRead_LongerThanItsBound_ReturnsEfbig()
    {
        string path = Path.Join(_directory, "big");
        File.WriteAllBytes(path, new byte[10_001]);

        Assert.False(new KernelFile(path, initialCapacity: 64, maxLength: 10_000).TryRead(out _, out int errno));
        Assert.Equal(Interop.Errno.EFBIG, errno);
        File.WriteAllBytes(path, new byte[10_000]);
        Assert.True(new KernelFile(path, initialCapacity: 64, maxLength: 10_000).TryRead(out ReadOnlySpan<byte> content, out _));
        Assert.Equal(10_000, content.Length);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // A reader stuck in open() is released by a writer arriving (fifo_open wakes the readers).
    private static void ReleaseBlockedReader(string fifo)
    {
        using var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write);
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int mkfifo(string path, uint mode);
}
