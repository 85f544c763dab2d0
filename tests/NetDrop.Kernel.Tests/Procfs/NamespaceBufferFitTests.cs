using NetDrop.Kernel.Namespaces;

namespace NetDrop.Kernel.Tests.Procfs;

/// <summary>
/// A namespace's readers keep buffers the size of the files they read, not the node-sized defaults (16 KiB for
/// netstat): 110 pods × 4 files of unused buffer were ~3.9 MB resident.
/// </summary>
public class NamespaceBufferFitTests
{
    [Fact]
    public void TryOpen_OwnNamespace_BuffersFitTheFilesRead()
    {
        // Our own task's namespace through /proc/PID/net, as the scanner opens a pod's. The sizes are what
        // cat-equivalent reads of the same files return now (4.0, 1.2, 3.0 KiB and up on 6.x).
        string net = Path.Join("/proc", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), "net");
        Assert.True(NetworkNamespaceScanner.TryGetNamespaceId(Path.Join(net, "netstat"), out ulong id));

        NetworkNamespaceFiles? files = NetworkNamespaceFiles.TryOpen("/proc", Environment.ProcessId, id);

        Assert.NotNull(files);
        try
        {
            AssertFits(files.Netstat.BufferCapacity, Path.Join(net, "netstat"));
            AssertFits(files.Snmp.BufferCapacity, Path.Join(net, "snmp"));
            AssertFits(files.Snmp6.BufferCapacity, Path.Join(net, "snmp6"));
            AssertFits(files.Dev.BufferCapacity, Path.Join(net, "dev"));
        }
        finally
        {
            files.Dispose();
        }
    }

    [Fact]
    public void FitToLastRead_FileGrowsPastTheFit_NextReadStillWhole()
    {
        // A pod gains an interface (net/dev grows a line) or counters gain digits: the fitted buffer grows again.
        string path = Path.Join(Path.GetTempPath(), "nsparse-fit-" + Guid.NewGuid().ToString("N"));
        try
        {
            File.WriteAllBytes(path, new byte[1000]);
            var file = new KernelFile(path, initialCapacity: 16 * 1024);
            Assert.True(file.TryRead(out _, out _));
            file.FitToLastRead();
            Assert.Equal(1000 + 250 + 64, file.Capacity);

            byte[] grown = [.. Enumerable.Range(0, 5000).Select(i => (byte)('a' + (i % 26)))];
            File.WriteAllBytes(path, grown);

            Assert.True(file.TryRead(out ReadOnlySpan<byte> content, out _));
            Assert.True(content.SequenceEqual(grown));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void AssertFits(int capacity, string path)
    {
        int length = File.ReadAllBytes(path).Length; // procfs: ReadAllBytes reads to EOF, whatever stat says (0)
        Assert.InRange(capacity, length + 1, (length * 2) + 64);
    }
}
