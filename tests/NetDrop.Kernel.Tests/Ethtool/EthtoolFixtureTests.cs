using System.Runtime.InteropServices;
using NetDrop.Kernel.Ethtool;
using NetDrop.Kernel.Snapshots;

namespace NetDrop.Kernel.Tests.Ethtool;

/// <summary>Parses the raw replies captured from this VM's virtio_net eth0 (see the fixture's FIXTURE.md).</summary>
public class EthtoolFixtureTests
{
    private static readonly InterfaceName s_eth0 = InterfaceName.FromString(EthtoolFixture.Interface);

    private static readonly string[] s_virtioNames =
    [
        "rx_drops", "rx_xdp_packets", "rx_xdp_tx", "rx_xdp_redirects", "rx_xdp_drops", "rx_kicks",
        "tx_xdp_tx", "tx_xdp_tx_drops", "tx_kicks", "tx_tx_timeouts",
        "rx0_drops", "rx0_xdp_packets", "rx0_xdp_tx", "rx0_xdp_redirects", "rx0_xdp_drops", "rx0_kicks",
        "tx0_xdp_tx", "tx0_xdp_tx_drops", "tx0_kicks", "tx0_tx_timeouts",
    ];

    internal static string[] VirtioNames => s_virtioNames;

    [Fact]
    public void LoadFromReplies_CapturedVirtioEth0_MatchesGoldenSnapshot()
    {
        var stats = new EthtoolStatistics();

        EthtoolReadStatus status = stats.LoadFromReplies(
            s_eth0,
            EthtoolFixture.Read("drvinfo"),
            EthtoolFixture.Read("sset_info"),
            EthtoolFixture.Read("gstrings"),
            EthtoolFixture.Read("gstats"));

        Assert.Equal(EthtoolReadStatus.Ok, status);
        Assert.Equal("virtio_net", stats.Driver);
        Assert.Equal(20, stats.Count);
        Assert.Equal(s_virtioNames, stats.Names);
        Assert.Equal(2867UL, Value(stats, "rx_kicks"));
        Assert.Equal(7741UL, Value(stats, "tx_kicks"));
        Assert.Equal(2867UL, Value(stats, "rx0_kicks"));
        Assert.Equal(7741UL, Value(stats, "tx0_kicks"));
        Assert.Equal(0UL, Value(stats, "rx_drops"));
        Assert.Equal(1, stats.SchemaVersion);
        Assert.Equal(s_eth0, stats.Interface);
    }

    [Fact]
    public void ParseDriverInfo_CapturedVirtioEth0_ReadsDriverAndStatCount()
    {
        byte[] drvInfo = EthtoolFixture.Read("drvinfo");

        Assert.Equal(EthtoolReplies.DrvInfoSize, drvInfo.Length);
        Assert.Equal(global::Interop.Ethtool.ETHTOOL_GDRVINFO, MemoryMarshal.Read<uint>(drvInfo));
        Assert.Equal("virtio_net", EthtoolReplies.ParseDriverName(drvInfo));
        Assert.Equal(20, EthtoolReplies.ParseDriverInfoStatCount(drvInfo));
    }

    [Fact]
    public void TryParseStatCount_CapturedSsetInfo_ReturnsTwenty()
    {
        byte[] ssetInfo = EthtoolFixture.Read("sset_info");

        Assert.True(EthtoolReplies.TryParseStatCount(ssetInfo, out int count));
        Assert.Equal(20, count);
        Assert.Equal(1UL << global::Interop.Ethtool.ETH_SS_STATS, MemoryMarshal.Read<ulong>(ssetInfo.AsSpan(8)));
    }

    [Fact]
    public void TryParseStatCount_MaskWithoutStatsBit_ReturnsFalse()
    {
        // What lo answers: the kernel clears the bit of every set the driver cannot count (ethtool_get_sset_info).
        byte[] ssetInfo = EthtoolFixture.Read("sset_info");
        MemoryMarshal.Write(ssetInfo.AsSpan(8), 0UL);

        Assert.False(EthtoolReplies.TryParseStatCount(ssetInfo, out _));
        Assert.Equal(
            EthtoolReadStatus.NotSupported,
            new EthtoolStatistics().LoadFromReplies(s_eth0, EthtoolFixture.Read("drvinfo"), ssetInfo, EthtoolFixture.Read("gstrings"), EthtoolFixture.Read("gstats")));
    }

    [Fact]
    public void LoadFromReplies_StatsReplyWithZeroCount_Fails()
    {
        // A kernel that sees a stale n_stats answers n_stats = 0 and copies no values (ethtool_get_stats).
        byte[] gstats = EthtoolFixture.Read("gstats");
        MemoryMarshal.Write(gstats.AsSpan(4), 0u);
        var stats = new EthtoolStatistics();

        EthtoolReadStatus status = stats.LoadFromReplies(s_eth0, EthtoolFixture.Read("drvinfo"), EthtoolFixture.Read("sset_info"), EthtoolFixture.Read("gstrings"), gstats.AsSpan(0, 8));

        Assert.Equal(EthtoolReadStatus.Failed, status);
    }

    [Fact]
    public void LoadFromReplies_TruncatedStrings_Fails()
    {
        byte[] gstrings = EthtoolFixture.Read("gstrings");
        var stats = new EthtoolStatistics();

        EthtoolReadStatus status = stats.LoadFromReplies(s_eth0, EthtoolFixture.Read("drvinfo"), EthtoolFixture.Read("sset_info"), gstrings.AsSpan(0, gstrings.Length - 1), EthtoolFixture.Read("gstats"));

        Assert.Equal(EthtoolReadStatus.Failed, status);
        Assert.Equal(0, stats.SchemaVersion);
    }

    [Fact]
    public void LoadFromReplies_SecondLoadSameCount_KeepsNamesAndRefreshesValues()
    {
        var stats = new EthtoolStatistics();
        byte[] gstats = EthtoolFixture.Read("gstats");
        Assert.Equal(EthtoolReadStatus.Ok, stats.LoadFromReplies(s_eth0, EthtoolFixture.Read("drvinfo"), EthtoolFixture.Read("sset_info"), EthtoolFixture.Read("gstrings"), gstats));
        string[] names = stats.Names;
        MemoryMarshal.Write(gstats.AsSpan(8 + (5 * sizeof(ulong))), 9999UL); // rx_kicks

        // Unparseable driver-info and strings replies prove the schema is not re-read when the count is unchanged.
        EthtoolReadStatus status = stats.LoadFromReplies(s_eth0, [], EthtoolFixture.Read("sset_info"), [], gstats);

        Assert.Equal(EthtoolReadStatus.Ok, status);
        Assert.Same(names, stats.Names);
        Assert.Equal(1, stats.SchemaVersion);
        Assert.Equal(9999UL, Value(stats, "rx_kicks"));
    }

    [Fact]
    public void SelectRingFullIndices_CapturedVirtioNames_SelectsNothing()
    {
        var stats = new EthtoolStatistics();
        Assert.Equal(EthtoolReadStatus.Ok, stats.LoadFromReplies(s_eth0, EthtoolFixture.Read("drvinfo"), EthtoolFixture.Read("sset_info"), EthtoolFixture.Read("gstrings"), EthtoolFixture.Read("gstats")));

        Assert.Empty(DriverRingFullCounters.SelectRingFullIndices(stats.Driver, stats.Names));
    }

    private static ulong Value(EthtoolStatistics stats, string name) => stats.Values[Array.IndexOf(stats.Names, name)];
}
