using System.Globalization;
using NetDrop.Tests.TestSupport;

namespace NetDrop.Tests.GroundTruth;

/// <summary>
/// The detail CSV over real kernel drops: the real <c>netdrop monitor</c> in a namespace of the test's own watches two
/// veth ends whose peers are down, and the test refuses a different, witnessed number of frames on each. Each
/// interface's <c>nic_tx</c> rows in the detail file must add up to the frames the test saw refused, to the kernel's own
/// <c>tx_dropped</c> delta of that interface, and, interval by interval, the interface rows of every interface category
/// must add up to the seed CSV row's column.
/// </summary>
[Trait("Category", "Namespace")]
public sealed class DetailCsvGroundTruthTests
{
    private const string InterfaceA = "dt-a";
    private const string InterfaceB = "dt-b";
    private const int FramesA = 37;
    private const int FramesB = 58;
    private const int MonitorIntervalLimit = 600; // 2 minutes at 0.2 s: the run ends even if the stop signal is lost
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);
    private static readonly byte[] s_nobodysMac = [0x02, 0, 0, 0, 0, 0x2a];

    // The oracle's own category -> kernel counter map: veth_xmit() (drivers/net/veth.c) counts a frame its peer
    // refused in the sender's tx_dropped, which rtnl_link_stats64 and statistics/tx_dropped report.
    private const string NicTxCounter = "statistics/tx_dropped";

    [Fact]
    public void DetailCsv_TwoVethsRefusingFramesWithTheirPeersDown_InterfaceRowsEqualTheWitnessTheKernelAndTheSeedCsv()
    {
        using NetworkNamespace ns = NetworkNamespace.Create("ndidetail");
        DirectoryInfo directory = Directory.CreateTempSubdirectory("netdrop-detail-gt-");
        try
        {
            foreach (string name in new[] { InterfaceA, InterfaceB })
            {
                // The peer stays down for the whole run: every frame sent out of the monitored end is refused.
                ns.Ip("link", "add", name, "type", "veth", "peer", "name", name + "p");
                ns.WriteSysctl($"net/ipv6/conf/{name}/disable_ipv6", "1");
                ns.WriteSysctl($"net/ipv6/conf/{name}p/disable_ipv6", "1");
                ns.Ip("link", "set", name, "up");
            }

            string csvPath = Path.Join(directory.FullName, "drops.log");
            string detailPath = Path.Join(directory.FullName, "drops.detail.log");
            Dictionary<string, long> before = ReadKernel(ns);
            int refusedA, refusedB;
            using (MonitorProcess monitor = MonitorProcess.StartIn(ns, csvPath,
                "monitor", "--interface", InterfaceA, "--interface", InterfaceB, "--interval", "0.2",
                "--count", MonitorIntervalLimit.ToString(CultureInfo.InvariantCulture),
                "--csv", csvPath, "--csv-detail", detailPath, "--no-color"))
            {
                monitor.WaitForHeader(s_wait);
                refusedA = ns.Run(() => DropInducers.SendFrames(InterfaceA, FramesA, DropInducers.FrameBytes, bypassQdisc: true, s_nobodysMac, NamespaceInterop.ETH_P_IP));
                refusedB = ns.Run(() => DropInducers.SendFrames(InterfaceB, FramesB, DropInducers.FrameBytes, bypassQdisc: true, s_nobodysMac, NamespaceInterop.ETH_P_IP));

                // The row in progress may have begun before the frames were counted; the one after it began after.
                monitor.WaitForRows(monitor.CompletedRows() + 2, s_wait);
                Signals.Send(monitor.ProcessId, Signals.SIGTERM);
                int exitCode = monitor.WaitForExit(s_wait);
                Assert.True(exitCode == 0, $"The monitor exited with {exitCode}.\n{monitor.Describe()}");
            }

            Dictionary<string, long> after = ReadKernel(ns);
            List<string[]> seed = CsvRecords.Parse(File.ReadAllText(csvPath));
            List<string[]> detail = CsvRecords.Parse(File.ReadAllText(detailPath));

            // The witness: every send was refused (ENOBUFS), so the kernel dropped exactly these.
            Assert.Equal((FramesA, FramesB), (refusedA, refusedB));
            Assert.Equal(FramesA, after[InterfaceA] - before[InterfaceA]);
            Assert.Equal(FramesB, after[InterfaceB] - before[InterfaceB]);

            Assert.Equal(["timestamp", "iteration", "scope", "key", "category", "value"], detail[0]);
            Assert.Equal(FramesA, DetailSum(detail, "interface", InterfaceA, "nic_tx"));
            Assert.Equal(FramesB, DetailSum(detail, "interface", InterfaceB, "nic_tx"));

            string[] header = seed[0];
            List<string[]> rows = seed.Skip(1).ToList();
            Assert.Equal(FramesA + FramesB, rows.Sum(row => long.Parse(row[Array.IndexOf(header, "nic_tx")], CultureInfo.InvariantCulture)));

            // Interval by interval: the interface rows of each interface category sum to the seed row's column, and
            // every detail row belongs to a seed row (same timestamp and iteration).
            var seedRows = rows.ToDictionary(row => row[1], row => row);
            foreach (string[] row in detail.Skip(1))
            {
                Assert.True(seedRows.TryGetValue(row[1], out string[]? seedRow), $"detail row of iteration {row[1]} has no seed CSV row");
                Assert.Equal(seedRow![0], row[0]);
            }

            foreach (string column in new[] { "nic_rx", "nic_tx", "nic_missed", "qdisc" })
            {
                foreach (string[] row in rows)
                {
                    long sum = detail.Skip(1).Where(d => d[1] == row[1] && d[2] == "interface" && d[4] == column).Sum(d => long.Parse(d[5], CultureInfo.InvariantCulture));
                    Assert.True(sum == long.Parse(row[Array.IndexOf(header, column)], CultureInfo.InvariantCulture), $"iteration {row[1]}: detail {column} rows sum to {sum}, the seed CSV says {row[Array.IndexOf(header, column)]}");
                }
            }

            Assert.All(detail.Skip(1), row => Assert.True(long.Parse(row[5], CultureInfo.InvariantCulture) > 0, $"a zero row: {string.Join(',', row)}"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static long DetailSum(List<string[]> detail, string scope, string key, string category) =>
        detail.Skip(1).Where(row => row[2] == scope && row[3] == key && row[4] == category).Sum(row => long.Parse(row[5], CultureInfo.InvariantCulture));

    // `ip netns exec` mounts the namespace's own /sys for the command, so this is the namespace's interface.
    private static Dictionary<string, long> ReadKernel(NetworkNamespace ns) => new[] { InterfaceA, InterfaceB }.ToDictionary(
        name => name,
        name => long.Parse(ns.Exec("cat", $"/sys/class/net/{name}/{NicTxCounter}").Trim(), CultureInfo.InvariantCulture));
}
