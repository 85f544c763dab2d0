using System.Globalization;
using NetDrop.Tests.TestSupport;

namespace NetDrop.Tests.Namespaces;

/// <summary>
/// The real agent in a "node" namespace of its own (quiet: only lo and a veth end), <c>namespaces: all</c>, at
/// <c>--interval 0.3 --namespace-interval 0.9</c>: the other namespaces are read every third sample. From its CSV and
/// detail CSV alone: every namespace row is in an interval whose number is a multiple of 3; in every interval the
/// seed row's <c>udp_rcvbuf</c> is exactly the namespaces' rows (the node's own share is 0); the dropping pod's rows
/// sum to the drops the test witnessed (== that namespace's own kernel delta), including those made just before its
/// only task was killed; the killed pod's namespace is then freed while the agent runs (its veth end in the node
/// namespace disappears, cleanup_net); a pod with nothing induced has no row. Category → counters, written here:
/// <c>udp_rcvbuf</c> = Udp RcvbufErrors + Udp6RcvbufErrors of the namespace.
/// </summary>
[Collection(nameof(NamespaceCountingTests))]
public sealed class NamespaceCadenceAgentTests : IDisposable
{
    private const int Cadence = 3; // 0.9 s / 0.3 s, written here

    private readonly string _directory = Directory.CreateTempSubdirectory("netdrop-cadence-").FullName;

    [Fact]
    [Trait("Category", "RequiresRoot")]
    public void Agent_NamespacesEveryThirdSample_PodDropsCountedOnceAtTheReadsAndTheDeadPodFreed()
    {
        using NetworkNamespace node = NetworkNamespace.Create("ndcadnode");
        node.Ip("link", "set", "lo", "up");
        using var dropping = new NamespaceSandbox();
        using var quiet = new NamespaceSandbox();
        string link = "ndc" + Guid.NewGuid().ToString("N")[..8];
        node.Ip("link", "add", link, "type", "veth", "peer", "name", link + "p", "netns", dropping.Namespace.Name);
        string csv = Path.Join(_directory, "drops.log"), detail = Path.Join(_directory, "drops.detail.log");
        using MonitorProcess agent = MonitorProcess.StartInWithEnvironment(node, csv, new Dictionary<string, string> { ["NETDROP_NAMESPACES"] = "all" },
            "monitor", "-i", "lo", "--interval", "0.3", "--namespace-interval", "0.9", "--csv", csv, "--csv-detail", detail, "--no-color");
        agent.WaitForHeader(TimeSpan.FromSeconds(60)); // written after the baseline sample, which reads every namespace
        string pod = "namespace,sleep/" + dropping.Pid.ToString(CultureInfo.InvariantCulture) + ",udp_rcvbuf,";

        long kernelBefore = dropping.UdpRcvbufErrors();
        DropWitness first = DropInducers.FloodUnreadUdpSockets(dropping.Namespace, datagramsPerFamily: 300);
        Assert.Equal(dropping.UdpRcvbufErrors() - kernelBefore, first["udp_rcvbuf"]);
        Poll.Until(() => SumOf(Rows(detail), pod) == first["udp_rcvbuf"], TimeSpan.FromSeconds(60),
            $"the pod's udp_rcvbuf rows to reach {first["udp_rcvbuf"]}: {agent.Describe()}");

        kernelBefore = dropping.UdpRcvbufErrors();
        DropWitness last = DropInducers.FloodUnreadUdpSockets(dropping.Namespace, datagramsPerFamily: 200);
        Assert.Equal(dropping.UdpRcvbufErrors() - kernelBefore, last["udp_rcvbuf"]);
        dropping.Kill(); // its name deleted, its only task gone: only the agent's open files hold the namespace now
        Poll.Until(() => !HasLink(node, link), TimeSpan.FromSeconds(60), $"the dead pod's namespace to be freed while the agent runs: {agent.Describe()}");
        Assert.False(agent.HasExited, agent.Describe());
        int rows = agent.CompletedRows();
        agent.WaitForRows(rows + Cadence + 1, TimeSpan.FromSeconds(60)); // at least one more read after the release
        Signals.Send(agent.ProcessId, Signals.SIGTERM); // both CSVs complete and fsynced: read them whole
        Assert.True(agent.WaitForExit(TimeSpan.FromSeconds(60)) == 0, agent.Describe());

        string[] detailRows = Rows(detail);
        string[] namespaceRows = [.. detailRows.Where(row => row.Contains(",namespace,", StringComparison.Ordinal) || row.Contains(",pod,", StringComparison.Ordinal))];
        Assert.Equal(first["udp_rcvbuf"] + last["udp_rcvbuf"], SumOf(namespaceRows, pod));
        Assert.DoesNotContain(namespaceRows, row => row.Contains("sleep/" + quiet.Pid.ToString(CultureInfo.InvariantCulture) + ",", StringComparison.Ordinal));
        Assert.All(namespaceRows, row => Assert.True(IterationOf(row) % Cadence == 0, $"a namespace row outside a read: {row}"));

        // The seed row: the node's own share (0 here) plus every namespace's rows of the same interval, each once.
        string[] seed = Rows(csv);
        int column = Array.IndexOf(seed[0].Split(','), "udp_rcvbuf");
        Assert.True(column > 0, seed[0]);
        Assert.True(seed.Length > 2 * Cadence, $"{seed.Length - 1} intervals written");
        foreach (string[] cells in seed.Skip(1).Select(row => row.Split(',')))
        {
            long iteration = long.Parse(cells[1], CultureInfo.InvariantCulture);
            long namespaces = namespaceRows
                .Where(row => IterationOf(row) == iteration && row.Contains(",udp_rcvbuf,", StringComparison.Ordinal))
                .Sum(ValueOf);
            Assert.True(long.Parse(cells[column], CultureInfo.InvariantCulture) == namespaces, $"interval {iteration}: seed row {cells[column]}, namespace rows {namespaces}");
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static bool HasLink(NetworkNamespace node, string name) =>
        node.Ip("-o", "link", "show").Split('\n').Any(line => line.Contains(" " + name + "@", StringComparison.Ordinal) || line.Contains(" " + name + ":", StringComparison.Ordinal));

    // Complete lines only: the writer may be in the middle of one.
    private static string[] Rows(string path)
    {
        string text = File.Exists(path) ? UnlockedFile.ReadAllText(path) : "";
        int end = text.LastIndexOf('\n');
        return end < 0 ? [] : text[..end].Split('\n');
    }

    private static long SumOf(string[] rows, string keyAndCategory) =>
        rows.Where(row => row.Contains("," + keyAndCategory, StringComparison.Ordinal)).Sum(ValueOf);

    // timestamp,iteration,scope,key,category,value
    private static long IterationOf(string row) => long.Parse(row.Split(',')[1], CultureInfo.InvariantCulture);

    private static long ValueOf(string row) => long.Parse(row[(row.LastIndexOf(',') + 1)..], CultureInfo.InvariantCulture);
}
