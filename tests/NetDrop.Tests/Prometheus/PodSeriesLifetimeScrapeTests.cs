using System.Globalization;
using System.Text.RegularExpressions;
using NetDrop.Tests.Namespaces;
using NetDrop.Tests.TestSupport;
using Xunit.Abstractions;

namespace NetDrop.Tests.Prometheus;

/// <summary>
/// The per-pod series' lifetime as a Prometheus scrape sees it (issue 11, item 5; bench/namespaces/series-110.sh is
/// the same with 110 namespaces): a real agent with <c>NETDROP_NAMESPACES=all</c> in a "node" namespace of the test's,
/// five "pod" namespaces (plain tasks, so their owner label is <c>process_pid</c>), two of which drop UDP datagrams on
/// their own loopback. Only the dropping ones get a series, equal to what the test saw refused and to their own kernel
/// delta; killed, their series leave the scrape. Mapping written here: <c>udp_rcvbuf</c> = Udp RcvbufErrors +
/// Udp6 Udp6RcvbufErrors of the namespace (<see cref="NamespaceSandbox.UdpRcvbufErrors"/>).
/// </summary>
[Trait("Category", "RequiresRoot")]
public sealed partial class PodSeriesLifetimeScrapeTests(ITestOutputHelper output) : IDisposable
{
    private const int AgentPort = 9464;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    private readonly string _directory = Directory.CreateTempSubdirectory("netdrop-podseries-").FullName;
    private readonly NetworkNamespace _node = NetworkNamespace.Create("nsseries");
    private readonly List<NamespaceSandbox> _pods = [];

    [Fact]
    public void Scrape_ThreeQuietAndTwoDroppingPods_SeriesOnlyForTheDroppingOnesAndNoneAfterTheyAreKilled()
    {
        _node.Ip("link", "set", "lo", "up");
        for (int i = 0; i < 5; i++)
        {
            _pods.Add(new NamespaceSandbox());
        }

        NamespaceSandbox[] quiet = [.. _pods.Take(3)];
        NamespaceSandbox[] dropping = [.. _pods.Skip(3)];
        string csv = Path.Join(_directory, "drops.csv");
        using MonitorProcess agent = MonitorProcess.StartInWithEnvironment(_node, csv, new Dictionary<string, string> { ["NETDROP_NAMESPACES"] = "all" },
            "monitor", "-i", "lo", "--interval", "0.5", "--namespace-interval", "0.5", "--csv", csv, "--no-color",
            "--prometheus-listen", $"127.0.0.1:{AgentPort}");
        agent.WaitForHeader(s_timeout);
        // Two rows after the pods exist: every namespace has had its baseline reading (what it drops from now is counted).
        agent.WaitForRows(agent.CompletedRows() + 2, s_timeout);
        Dictionary<int, long> before = PidSeries(Scrape());
        Assert.All(_pods, pod => Assert.False(before.ContainsKey(pod.Pid), $"pid {pod.Pid} has a series before any drop"));

        var witnessed = new Dictionary<int, long>();
        foreach (NamespaceSandbox pod in dropping)
        {
            long kernelBefore = pod.UdpRcvbufErrors();
            DropWitness flood = DropInducers.FloodUnreadUdpSockets(pod.Namespace, datagramsPerFamily: 200);
            Assert.Equal(pod.UdpRcvbufErrors() - kernelBefore, flood["udp_rcvbuf"]);
            witnessed[pod.Pid] = flood["udp_rcvbuf"];
        }

        Dictionary<int, long> series = [];
        Poll.Until(() => dropping.All(pod => (series = PidSeries(Scrape())).GetValueOrDefault(pod.Pid) == witnessed[pod.Pid]),
            s_timeout, $"a series per dropping pod equal to its refused datagrams ({string.Join(", ", witnessed)})", everyMilliseconds: 250);
        output.WriteLine($"after the drops: {string.Join(", ", series)}");
        Assert.All(quiet, pod => Assert.False(series.ContainsKey(pod.Pid), $"quiet pid {pod.Pid} has a series"));
        Assert.All(dropping, pod => Assert.Equal(1, SeriesCount(Scrape(), pod.Pid)));

        foreach (NamespaceSandbox pod in dropping)
        {
            pod.Kill();
        }

        Poll.Until(() => !dropping.Any(pod => (series = PidSeries(Scrape())).ContainsKey(pod.Pid)),
            s_timeout, "the killed pods' series to leave the scrape", everyMilliseconds: 250);
        // A few more namespace reads and scrapes: they stay gone, and the quiet pods never got one.
        agent.WaitForRows(agent.CompletedRows() + 2, s_timeout);
        string last = Scrape();
        Assert.All(_pods, pod => Assert.Equal(0, SeriesCount(last, pod.Pid)));
    }

    public void Dispose()
    {
        foreach (NamespaceSandbox pod in _pods)
        {
            pod.Dispose();
        }

        _node.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>The <c>netdrop_packet_dropped</c> series with a <c>process_pid</c> label: summed value per pid.</summary>
    private static Dictionary<int, long> PidSeries(string scrape)
    {
        var sums = new Dictionary<int, long>();
        foreach (Match match in PidSeriesLine().Matches(scrape))
        {
            int pid = int.Parse(match.Groups["pid"].Value, CultureInfo.InvariantCulture);
            sums[pid] = sums.GetValueOrDefault(pid) + long.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        }

        return sums;
    }

    private static int SeriesCount(string scrape, int pid) =>
        PidSeriesLine().Matches(scrape).Count(match => match.Groups["pid"].Value == pid.ToString(CultureInfo.InvariantCulture));

    private string Scrape()
    {
        (int status, string body) = NamespaceHttp.Get(_node, AgentPort, "/metrics");
        Assert.Equal(200, status);
        return body;
    }

    // e.g. netdrop_packet_dropped_total{netdrop_category="udp_rcvbuf",otel_scope_name="netdrop",process_executable_name="sleep",process_pid="4242"} 399
    [GeneratedRegex("""^netdrop_packet_dropped_total\{[^}\n]*\bprocess_pid="(?<pid>[0-9]+)"[^}\n]*\} (?<value>[0-9]+)""", RegexOptions.Multiline)]
    private static partial Regex PidSeriesLine();
}
