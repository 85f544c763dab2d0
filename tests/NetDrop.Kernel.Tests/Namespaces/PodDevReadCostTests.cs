using System.Globalization;
using NetDrop.Benchmarks;
using NetDrop.Kernel.Namespaces;
using Xunit.Abstractions;

namespace NetDrop.Kernel.Tests.Namespaces;

/// <summary>
/// What reading each namespace's <c>net/dev</c> (the pod side of its veths) adds to the per-namespace read the agent
/// does every sample: with 110 pod namespaces (kubelet-style cgroups, <c>lo</c> + an <c>eth0</c> veth end each),
/// netstat + snmp + snmp6 against netstat + snmp + snmp6 + dev, 110 in turn, the two alternating round by round so a
/// machine loaded by other builds weighs on both alike. Thread CPU time (user + kernel) per namespace, printed; the
/// assertions are about correctness only (every dev read sees lo and eth0), never about time. Run:
/// <c>dotnet test tests/NetDrop.Kernel.Tests -c Release --no-build --filter FullyQualifiedName~PodDevReadCostTests --logger "console;verbosity=detailed"</c>.
/// </summary>
[Collection(PodLabCollectionDefinition.Name)]
[Trait("Category", "Benchmark")]
public sealed class PodDevReadCostTests(ITestOutputHelper output)
{
    private const int PodCount = 110;
    private const int Rounds = 21;

    [Fact]
    public void Read_110PodNamespaces_ReportsTheCostOfDevPerNamespace()
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
            PodLab.AddVeth(node, pod, string.Create(CultureInfo.InvariantCulture, $"pdc{suffix}{i}"), "eth0");
        }

        using var scanner = new NetworkNamespaceScanner("/proc");
        scanner.Scan();
        List<NetworkNamespaceFiles> pods = [.. scanner.Namespaces
            .Where(n => n.Owner.PodUid is { } uid && uids.Contains(uid))
            .Select(n => n.Files!)];
        Assert.Equal(PodCount, pods.Count);

        var without = new long[Rounds];
        var with = new long[Rounds];
        var devAlone = new long[Rounds];
        for (int round = 0; round < Rounds; round++)
        {
            long start = ThreadCpuClock.Nanoseconds();
            foreach (NetworkNamespaceFiles files in pods)
            {
                ReadSocketFiles(files);
            }

            without[round] = (ThreadCpuClock.Nanoseconds() - start) / pods.Count;

            start = ThreadCpuClock.Nanoseconds();
            foreach (NetworkNamespaceFiles files in pods)
            {
                ReadSocketFiles(files);
                Assert.True(files.Dev.TryRead(out _));
            }

            with[round] = (ThreadCpuClock.Nanoseconds() - start) / pods.Count;

            // dev by itself, in turn: what it adds, measured directly (the difference of two loaded medians is noisy).
            start = ThreadCpuClock.Nanoseconds();
            foreach (NetworkNamespaceFiles files in pods)
            {
                Assert.True(files.Dev.TryRead(out _));
            }

            devAlone[round] = (ThreadCpuClock.Nanoseconds() - start) / pods.Count;
        }

        Assert.All(pods, files =>
        {
            Assert.True(files.Dev.IndexOf("lo"u8) >= 0);
            Assert.True(files.Dev.IndexOf("eth0"u8) >= 0);
        });
        output.WriteLine($"{PodCount} pod namespaces read in turn, {Rounds} rounds alternating, thread CPU time per namespace, median (min):");
        output.WriteLine($"netstat+snmp+snmp6:     {Us(Median(without))} us ({Us(without.Min())})");
        output.WriteLine($"netstat+snmp+snmp6+dev: {Us(Median(with))} us ({Us(with.Min())})");
        output.WriteLine($"dev alone:              {Us(Median(devAlone))} us ({Us(devAlone.Min())})");
    }

    private static void ReadSocketFiles(NetworkNamespaceFiles files)
    {
        Assert.True(files.Netstat.TryRead(out _));
        Assert.True(files.Snmp.TryRead(out _));
        _ = files.Snmp6.TryRead(out _);
    }

    private static long Median(long[] values)
    {
        long[] sorted = [.. values];
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }

    private static string Us(long nanoseconds) => (nanoseconds / 1000.0).ToString("F1", CultureInfo.InvariantCulture);
}
