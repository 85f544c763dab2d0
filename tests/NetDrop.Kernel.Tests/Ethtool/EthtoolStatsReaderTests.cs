using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NetDrop.Kernel.Ethtool;
using NetDrop.Kernel.SafeHandles;
using NetDrop.Kernel.Snapshots;

namespace NetDrop.Kernel.Tests.Ethtool;

/// <summary>
/// Live SIOCETHTOOL reads: eth0 of this VM (read-only, harmless) and devices inside a namespace the test creates.
/// These need the VM the fixtures came from (virtio_net eth0) and root for <c>ip netns</c>; they fail, never skip.
/// </summary>
public class EthtoolStatsReaderTests
{
    private static readonly InterfaceName s_eth0 = InterfaceName.FromString(EthtoolFixture.Interface);

    [Fact]
    public void TryRead_Eth0_NamesAndDriverMatchFixture()
    {
        using var reader = new EthtoolStatsReader();
        var stats = new EthtoolStatistics();

        EthtoolReadStatus status = reader.TryRead(s_eth0, stats);

        Assert.Equal(EthtoolReadStatus.Ok, status);
        Assert.Equal("virtio_net", stats.Driver);
        Assert.Equal(EthtoolFixtureTests.VirtioNames, stats.Names);
        Assert.Equal(stats.Count, stats.Values.Length);
        Assert.Equal(0, reader.LastErrno);
    }

    [Fact]
    public void TryRead_Eth0Twice_CountersNeverDecreaseAndNamesAreReused()
    {
        using var reader = new EthtoolStatsReader();
        var stats = new EthtoolStatistics();
        Assert.Equal(EthtoolReadStatus.Ok, reader.TryRead(s_eth0, stats));
        ulong[] first = (ulong[])stats.Values.Clone();
        string[] names = stats.Names;
        Thread.Sleep(200);

        Assert.Equal(EthtoolReadStatus.Ok, reader.TryRead(s_eth0, stats));

        Assert.Same(names, stats.Names);
        Assert.Equal(1, stats.SchemaVersion);
        for (int i = 0; i < stats.Count; i++)
        {
            Assert.True(stats.Values[i] >= first[i], $"{stats.Names[i]} went from {first[i]} to {stats.Values[i]}");
        }
    }

