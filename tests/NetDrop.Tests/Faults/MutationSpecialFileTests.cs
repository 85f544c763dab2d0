using System.Runtime.InteropServices;
using NetDrop.Tests.TestSupport;

namespace NetDrop.Tests.Faults;

/// <summary>
/// Issue 15 item 5 against the real executable: a FIFO where a kernel file should be blocked <c>open()</c> forever
/// (sampling stopped, SIGTERM waited out the host's 10 s). Now the file is refused at once, its categories are
/// unavailable, and the monitor keeps sampling and stops on time.
/// </summary>
[Trait("Category", "Fault")]
public sealed partial class MutationSpecialFileTests : IDisposable
{
    private readonly MutationFixtureRoot _root = new();

    [Fact]
    public void Monitor_FifoInPlaceOfProcNetSnmp_KeepsSamplingWithUdpUnavailable()
    {
        _root.Write(0);
        string snmp = Path.Join(_root.Directory, MutationFixtureRoot.Snmp);
        File.Delete(snmp);
        Assert.Equal(0, mkfifo(snmp, 0x180)); // nobody ever writes to it
        string csv = Path.Join(_root.Directory, "drops.csv");

        using MonitorProcess monitor = MonitorProcess.StartHere(csv, null, "monitor",
            "--proc-root", _root.ProcRoot, "--sys-root", _root.SysRoot, "--sysfs-links", "--interface", "eth0",
            "--interval", "0.1", "--count", "3", "--csv", csv, "--no-color");

        Assert.Equal(0, monitor.WaitForExit(TimeSpan.FromSeconds(60)));
        string[] lines = monitor.ReadCsvText().TrimEnd('\n').Split('\n');
        Assert.Equal(4, lines.Length); // header + 3 intervals
        int unavailable = Array.IndexOf(lines[0].Split(','), "unavailable");
        foreach (string row in lines[1..])
        {
            string[] categories = row.Split(',')[unavailable].Split(';');
            Assert.Contains("udp_rcvbuf", categories); // Udp: RcvbufErrors lives in the refused snmp
            Assert.DoesNotContain("accept_queue", categories); // netstat was read as usual
        }

        Assert.Contains("net/snmp is unavailable", monitor.Output, StringComparison.Ordinal); // said once, on stderr
    }

    public void Dispose()
    {
        _root.Dispose();
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int mkfifo(string path, uint mode);
}
