using NetDrop.Deltas;
using NetDrop.Model;
using NetDrop.Sinks.Csv;
using NetDrop.Sources;

namespace NetDrop.Tests.Csv;

/// <summary>
/// The detail CSV's rows as bytes (the expected text is written out by hand from the report the test builds), its file
/// discipline, and the start-up errors of a path that cannot work.
/// </summary>
public sealed class DetailCsvSinkTests
{
    private static readonly DateTimeOffset s_end = new(2026, 2, 3, 11, 23, 50, TimeSpan.Zero);

    [Fact]
    public void Format_InterfacesSlaveAndCpus_OneRowPerNonZeroSeriesInTableOrder()
    {
        var registry = new InterfaceRegistry();
        IntervalReport report = Report(registry);

        string text = System.Text.Encoding.UTF8.GetString(new DetailCsvFormatter().Format(report));

        Assert.Equal(
            """"
            2026-02-03 11:23:50,124,interface,bond0,nic_rx,30
            2026-02-03 11:23:50,124,interface,bond0,qdisc,4
            2026-02-03 11:23:50,124,interface,"we,ird ""one""",nic_tx,9
            2026-02-03 11:23:50,124,slave,bond0/eth1,nic_rx,10
            2026-02-03 11:23:50,124,cpu,3,softirq,500
            2026-02-03 11:23:50,124,cpu,3,softnet_squeeze,7
            2026-02-03 11:23:50,124,cpu,5,softnet_squeeze,1

            """".Replace("\r", "", StringComparison.Ordinal),
            text);
    }

    [Fact]
    public void Format_OtherNetworkNamespaces_APodByItsUidAContainerByItsIdAProcessByCommAndPid()
    {
        var registry = new InterfaceRegistry();
        var report = new IntervalReport(DropCategories.Table, registry) { Iteration = 7, Timestamp = s_end };
        report.Namespaces.Add(Namespace(4026532801, new("5f1c2a7e-0000-4000-8000-000000000001", null, "pause", 4100), (DropCategories.AcceptQueue, 32)));
        report.Namespaces.Add(Namespace(4026532802, new(null, "0123456789ab", "nginx", 4200), (DropCategories.UdpRcvbuf, 5)));
        report.Namespaces.Add(Namespace(4026532803, new(null, null, "iperf3", 4300), (DropCategories.UdpRcvbuf, 2), (DropCategories.TcpCollapsed, 1)));

        string text = System.Text.Encoding.UTF8.GetString(new DetailCsvFormatter().Format(report));

        Assert.Equal(
            """
            2026-02-03 11:23:50,7,pod,5f1c2a7e-0000-4000-8000-000000000001,accept_queue,32
            2026-02-03 11:23:50,7,namespace,0123456789ab,udp_rcvbuf,5
            2026-02-03 11:23:50,7,namespace,iperf3/4300,tcp_collapsed,1
            2026-02-03 11:23:50,7,namespace,iperf3/4300,udp_rcvbuf,2

            """.Replace("\r", "", StringComparison.Ordinal),
            text);
    }

    private static NamespaceDelta Namespace(ulong id, Kernel.Namespaces.NamespaceOwner owner, params (DropCategory Category, ulong Value)[] values)
    {
        ulong[] perCategory = new ulong[DropCategories.Table.Count];
        foreach ((DropCategory category, ulong value) in values)
        {
            perCategory[category.Id] = value;
        }

        return new NamespaceDelta(id, owner, perCategory, values.Where(v => v.Category.IsDrop).Aggregate(0UL, (sum, v) => sum + v.Value));
    }

    [Fact]
    public void Format_UnavailableCategory_WritesNoRowForIt()
    {
        var registry = new InterfaceRegistry();
        IntervalReport report = Report(registry);
        report.UnavailableMask |= 1UL << DropCategories.Softirq.Id;

        string text = System.Text.Encoding.UTF8.GetString(new DetailCsvFormatter().Format(report));

        Assert.DoesNotContain(",softirq,", text, StringComparison.Ordinal);
        Assert.Contains(",cpu,3,softnet_squeeze,7\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_TwoIntervalsOneQuiet_HeaderOnceAndOnlyTheNonZeroRows()
    {
        DirectoryInfo directory = Directory.CreateTempSubdirectory("netdrop-detail-");
        try
        {
            string path = Path.Join(directory.FullName, "drops.detail.log");
            var registry = new InterfaceRegistry();
            using (var sink = new DetailCsvSink(path))
            {
                sink.Open();
                sink.Write(Report(registry));
                var quiet = new IntervalReport(DropCategories.Table, registry) { Iteration = 125, Timestamp = s_end.AddSeconds(5) };
                quiet.Interfaces.Add(new InterfaceDelta { Series = registry.GetOrAdd("bond0"), MasterSeries = -1 });
                sink.Write(quiet);
                Assert.True(sink.Complete(TimeSpan.FromSeconds(60)));
            }

            string[] lines = File.ReadAllLines(path);
            Assert.Equal(DetailCsvSchema.Header, lines[0]);
            Assert.Equal(8, lines.Length); // the header and the seven rows of iteration 124; the quiet interval wrote none
            Assert.All(lines.Skip(1), line => Assert.StartsWith("2026-02-03 11:23:50,124,", line, StringComparison.Ordinal));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Monitor_DetailPathInAMissingDirectory_ExitsTwoWithOneSentenceNamingIt()
    {
        string path = Path.Join(Path.GetTempPath(), "netdrop-no-such-dir-" + Guid.NewGuid().ToString("N"), "drops.detail.log");

        ProcessRunner.Result result = ProcessRunner.NetDrop("monitor", "--no-csv", "--csv-detail", path, "--count", "1", "--interval", "0.1", "--no-color");

        Assert.Equal(2, result.ExitCode);
        string error = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(path, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Monitor_DetailPathIsTheCsvItself_ExitsTwoWithOneSentence()
    {
        string path = Path.Join(Path.GetTempPath(), "netdrop-same-" + Guid.NewGuid().ToString("N") + ".log");

        ProcessRunner.Result result = ProcessRunner.NetDrop("monitor", "--csv", path, "--csv-detail", path, "--count", "1", "--interval", "0.1", "--no-color");

        Assert.Equal(2, result.ExitCode);
        string error = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("must not be the CSV log itself", error, StringComparison.Ordinal);
        Assert.False(File.Exists(path), "the CSV was opened although the run could not start");
    }

    // bond0 (nic_rx 30 of which its slave eth1 holds 10, qdisc 4), an interface whose name needs quoting (nic_tx 9), an
    // idle interface (no row), CPU 3 (softirq 500, squeeze 7), CPU 4 idle, CPU 5 (squeeze 1).
    private static IntervalReport Report(InterfaceRegistry registry)
    {
        DropCategoryTable table = DropCategories.Table;
        var report = new IntervalReport(table, registry) { Iteration = 124, Timestamp = s_end, InterfaceLabel = "bond0+we,ird \"one\"+eth9" };
        int bond = registry.GetOrAdd("bond0");
        var master = new InterfaceDelta { Series = bond, MasterSeries = -1 };
        master.Values[table.InterfaceSlotOf(DropCategories.NicRx)] = 30;
        master.Values[table.InterfaceSlotOf(DropCategories.Qdisc)] = 4;
        var weird = new InterfaceDelta { Series = registry.GetOrAdd("we,ird \"one\""), MasterSeries = -1 };
        weird.Values[table.InterfaceSlotOf(DropCategories.NicTx)] = 9;
        var idle = new InterfaceDelta { Series = registry.GetOrAdd("eth9"), MasterSeries = -1 };
        var slave = new InterfaceDelta { Series = registry.GetOrAdd("eth1"), MasterSeries = bond };
        slave.Values[table.InterfaceSlotOf(DropCategories.NicRx)] = 10;
        report.Interfaces.Add(master);
        report.Interfaces.Add(weird);
        report.Interfaces.Add(idle);
        report.Slaves.Add(slave);
        report.Cpus.Add(new SoftnetDelta(3, 500, 7));
        report.Cpus.Add(new SoftnetDelta(4, 0, 0));
        report.Cpus.Add(new SoftnetDelta(5, 0, 1));
        return report;
    }
}
