using System.Globalization;
using System.Net;
using System.Net.Sockets;
using NetDrop.Kernel;
using NetDrop.Kernel.Procfs;

namespace NetDrop.Tests.Sampling;

/// <summary>
/// A procfs file keeps its descriptor between samples (see the PERF note on <see cref="KernelFile"/>); these tests
/// prove a kept file still shows the kernel's current counters and that other files are still reopened every read.
/// </summary>
public sealed class KernelFileReuseTests
{
    [Fact]
    [Trait("Category", "LinuxHost")]
    public void TryRead_ProcfsFileKeptOpen_SeesCountersThatMovedSinceTheLastRead()
    {
        // Udp: NoPorts counts datagrams that reached no socket: send some to a closed loopback port.
        var snmp = new MibFile(KernelPaths.Snmp(KernelPaths.DefaultProcRoot));
        int noPorts = snmp.Register(new MibKey("Udp", "NoPorts"));
        Assert.True(snmp.TryRead(out int errno), $"errno {errno}");
        Assert.True(snmp.TryGetValue(noPorts, out ulong before));
        int descriptors = DescriptorsOpenOnSnmp();

        const int Datagrams = 20;
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            var closedPort = new IPEndPoint(IPAddress.Loopback, FreeUdpPort());
            for (int i = 0; i < Datagrams; i++)
            {
                socket.SendTo([1], closedPort);
            }
        }

        for (int i = 0; i < 50; i++)
        {
            Assert.True(snmp.TryRead(out errno), $"errno {errno}");
        }

        Assert.True(snmp.TryGetValue(noPorts, out ulong after));
        Assert.True(after - before >= Datagrams, $"NoPorts went from {before} to {after} after {Datagrams} datagrams to a closed port");
        // One descriptor reused, not one left open per read (the slack is for other tests reading the file right now).
        Assert.InRange(DescriptorsOpenOnSnmp(), 0, descriptors + 5);
    }

    [Fact]
    public void TryRead_RegularFileReplacedByRename_ReadsTheNewFile()
    {
        // Fixture roots are regular files; like sysfs attributes of a re-created interface they must be reopened.
        string directory = Directory.CreateTempSubdirectory("netdrop-kernelfile-").FullName;
        try
        {
            string path = Path.Join(directory, "softnet_stat");
            File.WriteAllText(path, Line(dropped: 1));
            var file = new SoftnetStatFile(path);
            Assert.True(file.TryRead(out _));
            Assert.Equal(1U, file.Cpus[0].Dropped);

            File.WriteAllText(path + ".new", Line(dropped: 2));
            File.Move(path + ".new", path, overwrite: true);

            Assert.True(file.TryRead(out _));
            Assert.Equal(2U, file.Cpus[0].Dropped);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Line(uint dropped) =>
        string.Create(CultureInfo.InvariantCulture, $"00000010 {dropped:x8} 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000\n");

    // An fd on /proc/net/snmp reads back as /proc/PID/net/snmp.
    private static int DescriptorsOpenOnSnmp() =>
        new DirectoryInfo("/proc/self/fd").GetFileSystemInfos().Count(fd => fd.LinkTarget?.EndsWith("/net/snmp", StringComparison.Ordinal) == true);

    private static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port; // closed again when the probe is disposed
    }
}
