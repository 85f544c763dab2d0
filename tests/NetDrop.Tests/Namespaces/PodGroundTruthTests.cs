using System.Globalization;
using System.Text.RegularExpressions;
using NetDrop.Tests.TestSupport;

namespace NetDrop.Tests.Namespaces;

/// <summary>
/// Issue 11's "prove it": a Kubernetes node in miniature (<see cref="PodLab"/>) and the real agent on it, as on a node
/// running the chart: in the node's network namespace, as uid 65534 with every capability dropped, with
/// <c>namespaces: all</c>. Pods are tasks in network namespaces of their own, joined to the node by veths, each in a
/// kubelet-style cgroup of another layout (cgroupfs; systemd with containerd and with CRI-O; plain Docker), one of
/// them with two containers in one namespace. The test induces drops of different categories in different pods and in
/// the node, witnessing each count itself, and creates and kills pods while the agent runs.
/// </summary>
/// <remarks>
/// <para>
/// Category → kernel counters, as the test's own table says (<see cref="GroundTruth.KernelCounterMap"/>, read from
/// each namespace's own <c>/proc/PID/net/{netstat,snmp,snmp6}</c> by <see cref="NamespaceMibOracle"/>):
/// <c>udp_rcvbuf</c> = Udp RcvbufErrors + Udp6RcvbufErrors; <c>accept_queue</c> = TcpExt ListenOverflows;
/// <c>ip_no_route</c> = IpExt InNoRoutes + Ip OutNoRoutes + Ip6InNoRoutes + Ip6OutNoRoutes. Every other
/// per-namespace column is checked too, and must not move in any pod (nothing else was induced).
/// </para>
/// <para>
/// What must hold: per pod and per column, the detail CSV's sum under the pod's key (scope <c>pod</c>, key = pod uid;
/// a plain Docker container: scope <c>namespace</c>, key = its id) == the count the test witnessed == that namespace's
/// own kernel delta; no interval holds more of a pod's category than was induced in it (no false spike); a pod with
/// nothing induced has no row at all; the two-container pod is one pod uid, its container ids name nothing. The seed
/// CSV row is the node's total: over the run each per-namespace column == the node namespace's own kernel delta + the
/// test's pods' kernel deltas + what the detail CSV gives the machine's other namespaces (the host's and other test
/// runs', whose drops the test does not control), and interval by interval == the detail rows' sum where the node's
/// own did not move. Churn: a pod killed right after its drops (the agent stopped meanwhile, so its next sample is
/// the first after the death) still has them counted, by the agent's last read through the files it held; every
/// killed pod's files are closed by the agent and its namespace freed by the kernel (its veth end leaves the node)
/// while the agent runs. The console's Accept Queue line of a CRIT interval names the accept-queue pod.
/// </para>
/// </remarks>
[Trait("Category", "RequiresRoot")]
public sealed class PodGroundTruthTests : IDisposable
{
    private const int SIGCONT = 18; // include/uapi/asm-generic/signal.h (x86-64 and arm64 alike)
    private const int SIGSTOP = 19;
    private const int Threshold = 5; // a wave of 12 SYNs lands at least 6 in one interval: CRIT
    private const int AcceptQueueClients = 12;

