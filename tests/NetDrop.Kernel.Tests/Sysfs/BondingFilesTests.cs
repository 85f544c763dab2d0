using NetDrop.Kernel.Sysfs;
using NetDrop.Kernel.Tests.Ethtool;

namespace NetDrop.Kernel.Tests.Sysfs;

/// <summary>
/// Bond mode and slaves from synthetic roots written in the kernel's exact formats (the bonding module cannot be
/// loaded on the test VM); each fixture's FIXTURE.md quotes the kernel source lines it imitates.
/// </summary>
public class BondingFilesTests
{
    [Fact]
    public void TryRead_8023adSysfs_ReadsModeAndSlaves()
    {
        string root = EthtoolFixture.Synthetic("bond-8023ad");

        Assert.True(BondingFiles.TryRead(Path.Join(root, "sys"), Path.Join(root, "proc"), "bond0", out BondInfo? bond));

        Assert.Equal("bond0", bond.Name);
        Assert.Equal("802.3ad", bond.Mode);
        Assert.Equal("IEEE 802.3ad Dynamic link aggregation", bond.ModeDescription);
        Assert.Equal(["eth0", "eth1"], bond.Slaves);
    }

    [Fact]
    public void TryRead_8023adProcOnly_AgreesWithSysfs()
    {
        string root = EthtoolFixture.Synthetic("bond-8023ad");

        Assert.True(BondingFiles.TryRead(Path.Join(root, "no-sys"), Path.Join(root, "proc"), "bond0", out BondInfo? fromProc));
        Assert.True(BondingFiles.TryRead(Path.Join(root, "sys"), Path.Join(root, "proc"), "bond0", out BondInfo? fromSysfs));

        Assert.Equal(fromSysfs.Mode, fromProc.Mode);
        Assert.Equal(fromSysfs.ModeDescription, fromProc.ModeDescription);
        Assert.Equal(fromSysfs.Slaves, fromProc.Slaves);
    }

    [Fact]
    public void TryRead_ActiveBackupWithFailOverMac_StripsSuffix()
    {
        string root = EthtoolFixture.Synthetic("bond-active-backup");

        Assert.True(BondingFiles.TryRead(Path.Join(root, "sys"), Path.Join(root, "proc"), "bond0", out BondInfo? bond));
        Assert.True(BondingFiles.TryRead(Path.Join(root, "no-sys"), Path.Join(root, "proc"), "bond0", out BondInfo? fromProc));

        Assert.Equal(new BondInfo("bond0", "active-backup", "fault-tolerance (active-backup)", bond.Slaves), bond);
        Assert.Equal(["eth0", "eth1"], bond.Slaves);
        Assert.Equal("active-backup", fromProc.Mode);
        Assert.Equal("fault-tolerance (active-backup)", fromProc.ModeDescription); // " (fail_over_mac active)" is not part of it
        Assert.Equal(["eth0", "eth1"], fromProc.Slaves);
    }

    [Fact]
    public void TryRead_BondWithoutSlaves_ReturnsEmptySlaves()
    {
        string root = EthtoolFixture.Synthetic("bond-no-slaves");
        Assert.Equal(0, new FileInfo(Path.Join(root, "sys/class/net/bond0/bonding/slaves")).Length);

        Assert.True(BondingFiles.TryRead(Path.Join(root, "sys"), Path.Join(root, "proc"), "bond0", out BondInfo? bond));
        Assert.True(BondingFiles.TryRead(Path.Join(root, "no-sys"), Path.Join(root, "proc"), "bond0", out BondInfo? fromProc));

        Assert.Equal("balance-rr", bond.Mode);
        Assert.Equal("load balancing (round-robin)", bond.ModeDescription);
        Assert.Empty(bond.Slaves);
        Assert.Equal("balance-rr", fromProc.Mode);
        Assert.Empty(fromProc.Slaves);
    }

    [Fact]
    public void TryRead_ProcOnlyRoot_FallsBackToProcfs()
    {
        string root = EthtoolFixture.Synthetic("bond-proc-only");
        Assert.False(Directory.Exists(Path.Join(root, "sys")));

        Assert.True(BondingFiles.TryRead(Path.Join(root, "sys"), Path.Join(root, "proc"), "bond0", out BondInfo? bond));

        Assert.Equal("balance-xor", bond.Mode);
        Assert.Equal("load balancing (xor)", bond.ModeDescription);
        Assert.Equal(["ens1f0", "ens1f1"], bond.Slaves);
    }