    [Fact]
    public void TryRead_Eth0AfterWarmUp_AllocatesNothing()
    {
        using var reader = new EthtoolStatsReader();
        var stats = new EthtoolStatistics();

        // Warm-up rounds through the same method: the first read loads the names, and tiered JIT / on-stack
        // replacement of the loop allocate on this thread during the first calls.
        for (int round = 0; round < 3; round++)
        {
            ReadThousand(reader, stats, out _);
        }

        long allocated = ReadThousand(reader, stats, out int ok);

        Assert.Equal(1000, ok);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void TryCapture_Eth0_RepliesParseLikeTryRead()
    {
        using var reader = new EthtoolStatsReader();

        Assert.Equal(EthtoolReadStatus.Ok, reader.TryCapture(s_eth0, out EthtoolRawReplies? replies));

        Assert.NotNull(replies);
        Assert.Equal(EthtoolReplies.DrvInfoSize, replies.DriverInfo.Length);
        Assert.Equal(EthtoolReplies.SsetInfoHeaderSize + sizeof(uint), replies.SsetInfo.Length);
        Assert.Equal(EthtoolReplies.GStringsHeaderSize + (20 * 32), replies.GStrings.Length);
        Assert.Equal(EthtoolReplies.StatsHeaderSize + (20 * sizeof(ulong)), replies.GStats.Length);
        var stats = new EthtoolStatistics();
        Assert.Equal(EthtoolReadStatus.Ok, stats.LoadFromReplies(s_eth0, replies.DriverInfo, replies.SsetInfo, replies.GStrings, replies.GStats));
        Assert.Equal(EthtoolFixtureTests.VirtioNames, stats.Names);
    }

    [Fact]
    public void TryRead_Eth0_AgreesWithEthtoolBinary()
    {
        using var reader = new EthtoolStatsReader();
        var before = new EthtoolStatistics();
        var after = new EthtoolStatistics();
        Assert.Equal(EthtoolReadStatus.Ok, reader.TryRead(s_eth0, before));

        List<(string Name, ulong Value)> ethtool = RunEthtoolS(EthtoolFixture.Interface);

        Assert.Equal(EthtoolReadStatus.Ok, reader.TryRead(s_eth0, after));
        Assert.Equal(before.Names, ethtool.Select(s => s.Name));
        for (int i = 0; i < ethtool.Count; i++)
        {
            Assert.InRange(ethtool[i].Value, before.Values[i], after.Values[i]);
        }
    }

    [Fact]
    public void TryRead_VethInNamespace_ReportsPeerIfindex()
    {
        // veth implements ethtool stats (drivers/net/veth.c veth_get_ethtool_stats: data[0] = peer->ifindex, then
        // per-queue rx_queue_N_* and tx_queue_N_*), so a veth is Ok, not NotSupported.
        using var ns = NetworkNamespace.Create("ndeth");
        ns.Shell("ip link add nd-a type veth peer name nd-b");
        int peerIfindex = Ifindex(ns, "nd-b");
        using EthtoolStatsReader reader = ns.Run(() => new EthtoolStatsReader());
        var stats = new EthtoolStatistics();

        EthtoolReadStatus status = reader.TryRead(InterfaceName.FromString("nd-a"), stats);

        Assert.Equal(EthtoolReadStatus.Ok, status);
        Assert.Equal("veth", stats.Driver);
        Assert.Equal("peer_ifindex", stats.Names[0]);
        Assert.Equal((ulong)peerIfindex, stats.Values[0]);
        Assert.Contains("rx_queue_0_drops", stats.Names);
        Assert.Contains("tx_queue_0_xdp_xmit", stats.Names);
        Assert.Empty(DriverRingFullCounters.SelectRingFullIndices(stats.Driver, stats.Names));
    }

    [Fact]
    public void TryRead_DifferentInterfaceIntoSameStatistics_ReloadsNames()
    {
        using var ns = NetworkNamespace.Create("ndeth");
        ns.Shell("ip link add nd-a type veth peer name nd-b");
        ns.Shell("ip link add nd-c numtxqueues 4 numrxqueues 4 type veth peer name nd-d numtxqueues 4 numrxqueues 4");
        using EthtoolStatsReader reader = ns.Run(() => new EthtoolStatsReader());
        var stats = new EthtoolStatistics();
        Assert.Equal(EthtoolReadStatus.Ok, reader.TryRead(InterfaceName.FromString("nd-a"), stats));
        int singleQueueCount = stats.Count;

        Assert.Equal(EthtoolReadStatus.Ok, reader.TryRead(InterfaceName.FromString("nd-c"), stats));

        Assert.Equal(2, stats.SchemaVersion);
        Assert.Equal(InterfaceName.FromString("nd-c"), stats.Interface);
        Assert.True(stats.Count > singleQueueCount, $"4-queue veth has {stats.Count} stats, 1-queue {singleQueueCount}");
        Assert.Contains("rx_queue_3_drops", stats.Names);
        Assert.Equal((ulong)Ifindex(ns, "nd-d"), stats.Values[0]);
    }

    [Fact]
    public void TryRead_ChannelCountChanged_ReloadsNamesForSameInterface()
    {
        // ethtool -L on a veth changes real_num_rx/tx_queues and so its stat count (veth_get_sset_count); the next
        // read must notice the new count through GSSET_INFO and reload the names.
        using var ns = NetworkNamespace.Create("ndeth");
        ns.Shell("ip link add nd-a numtxqueues 4 numrxqueues 4 type veth peer name nd-b numtxqueues 4 numrxqueues 4");
        using EthtoolStatsReader reader = ns.Run(() => new EthtoolStatsReader());
        using SafeFdHandle control = ns.Run(() => global::Interop.Libc.socket(global::Interop.Libc.AF_INET, global::Interop.Libc.SOCK_DGRAM, 0));
        var name = InterfaceName.FromString("nd-a");
        var stats = new EthtoolStatistics();
        Assert.Equal(EthtoolReadStatus.Ok, reader.TryRead(name, stats));
        Assert.Contains("rx_queue_3_drops", stats.Names);
        int fourQueueCount = stats.Count;

        SetChannels(control, name, rx: 1, tx: 1);
        EthtoolReadStatus status = reader.TryRead(name, stats);

        Assert.Equal(EthtoolReadStatus.Ok, status);
        Assert.Equal(2, stats.SchemaVersion);
        Assert.True(stats.Count < fourQueueCount, $"{stats.Count} stats after ethtool -L 1, {fourQueueCount} before");
        Assert.DoesNotContain("rx_queue_3_drops", stats.Names);
        Assert.Contains("rx_queue_0_drops", stats.Names);
    }

    [Fact]
    public void TryRead_LoopbackInNamespace_ReturnsNotSupported()
    {
        // lo has ethtool_ops but no get_sset_count: GSSET_INFO succeeds with ETH_SS_STATS cleared from the mask.
        using var ns = NetworkNamespace.Create("ndeth");
        using EthtoolStatsReader reader = ns.Run(() => new EthtoolStatsReader());
        var stats = new EthtoolStatistics();

        EthtoolReadStatus status = reader.TryRead(InterfaceName.FromString("lo"), stats);

        Assert.Equal(EthtoolReadStatus.NotSupported, status);
        Assert.Equal(0, stats.Count);
        Assert.Equal(EthtoolReadStatus.NotSupported, reader.QueryDriverInfo(InterfaceName.FromString("lo"), out _)); // EOPNOTSUPP
        Assert.Equal(95, reader.LastErrno);
    }

    [Fact]
    public void TryRead_MissingInterfaceInNamespace_ReturnsNoDevice()
    {
        using var ns = NetworkNamespace.Create("ndeth");
        ns.Shell("ip link add nd-a type veth peer name nd-b");
        using EthtoolStatsReader reader = ns.Run(() => new EthtoolStatsReader());
        var stats = new EthtoolStatistics();
        Assert.Equal(EthtoolReadStatus.Ok, reader.TryRead(InterfaceName.FromString("nd-a"), stats));

        // eth0 exists on the host, but the reader's socket resolves names in the namespace it was created in.
        Assert.Equal(EthtoolReadStatus.NoDevice, reader.TryRead(s_eth0, stats));
        Assert.Equal(19, reader.LastErrno);

        ns.Shell("ip link delete nd-a");
        Assert.Equal(EthtoolReadStatus.NoDevice, reader.TryRead(InterfaceName.FromString("nd-a"), stats));
        Assert.Equal(EthtoolReadStatus.NoDevice, reader.TryRead(InterfaceName.FromString("nd-b"), stats)); // the peer went with it
    }

    // ETHTOOL_SCHANNELS with struct ethtool_channels { __u32 cmd, max_rx, max_tx, max_other, max_combined, rx_count,
    // tx_count, other_count, combined_count; } (include/uapi/linux/ethtool.h), read-modify-write like ethtool -L.
    private static unsafe void SetChannels(SafeFdHandle socket, InterfaceName name, uint rx, uint tx)
    {
        const uint ETHTOOL_GCHANNELS = 0x3c;
        const uint ETHTOOL_SCHANNELS = 0x3d;
        uint* channels = stackalloc uint[9];
        new Span<uint>(channels, 9).Clear();
        var request = default(global::Interop.Ethtool.IfReq);
        name.Bytes.CopyTo(new Span<byte>(request.ifr_name, 15));
        request.ifr_data = channels;

        channels[0] = ETHTOOL_GCHANNELS;
        Assert.Equal(0, global::Interop.Libc.ioctl(socket, global::Interop.Ethtool.SIOCETHTOOL, &request));
        channels[0] = ETHTOOL_SCHANNELS;
        channels[5] = rx;
        channels[6] = tx;
        int result = global::Interop.Libc.ioctl(socket, global::Interop.Ethtool.SIOCETHTOOL, &request);
        Assert.True(result == 0, $"ETHTOOL_SCHANNELS failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long ReadThousand(EthtoolStatsReader reader, EthtoolStatistics stats, out int ok)
    {
        ok = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            ok += reader.TryRead(s_eth0, stats) == EthtoolReadStatus.Ok ? 1 : 0;
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static int Ifindex(NetworkNamespace ns, string device)
    {
        string line = ns.Shell($"ip -o link show dev {device}");
        return int.Parse(line.AsSpan(0, line.IndexOf(':', StringComparison.Ordinal)), NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private static List<(string Name, ulong Value)> RunEthtoolS(string device)
    {
        string output = ToolRunner.Run(RequiredTool.Find("ethtool", "ethtool"), "-S", device);

        // "NIC statistics:" then "     name: value"; names are printed verbatim, so split at the last ": ".
        var result = new List<(string, ulong)>();
        foreach (string line in output.Split('\n').Skip(1))
        {
            int colon = line.LastIndexOf(": ", StringComparison.Ordinal);
            if (colon > 0)
            {
                result.Add((line[..colon].TrimStart(), ulong.Parse(line[(colon + 2)..], NumberStyles.None, CultureInfo.InvariantCulture)));
            }
        }

        return result;
    }
}