    private static readonly string[] s_unprivileged =
        ["--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"];

    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);

    private readonly string _directory = Directory.CreateTempSubdirectory("netdrop-podgt-").FullName;

    [Fact]
    public void Agent_UnprivilegedOnANodeOfPodsWithChurn_EachPodsDropsUnderItsOwnKeyEqualWitnessAndKernelAndTheNodeRowIsTheirSum()
    {
        _ = ToolRunner.Run("chmod", "0777", _directory); // the CSVs are written by uid 65534
        using var lab = new PodLab();
        NetworkNamespace node = lab.CreateNodeNamespace();
        node.Ip("link", "set", "lo", "up");
        DisableIPv6OnNewInterfaces(node.Exec);

        string udpUid = PodLab.NewPodUid(), acceptUid = PodLab.NewPodUid(), noRouteUid = PodLab.NewPodUid(), quietUid = PodLab.NewPodUid();
        string sandboxId = PodLab.NewContainerId(), appId = PodLab.NewContainerId(), dockerId = PodLab.NewContainerId();
        WitnessedPod udp = StartPod(lab, node, 1, "cgroupfs, burstable", udpUid, PodLab.NewContainerId(), (uid, cid) => PodLab.CgroupfsPath("burstable", uid, cid));
        WitnessedPod accept = StartPod(lab, node, 2, "systemd + containerd, burstable, two containers", acceptUid, sandboxId,
            (uid, cid) => PodLab.SystemdPath("burstable", uid, "cri-containerd", cid));
        accept.AddTask(lab.StartPod(PodLab.SystemdPath("burstable", acceptUid, "cri-containerd", appId), acceptUid, appId, shareNetworkWith: accept.FirstTask));
        WitnessedPod noRoute = StartPod(lab, node, 3, "systemd + CRI-O, guaranteed", noRouteUid, PodLab.NewContainerId(), (uid, cid) => PodLab.SystemdPath(null, uid, "crio", cid));
        WitnessedPod docker = StartPod(lab, node, 4, "plain Docker, systemd driver", null, dockerId, (_, cid) => PodLab.DockerSystemdPath(cid));
        WitnessedPod quiet = StartPod(lab, node, 5, "cgroupfs, besteffort", quietUid, PodLab.NewContainerId(), (uid, cid) => PodLab.CgroupfsPath("besteffort", uid, cid));
        node.WriteSysctl("net/ipv6/conf/lo/disable_ipv6", "0"); // ::1 back on the node's loopback, which ConfigureQuietLink took away
        var pods = new List<WitnessedPod> { udp, accept, noRoute, docker, quiet };
        string[] podContainerIds = [sandboxId, appId];

        foreach (WitnessedPod pod in pods)
        {
            pod.ReadBefore();
        }

        IReadOnlyDictionary<string, long> nodeBefore = NamespaceMibOracle.Read(node);
        string csvPath = Path.Join(_directory, "drops.log");
        string detailPath = Path.Join(_directory, "drops.detail.log");
        using MonitorProcess agent = MonitorProcess.StartInAs(node, s_unprivileged, csvPath, new Dictionary<string, string>
        {
            ["NETDROP_NAMESPACES"] = "all",
            ["NETDROP_NAMESPACE_INTERVAL"] = "0.5", // every sample, as the interval
            ["HOME"] = "/tmp",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        }, "monitor", "--interface", "lo", "--interval", "0.5", "--threshold", Threshold.ToString(CultureInfo.InvariantCulture),
            "--csv", csvPath, "--csv-detail", detailPath, "--no-color");
        agent.WaitForHeader(s_wait); // the baseline sample is taken, the pods' with it
        foreach (WitnessedPod pod in pods)
        {
            WaitUntilHeld(agent, pod);
        }

        // Drops of three categories in four pods, and the node's own; the quiet pod gets nothing.
        DropWitness nodeFlood = DropInducers.FloodUnreadUdpSockets(node, datagramsPerFamily: 100);
        Induce(udp, PodDropInducers.FloodUnreadUdpSockets(udp.FirstTask, datagramsPerFamily: 300));
        Induce(accept, PodDropInducers.OverflowAcceptQueue(accept.FirstTask, AcceptQueueClients));
        Induce(noRoute, PodDropInducers.SendWithoutRoute(noRoute.FirstTask, datagrams: 25));
        Induce(docker, PodDropInducers.FloodUnreadUdpSockets(docker.FirstTask, datagramsPerFamily: 120));
        Poll.Until(() =>
        {
            List<string[]> rows = ReadDetail(detailPath);
            return pods.All(pod => pod.Witnessed.All(witnessed => DetailSum(rows, pod, witnessed.Key) >= witnessed.Value));
        }, s_wait, $"the agent to count every pod's witnessed drops: {agent.Describe()}");

        // Churn: two pods appear; one drops and dies before the agent's next sample, one dies having done nothing, and
        // the first UDP pod dies long after its drops were counted.
        WitnessedPod late = StartPod(lab, node, 6, "systemd + containerd, besteffort (created mid-run)", PodLab.NewPodUid(), PodLab.NewContainerId(),
            (uid, cid) => PodLab.SystemdPath("besteffort", uid, "cri-containerd", cid));
        WitnessedPod lateQuiet = StartPod(lab, node, 7, "cgroupfs, guaranteed (created mid-run)", PodLab.NewPodUid(), PodLab.NewContainerId(),
            (uid, cid) => PodLab.CgroupfsPath(null, uid, cid));
        late.ReadBefore();
        lateQuiet.ReadBefore();
        pods.AddRange([late, lateQuiet]);
        WaitUntilHeld(agent, late);
        WaitUntilHeld(agent, lateQuiet);
        agent.WaitForRows(agent.CompletedRows() + 1, s_wait); // the sample that opened their files (their baseline) is done

        Signals.Send(agent.ProcessId, SIGSTOP);
        Poll.Until(() => ProcessDescriptors.State(agent.ProcessId) == 'T', s_wait, "the agent to stop");
        Induce(late, PodDropInducers.FloodUnreadUdpSockets(late.FirstTask, datagramsPerFamily: 150));
        Induce(late, PodDropInducers.SendWithoutRoute(late.FirstTask, datagrams: 11));
        WitnessedPod[] killed = [late, lateQuiet, udp];
        foreach (WitnessedPod pod in killed)
        {
            pod.ReadFinal();
            pod.Kill();
        }

        Assert.NotEmpty(ProcessDescriptors.OnNetFilesOf(agent.ProcessId, late.FirstTask.Pid)); // what the checks below must see go
        Signals.Send(agent.ProcessId, SIGCONT);

        foreach (WitnessedPod pod in killed)
        {
            Poll.Until(() => ProcessDescriptors.OnNetFilesOf(agent.ProcessId, pod.FirstTask.Pid).Count == 0, s_wait,
                $"the agent to close its descriptors on the dead {pod}: {string.Join(", ", ProcessDescriptors.OnNetFilesOf(agent.ProcessId, pod.FirstTask.Pid))}");
            Poll.Until(() => !PodLab.HasLink(node, pod.NodeVeth), s_wait,
                $"{pod}'s veth end {pod.NodeVeth} to leave the node, i.e. the kernel to free the pod's namespace");
        }

        Assert.False(agent.HasExited, $"the agent exited during the churn: {agent.Describe()}");

        // A pod created after the deaths (it may get a freed namespace's inode number) must start from its own baseline.
        WitnessedPod fresh = StartPod(lab, node, 8, "systemd + CRI-O, besteffort (created after the deaths)", PodLab.NewPodUid(), PodLab.NewContainerId(),
            (uid, cid) => PodLab.SystemdPath("besteffort", uid, "crio", cid));
        fresh.ReadBefore();
        pods.Add(fresh);
        WaitUntilHeld(agent, fresh);
        agent.WaitForRows(agent.CompletedRows() + 3, s_wait); // late or spurious counts would be in these
        Signals.Send(agent.ProcessId, Signals.SIGTERM);
        int exitCode = agent.WaitForExit(s_wait);
        Assert.True(exitCode == 0, $"The agent exited with {exitCode}.\n{agent.Describe()}");

        foreach (WitnessedPod pod in pods.Where(pod => pod.Final is null))
        {
            pod.ReadFinal();
        }

        Dictionary<string, long> nodeKernel = NamespaceMibOracle.Delta(nodeBefore, NamespaceMibOracle.Read(node));
        List<string[]> detail = ReadDetail(detailPath);
        string seedText = File.ReadAllText(csvPath);
        List<string[]> seed = CsvRecords.Parse(seedText);
        Assert.Equal(["timestamp", "iteration", "scope", "key", "category", "value"], CsvRecords.Parse(File.ReadAllText(detailPath))[0]);

        // Each pod: witness == its namespace's own kernel delta == the agent's detail rows under its key, every column.
        var podKernel = pods.ToDictionary(pod => pod, pod => NamespaceMibOracle.Delta(pod.Before, pod.Final!));
        foreach (WitnessedPod pod in pods)
        {
            foreach (string column in NamespaceMibOracle.NamespaceColumns)
            {
                long witnessed = pod.WitnessedOf(column), kernel = podKernel[pod][column], agentSum = DetailSum(detail, pod, column);
                Assert.True(witnessed == kernel && kernel == agentSum,
                    $"{pod}, {column}: witnessed {witnessed}, its kernel counted {kernel}, the agent's detail CSV says {agentSum}");
            }

            // No false spike: each of the pod's rows is of a category induced in it, and no larger than what was induced.
            foreach (string[] row in detail.Where(row => row[3] == pod.DetailKey))
            {
                Assert.True(row[2] == pod.DetailScope && long.Parse(row[5], CultureInfo.InvariantCulture) <= pod.WitnessedOf(row[4]),
                    $"{pod}: detail row {string.Join(',', row)}, but {pod.WitnessedOf(row[4])} {row[4]} were induced in all");
            }
        }

        Assert.DoesNotContain(detail, row => row[3] == quiet.DetailKey || row[3] == lateQuiet.DetailKey || row[3] == fresh.DetailKey);
        foreach (string containerId in podContainerIds)
        {
            Assert.DoesNotContain(detail, row => row[3] == containerId);
            Assert.DoesNotContain("container " + containerId[..12], agent.Output, StringComparison.Ordinal);
        }

        // The node row: its own namespace + the test's pods + the machine's other namespaces, each drop once.
        Dictionary<string, long> seedSums = CsvRecords.ColumnSums(seedText);
        var ourKeys = pods.Select(pod => pod.DetailKey).ToHashSet(StringComparer.Ordinal);
        foreach (string column in NamespaceMibOracle.NamespaceColumns)
        {
            Assert.True(nodeKernel[column] == nodeFlood[column], $"the node's own {column} moved by {nodeKernel[column]}; the test induced {nodeFlood[column]}");
            long ours = pods.Sum(pod => podKernel[pod][column]);
            long others = detail.Where(row => row[4] == column && IsNamespaceRow(row) && !ourKeys.Contains(row[3]))
                .Sum(row => long.Parse(row[5], CultureInfo.InvariantCulture));
            Assert.True(seedSums[column] == nodeKernel[column] + ours + others,
                $"{column}: the seed CSV's node rows sum to {seedSums[column]}; the node's own kernel delta {nodeKernel[column]} + the pods' {ours} + other namespaces' (detail CSV) {others} = {nodeKernel[column] + ours + others}");
        }

        string[] header = seed[0];
        foreach (string[] row in seed.Skip(1))
        {
            foreach (string column in NamespaceMibOracle.NamespaceColumns.Where(column => nodeKernel[column] == 0))
            {
                long value = long.Parse(row[Array.IndexOf(header, column)], CultureInfo.InvariantCulture);
                long namespaces = detail.Where(d => d[1] == row[1] && d[4] == column && IsNamespaceRow(d)).Sum(d => long.Parse(d[5], CultureInfo.InvariantCulture));
                Assert.True(value == namespaces, $"iteration {row[1]}: {column} is {value} in the seed CSV, the namespaces' detail rows sum to {namespaces}, the node's own moved by 0");
            }
        }

        // The console names the accept-queue pod, in a CRIT interval, with every SYN it refused.
        (long consoleShare, int critLines) = ConsoleShares(agent.Output, "Accept Queue Overflow", "pod " + accept.DetailKey[..8]);
        Assert.True(consoleShare == accept.WitnessedOf("accept_queue") && critLines > 0,
            $"the console gave pod {accept.DetailKey[..8]} {consoleShare} accept-queue drops ({critLines} lines in CRIT intervals); {accept.WitnessedOf("accept_queue")} were witnessed.\n{agent.Output}");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>
    /// Starts a pod's first task in <paramref name="cgroupPath"/>, joins it to the node by a quiet veth (<c>pgtN</c> on
    /// the node, <c>eth0</c> in the pod) and brings its loopback up with IPv6 on it.
    /// </summary>
    private static WitnessedPod StartPod(PodLab lab, NetworkNamespace node, int subnet, string layout, string? podUid, string containerId,
        Func<string, string, string> cgroupPath)
    {
        PodLabPod task = lab.StartPod(cgroupPath(podUid ?? "", containerId), podUid, containerId);
        DisableIPv6OnNewInterfaces(task.Exec);
        string nodeVeth = string.Create(CultureInfo.InvariantCulture, $"pgt{subnet}");
        PodLab.AddVeth(node, task, nodeVeth, "eth0");
        PodLab.ConfigureQuietLink(node, task, nodeVeth, "eth0", subnet);
        _ = task.Exec("ip", "link", "set", "lo", "up");
        _ = task.Exec("sysctl", "-qw", "net.ipv6.conf.lo.disable_ipv6=0"); // ConfigureQuietLink's "all" took ::1 away
        return podUid is null
            ? new WitnessedPod(layout, task, "namespace", containerId, nodeVeth)
            : new WitnessedPod(layout, task, "pod", podUid, nodeVeth);
    }

    /// <summary>
    /// IPv6 off for every interface made from now on, before the veth is: an end brought up with IPv6 on sends
    /// router solicitations, DAD probes and MLD reports (some of them after a random delay) that the other end,
    /// with IPv6 off, discards as Ip6InDiscards (ip6_rcv_core(), net/ipv6/ip6_input.c: cnf.disable_ipv6). Inside the test's
    /// own namespaces only.
    /// </summary>
    private static void DisableIPv6OnNewInterfaces(Func<string[], string> exec) =>
        _ = exec(["sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"]);

    /// <summary>Adds the witness to the pod and checks the pod's own kernel counted exactly that (a deferred softirq may count it a little later).</summary>
    private static void Induce(WitnessedPod pod, DropWitness witness)
    {
        pod.Witness(witness);
        foreach (string column in witness.Counts.Keys)
        {
            Poll.Until(() => pod.KernelDeltaNow(column) >= pod.WitnessedOf(column), s_wait, $"{pod}'s kernel to count {witness}");
            long kernel = pod.KernelDeltaNow(column);
            Assert.True(kernel == pod.WitnessedOf(column), $"{pod}: its kernel counted {kernel} {column}, the inducers witnessed {pod.WitnessedOf(column)} ({witness})");
        }
    }

    /// <summary>Waits until the agent holds a descriptor on the pod's counter files: it has found the namespace.</summary>
    private static void WaitUntilHeld(MonitorProcess agent, WitnessedPod pod) =>
        Poll.Until(() => pod.Tasks.Any(task => ProcessDescriptors.OnNetFilesOf(agent.ProcessId, task.Pid).Count > 0), s_wait,
            $"the agent to open the counter files of {pod}: {agent.Describe()}");

    private static List<string[]> ReadDetail(string path) => File.Exists(path) ? [.. CsvRecords.Parse(UnlockedFile.ReadAllText(path)).Skip(1)] : [];

    private static bool IsNamespaceRow(string[] row) => row[2] is "pod" or "namespace";

    private static long DetailSum(List<string[]> detail, WitnessedPod pod, string column) =>
        detail.Where(row => row[2] == pod.DetailScope && row[3] == pod.DetailKey && row[4] == column).Sum(row => long.Parse(row[5], CultureInfo.InvariantCulture));

    /// <summary>
    /// Sums <paramref name="owner"/>'s share over every console line of the category
    /// (<c>  ├─ Accept Queue Overflow: 36 (pod 5f1c2a7e 36)</c>) and counts the lines in CRIT intervals (the interval
    /// line before them: <c>[...] #0007 | ✖ CRIT | Drops: 40</c>).
    /// </summary>
    private static (long Share, int LinesInCrit) ConsoleShares(string output, string label, string owner)
    {
        long share = 0;
        int inCrit = 0;
        bool crit = false;
        var pattern = new Regex(Regex.Escape(owner) + @" (\d+)");
        foreach (string line in output.Split('\n'))
        {
            if (line.StartsWith('[') && line.Contains(" | Drops: ", StringComparison.Ordinal))
            {
                crit = line.Contains("| ✖ CRIT |", StringComparison.Ordinal);
                continue;
            }

            if (!line.Contains("├─ " + label + ":", StringComparison.Ordinal) || pattern.Match(line) is not { Success: true } match)
            {
                continue;
            }

            share += long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            inCrit += crit ? 1 : 0;
        }

        return (share, inCrit);
    }
}
