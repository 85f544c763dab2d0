using System.Globalization;
using NetDrop.Benchmarks;
using NetDrop.Kernel.Namespaces;
using Xunit.Abstractions;

namespace NetDrop.Kernel.Tests.Namespaces;

/// <summary>
/// Measures, with 110 pod namespaces (each a kubelet-style cgroup and an <c>eth0</c> veth end, as real pods have) and
/// every other process this machine runs: one scan's cost, warm and first, the getdents64 walk against Directory
/// enumeration, and the warm read of netstat + snmp + snmp6 + dev per namespace, alone and 110 in turn. Figures are
/// thread CPU time (user + kernel), printed to the test output; the assertions are about correctness only (every pod
/// found once, a churn-free warm scan allocates nothing), never about time. Run:
/// <c>dotnet test tests/NetDrop.Kernel.Tests -c Release --no-build --filter Category=Benchmark --logger "console;verbosity=detailed"</c>.
/// </summary>
[Collection(PodLabCollectionDefinition.Name)]
[Trait("Category", "Benchmark")]
public sealed class NamespaceScanCostTests(ITestOutputHelper output)
{
    private const int PodCount = 110;
    private const int Rounds = 21;

    [Fact]
    public void Scan_110PodNamespaces_ReportsScanAndReadCost()
    {
        using var lab = new PodLab();
        NetworkNamespace node = lab.CreateNodeNamespace();
        string suffix = Guid.NewGuid().ToString("N")[..4];
        var uids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < PodCount; i++)
        {
            string uid = PodLab.NewPodUid();
            uids.Add(uid);
            PodLabPod pod = lab.StartPod(PodLab.CgroupfsPath("burstable", uid, PodLab.NewContainerId()), uid, null);
            PodLab.AddVeth(node, pod, string.Create(CultureInfo.InvariantCulture, $"bnb{suffix}{i}"), "eth0");
        }

        using var scanner = new NetworkNamespaceScanner("/proc");
        long start = ThreadCpuClock.Nanoseconds();
        scanner.Scan();
        long firstScan = ThreadCpuClock.Nanoseconds() - start;

        Assert.Equal(PodCount, scanner.Namespaces.Count(n => n.Owner.PodUid is { } uid && uids.Contains(uid)));
        Assert.Equal(PodCount, scanner.Namespaces.Where(n => n.Owner.PodUid is not null && uids.Contains(n.Owner.PodUid)).Select(n => n.Owner.PodUid).Distinct().Count());
        int namespaces = scanner.Namespaces.Count;
        int tasks = scanner.TasksSeen;

        var scanCpu = new long[Rounds];
        var scanBytes = new long[Rounds];
        for (int round = 0; round < Rounds; round++)
        {
            long bytes = GC.GetAllocatedBytesForCurrentThread();
            start = ThreadCpuClock.Nanoseconds();
            scanner.Scan();
            scanCpu[round] = ThreadCpuClock.Nanoseconds() - start;
            scanBytes[round] = GC.GetAllocatedBytesForCurrentThread() - bytes;
        }

        // The same walk with Directory enumeration (a string per entry) and a statx per process.
        var enumerateCpu = new long[Rounds];
        var enumerateBytes = new long[Rounds];
        for (int round = 0; round < Rounds; round++)
        {
            long bytes = GC.GetAllocatedBytesForCurrentThread();
            start = ThreadCpuClock.Nanoseconds();
            int found = 0;
            foreach (string directory in Directory.EnumerateDirectories("/proc"))
            {
                string name = Path.GetFileName(directory);
                if (name.Length > 0 && char.IsAsciiDigit(name[0]) &&
                    NetworkNamespaceScanner.TryGetNamespaceId(Path.Join(directory, "net/netstat"), out _))
                {
                    found++;
                }
            }

            enumerateCpu[round] = ThreadCpuClock.Nanoseconds() - start;
            enumerateBytes[round] = GC.GetAllocatedBytesForCurrentThread() - bytes;
            Assert.True(found > PodCount);
        }

        List<NetworkNamespaceFiles> pods = scanner.Namespaces
            .Where(n => n.Owner.PodUid is { } uid && uids.Contains(uid))
            .Select(n => n.Files!)
            .ToList();

        // Warm reads, 110 namespaces in turn (each file's kept descriptor re-read with pread).
        var inTurn = new long[Rounds];
        for (int round = 0; round < Rounds; round++)
        {
            start = ThreadCpuClock.Nanoseconds();
            foreach (NetworkNamespaceFiles files in pods)
            {
                ReadAll(files);
            }

            inTurn[round] = (ThreadCpuClock.Nanoseconds() - start) / pods.Count;
        }

        // Warm reads of one namespace, again and again.
        NetworkNamespaceFiles one = pods[0];
        var alone = new long[Rounds];
        for (int round = 0; round < Rounds; round++)
        {
            start = ThreadCpuClock.Nanoseconds();
            for (int i = 0; i < 50; i++)
            {
                ReadAll(one);
            }

            alone[round] = (ThreadCpuClock.Nanoseconds() - start) / 50;
        }

        Assert.Equal(2, one.Dev.Count); // lo and eth0, as in a real pod

        // A scan in which no namespace appeared and no representative changed allocates nothing; other engineers'
        // processes come and go meanwhile, so at least one of the rounds is such a scan, not necessarily all.
        Assert.Equal(0, scanBytes.Min());
        output.WriteLine($"namespaces {namespaces} (pods {PodCount}), processes {tasks}, rounds {Rounds}, thread CPU time, median (min):");
        output.WriteLine($"first scan (opens 4 files per namespace, reads cgroup+comm): {Us(firstScan)} us");
        output.WriteLine($"warm scan, getdents64 + statx:      {Us(Median(scanCpu))} us ({Us(scanCpu.Min())}); allocated {Median(scanBytes)} B ({scanBytes.Min()})");
        output.WriteLine($"warm scan, Directory enum + statx:  {Us(Median(enumerateCpu))} us ({Us(enumerateCpu.Min())}); allocated {Median(enumerateBytes)} B ({enumerateBytes.Min()})");
        output.WriteLine($"warm read netstat+snmp+snmp6+dev, one namespace:       {Us(Median(alone))} us ({Us(alone.Min())})");
        output.WriteLine($"warm read netstat+snmp+snmp6+dev, 110 in turn, per ns: {Us(Median(inTurn))} us ({Us(inTurn.Min())})");
    }

    private static void ReadAll(NetworkNamespaceFiles files)
    {
        Assert.True(files.Netstat.TryRead(out _));
        Assert.True(files.Snmp.TryRead(out _));
        _ = files.Snmp6.TryRead(out _);
        Assert.True(files.Dev.TryRead(out _));
    }

    private static long Median(long[] values)
    {
        long[] sorted = [.. values];
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }

    private static string Us(long nanoseconds) => (nanoseconds / 1000.0).ToString("F1", CultureInfo.InvariantCulture);
}
