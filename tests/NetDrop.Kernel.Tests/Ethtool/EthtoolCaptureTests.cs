using System.Globalization;
using System.Text;
using NetDrop.Kernel.Ethtool;
using NetDrop.Kernel.Tests.TestSupport;
using NetDrop.Kernel.Snapshots;

namespace NetDrop.Kernel.Tests.Ethtool;

public class EthtoolCaptureTests
{
    /// <summary>
    /// Writes eth0's four raw ethtool replies, through <see cref="EthtoolStatsReader.TryCapture"/> (the commands the
    /// agent issues), plus FIXTURE.md. After a re-capture, update the golden values in EthtoolFixtureTests.
    /// </summary>
    [CaptureFact]
    [Trait("Category", "Capture")]
    public void Capture_Eth0_WritesRawReplies()
    {
        using var reader = new EthtoolStatsReader();
        EthtoolReadStatus status = reader.TryCapture(InterfaceName.FromString(EthtoolFixture.Interface), out EthtoolRawReplies? replies);
        Assert.Equal(EthtoolReadStatus.Ok, status);
        Assert.NotNull(replies);

        Directory.CreateDirectory(EthtoolFixture.EthtoolDirectory);
        File.WriteAllBytes(EthtoolFixture.PathOf("drvinfo"), replies.DriverInfo);
        File.WriteAllBytes(EthtoolFixture.PathOf("sset_info"), replies.SsetInfo);
        File.WriteAllBytes(EthtoolFixture.PathOf("gstrings"), replies.GStrings);
        File.WriteAllBytes(EthtoolFixture.PathOf("gstats"), replies.GStats);

        var parsed = new EthtoolStatistics();
        Assert.Equal(
            EthtoolReadStatus.Ok,
            parsed.LoadFromReplies(InterfaceName.FromString(EthtoolFixture.Interface), replies.DriverInfo, replies.SsetInfo, replies.GStrings, replies.GStats));

        string release = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# {EthtoolFixture.Kernel}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- Kernel: `{release}` (uname -r), Debian 12 userland, x86_64, 2 vCPUs");
        md.AppendLine(CultureInfo.InvariantCulture, $"- NIC: `{EthtoolFixture.Interface}`, driver `{parsed.Driver}`, {parsed.Count} ETH_SS_STATS strings");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Captured: {DateTime.UtcNow:yyyy-MM-dd} (UTC)");
        md.AppendLine("- How: `NETDROP_CAPTURE_FIXTURES=1 dotnet test tests/NetDrop.Kernel.Tests --filter Capture_Eth0_WritesRawReplies`,");
        md.AppendLine("  which calls `EthtoolStatsReader.TryCapture` (the same SIOCETHTOOL commands the agent issues) and");
        md.AppendLine("  writes each reply buffer verbatim (host-endian, little-endian here):");
        md.AppendLine("  - `ethtool/eth0.sset_info.bin`: ETHTOOL_GSSET_INFO for ETH_SS_STATS (16-byte header + one __u32 count)");
        md.AppendLine("  - `ethtool/eth0.drvinfo.bin`: ETHTOOL_GDRVINFO (struct ethtool_drvinfo, 196 bytes)");
        md.AppendLine("  - `ethtool/eth0.gstrings.bin`: ETHTOOL_GSTRINGS (12-byte header + len * 32-byte names)");
        md.AppendLine("  - `ethtool/eth0.gstats.bin`: ETHTOOL_GSTATS (8-byte header + n_stats * __u64)");
        md.AppendLine("- Scrubbed: nothing; the replies hold no MAC address or hostname (driver, version, bus_info only).");
        md.AppendLine("- After a re-capture the golden values in `Ethtool/EthtoolFixtureTests.cs` must be updated.");
        File.WriteAllText(Path.Join(EthtoolFixture.FixturesRoot, "kernels", EthtoolFixture.Kernel, "FIXTURE.md"), md.ToString());
    }
}
