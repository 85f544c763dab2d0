using System.Globalization;
using NetDrop.Tests.TestSupport;

namespace NetDrop.Tests.Sampling;

/// <summary>
/// A bond built as sysfs shows it, run through the real monitor with <c>--sysfs-links</c>: the sysfs link source must
/// relate slaves to their bond exactly as the rtnetlink source does (IFLA_MASTER + IFLA_INFO_KIND), or a bond's drops
/// are counted once in the bond and again in each slave. This kernel has no bonding driver, so the tree is written by
/// hand, in the shapes drivers/net/bonding/bond_sysfs.c and net/core/dev.c give it:
/// <code>
/// class/net/bond0/uevent          DEVTYPE=bond            class/net/bond0/bonding/slaves   eth0 eth1
/// class/net/eth0/master  -> ../bond0                      class/net/eth1/master  -> ../bond0
/// </code>
/// </summary>
public sealed class SysfsBondRootTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private readonly string _root = Directory.CreateTempSubdirectory("netdrop-sysfs-bond-").FullName;

    public SysfsBondRootTests()
    {
        DirectoryTree.Copy(Path.Join(AppContext.BaseDirectory, "Fixtures", "kernel", "proc"), Path.Join(_root, "proc"));
        WriteInterface("bond0", ifIndex: 5, devType: "bond", master: null);
        WriteInterface("eth0", ifIndex: 2, devType: null, master: "bond0");
        WriteInterface("eth1", ifIndex: 3, devType: null, master: "bond0");
        WriteInterface("lo", ifIndex: 1, devType: null, master: null);
        File.WriteAllText(Path.Join(NetClass, "bond0", "bonding", "slaves"), "eth0 eth1\n");
        SetRxDropped(bond: 100, eth0: 60, eth1: 40);
    }

    private string NetClass => Path.Join(_root, "sys", "class", "net");

    /// <summary>bond0 +30 folds eth0 +20 and eth1 +10 in (bond_get_stats): nic_rx is 30, broken down per slave.</summary>
    [Theory]
    [InlineData("-i", "bond0")]
    [InlineData("--exclude", "lo")]
    public void BondOverSysfs_CountsTheBondOnceAndShowsEachSlavesShare(params string[] selection)
    {
        string csv = Path.Join(_root, "run.csv");
        using MonitorProcess monitor = MonitorProcess.StartHere(csv, null, [
            "monitor", .. selection, "--sysfs-links", "--proc-root", Path.Join(_root, "proc"), "--sys-root", Path.Join(_root, "sys"),
            "--interval", "0.2", "--csv", csv, "--no-color"]);
        monitor.WaitForHeader(s_timeout);
        SetRxDropped(bond: 130, eth0: 80, eth1: 50);
        monitor.WaitForRows(monitor.CompletedRows() + 2, s_timeout);
        Signals.Send(monitor.ProcessId, Signals.SIGTERM);
        Assert.Equal(0, monitor.WaitForExit(s_timeout));

        List<string[]> records = CsvRecords.Parse(monitor.ReadCsvText());
        int nicRx = Array.IndexOf(records[0], "nic_rx");
        Assert.Equal(30, records.Skip(1).Sum(record => long.Parse(record[nicRx], CultureInfo.InvariantCulture)));
        Assert.Contains("NIC RX Dropped: 30 (bond0: 30 = eth0 20 + eth1 10)", monitor.Output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void WriteInterface(string name, int ifIndex, string? devType, string? master)
    {
        string directory = Path.Join(NetClass, name);
        Directory.CreateDirectory(Path.Join(directory, "statistics"));
        File.WriteAllText(Path.Join(directory, "ifindex"), ifIndex.ToString(CultureInfo.InvariantCulture) + "\n");
        File.WriteAllText(Path.Join(directory, "uevent"), (devType is null ? "" : $"DEVTYPE={devType}\n") + $"INTERFACE={name}\nIFINDEX={ifIndex}\n");
        if (devType == "bond")
        {
            Directory.CreateDirectory(Path.Join(directory, "bonding"));
            File.WriteAllText(Path.Join(directory, "bonding", "mode"), "802.3ad 4\n");
        }

        if (master is not null)
        {
            File.CreateSymbolicLink(Path.Join(directory, "master"), "../" + master);
        }

        foreach (string statistic in (string[])["rx_dropped", "tx_dropped", "rx_missed_errors"])
        {
            File.WriteAllText(Path.Join(directory, "statistics", statistic), "0\n");
        }
    }

    private void SetRxDropped(int bond, int eth0, int eth1)
    {
        // Slaves first: the sampler may read between two writes, and a bond behind its slaves is the kernel's order too.
        File.WriteAllText(Path.Join(NetClass, "eth0", "statistics", "rx_dropped"), eth0.ToString(CultureInfo.InvariantCulture) + "\n");
        File.WriteAllText(Path.Join(NetClass, "eth1", "statistics", "rx_dropped"), eth1.ToString(CultureInfo.InvariantCulture) + "\n");
        File.WriteAllText(Path.Join(NetClass, "bond0", "statistics", "rx_dropped"), bond.ToString(CultureInfo.InvariantCulture) + "\n");
    }
}