    [Fact]
    public void TryRead_NotABond_ReturnsFalse()
    {
        string root = EthtoolFixture.Synthetic("bond-8023ad");

        Assert.False(BondingFiles.TryRead(Path.Join(root, "sys"), Path.Join(root, "proc"), "eth0", out BondInfo? bond));
        Assert.Null(bond);
        Assert.False(BondingFiles.TryRead(Path.Join(root, "sys"), Path.Join(root, "proc"), "../bond0", out _));
    }

    [Theory]
    [InlineData("bond-8023ad", "bond0", true)]
    [InlineData("bond-proc-only", "bond0", true)]
    [InlineData("bond-8023ad", "eth0", false)]
    [InlineData("bond-8023ad", "..", false)]
    public void IsBond_FixtureRoots_RecognisesBondingMasters(string fixture, string name, bool expected)
    {
        string root = EthtoolFixture.Synthetic(fixture);

        Assert.Equal(expected, BondingFiles.IsBond(Path.Join(root, "sys"), Path.Join(root, "proc"), name));
    }

    [Fact]
    public void IsBond_LiveHost_Eth0IsNotABond()
    {
        Assert.True(Directory.Exists("/sys/class/net/eth0"));
        Assert.False(BondingFiles.IsBond("/sys", "/proc", "eth0"));
    }

    [Fact]
    public void TryRead_SysfsSlavesTruncated_TakesFullListFromProc()
    {
        // bonding_show_slaves stops at a page and writes "++more++"; /proc/net/bonding lists every slave.
        string root = Directory.CreateTempSubdirectory("netdrop-bond-").FullName;
        try
        {
            string bonding = Path.Join(root, "sys/class/net/bond0/bonding");
            Directory.CreateDirectory(bonding);
            Directory.CreateDirectory(Path.Join(root, "proc/net/bonding"));
            File.WriteAllText(Path.Join(bonding, "mode"), "balance-alb 6\n");
            File.WriteAllText(Path.Join(bonding, "slaves"), "veth0 veth1 ++more++\n");
            File.WriteAllText(
                Path.Join(root, "proc/net/bonding/bond0"),
                "Ethernet Channel Bonding Driver: v6.12.48\n\nBonding Mode: adaptive load balancing\n" +
                "\nSlave Interface: veth0\n\nSlave Interface: veth1\n\nSlave Interface: veth2\n");

            Assert.True(BondingFiles.TryRead(Path.Join(root, "sys"), Path.Join(root, "proc"), "bond0", out BondInfo? bond));

            Assert.Equal("balance-alb", bond.Mode);
            Assert.Equal("adaptive load balancing", bond.ModeDescription);
            Assert.Equal(["veth0", "veth1", "veth2"], bond.Slaves);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("balance-rr 0\n", "balance-rr")]
    [InlineData("active-backup 1\n", "active-backup")]
    [InlineData("802.3ad 4\n", "802.3ad")]
    [InlineData("balance-tlb 5", "balance-tlb")]
    public void TryParseSysfsMode_KernelFormat_ReturnsShortName(string content, string expected)
    {
        Assert.True(BondingFiles.TryParseSysfsMode(content, out string? mode));
        Assert.Equal(expected, mode);
    }

    [Fact]
    public void TryParseSysfsMode_EmptyFile_ReturnsFalse()
    {
        Assert.False(BondingFiles.TryParseSysfsMode("", out _));
    }

    [Theory]
    [InlineData("broadcast", "fault-tolerance (broadcast)")]
    [InlineData("balance-xor", "load balancing (xor)")]
    [InlineData("balance-tlb", "transmit load balancing")]
    [InlineData("nonsense", "unknown")]
    public void DescribeMode_ShortName_ReturnsProcDescription(string mode, string expected)
    {
        Assert.Equal(expected, BondingFiles.DescribeMode(mode));
    }

    [Fact]
    public void TryParseProcBonding_NoModeLine_ReturnsFalse()
    {
        Assert.False(BondingFiles.TryParseProcBonding("Ethernet Channel Bonding Driver: v6.12.48\n\nMII Status: up\n", out _, out _, out _));
    }
}
