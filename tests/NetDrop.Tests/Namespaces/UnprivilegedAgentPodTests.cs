using System.Globalization;
using System.Text.RegularExpressions;
using NetDrop.Tests.TestSupport;

namespace NetDrop.Tests.Namespaces;

/// <summary>
/// The real agent, in a "node" namespace of its own, as uid 65534 with every capability dropped (setpriv), with
/// <c>namespaces: all</c>: UDP drops induced inside a "pod" namespace appear in its console breakdown under that pod,
/// summed over intervals exactly the witnessed count (== the pod's own kernel delta), a pod with nothing induced never
/// appears, and killing the dropping pod adds nothing more (no false spike). Category → counters, written here:
/// <c>udp_rcvbuf</c> = Udp RcvbufErrors + Udp6RcvbufErrors of the pod's namespace.
/// </summary>
public sealed class UnprivilegedAgentPodTests : IDisposable
{
    private static readonly string[] s_unprivileged =
        ["--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"];

    private readonly string _directory = Directory.CreateTempSubdirectory("netdrop-pods-").FullName;

    [Fact]
    [Trait("Category", "RequiresRoot")]
    public void Agent_UnprivilegedInNodeNamespace_CountsAPodsUdpDropsUnderThatPodOnly()
    {
        _ = ToolRunner.Run("chmod", "0777", _directory); // the CSV is written by uid 65534
        using NetworkNamespace node = NetworkNamespace.Create("hnetnsnode");
        node.Ip("link", "set", "lo", "up");
        using var dropping = new NamespaceSandbox();
        using var quiet = new NamespaceSandbox();
        string csv = Path.Join(_directory, "drops.log");
        using MonitorProcess agent = MonitorProcess.StartInAs(node, s_unprivileged, csv, new Dictionary<string, string>
        {
            ["NETDROP_NAMESPACES"] = "all",
            ["NETDROP_NAMESPACE_INTERVAL"] = "0.5", // every sample, as the interval
            ["HOME"] = "/tmp",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        }, "monitor", "-i", "lo", "--interval", "0.5", "--csv", csv, "--no-color");
        agent.WaitForRows(2, TimeSpan.FromSeconds(60)); // both pods seen: their baselines are taken

        long kernelBefore = dropping.UdpRcvbufErrors();
        DropWitness flood = DropInducers.FloodUnreadUdpSockets(dropping.Namespace, datagramsPerFamily: 400);
        Assert.Equal(dropping.UdpRcvbufErrors() - kernelBefore, flood["udp_rcvbuf"]);
        Poll.Until(() => ShareOf(agent.Output, dropping.Pid) == flood["udp_rcvbuf"], TimeSpan.FromSeconds(60),
            $"the pod's udp_rcvbuf share to reach {flood["udp_rcvbuf"]}: {agent.Describe()}");

        dropping.Kill();
        int rows = agent.CompletedRows();
        agent.WaitForRows(rows + 3, TimeSpan.FromSeconds(60)); // the pod's last read, and two intervals after it

        Assert.Equal(flood["udp_rcvbuf"], ShareOf(agent.Output, dropping.Pid));
        Assert.DoesNotContain($"pid {quiet.Pid} ", agent.Output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // Every "├─ UDP RX Buffer Errors: N (..., pid P sleep K, ...)" line's K for this pid, summed over intervals.
    private static long ShareOf(string output, int pid)
    {
        long sum = 0;
        foreach (string line in output.Split('\n'))
        {
            if (!line.Contains("├─ UDP RX Buffer Errors:", StringComparison.Ordinal))
            {
                continue;
            }

            Match match = Regex.Match(line, $@"pid {pid.ToString(CultureInfo.InvariantCulture)} sleep (\d+)");
            sum += match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        }

        return sum;
    }
}
