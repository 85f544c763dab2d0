using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using NetDrop.Kernel.Bpf;
using NetDrop.Tests.TestSupport;
using Xunit.Abstractions;

namespace NetDrop.Tests.DropReasons;

/// <summary>
/// The real agent with <c>--drop-reasons</c> (root, this kernel's BTF and <c>kfree_skb</c> raw tracepoint), run in a
/// network namespace the test creates, against drops the test itself causes there.
/// </summary>
/// <remarks>
/// The mapping, written here: a UDP datagram to a port nothing listens on is freed by <c>__udp4_lib_rcv</c> with
/// <c>SKB_DROP_REASON_NO_SOCKET</c> after <c>__UDP_INC_STATS(net, UDP_MIB_NOPORTS, ...)</c> (net/ipv4/udp.c): one
/// <c>NO_SOCKET</c> reason and one <c>Udp: NoPorts</c> per datagram sent. The agent keys by network namespace and
/// reads its own, so the count is exactly this namespace's: no other test's drops can reach it.
/// </remarks>
public sealed partial class DropReasonAgentTests(ITestOutputHelper output)
{
    private const int Datagrams = 300;
    private const int MetricsPort = 9464; // inside the test's own namespace: no other listener can hold it
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public void Monitor_UdpToClosedPortInItsNamespace_ConsoleAndMetricCountEveryNoSocketDrop()
    {
        using NetworkNamespace ns = NetworkNamespace.Create("ndreasons");
        ns.Ip("link", "set", "lo", "up");
        string csv = Path.Join(Path.GetTempPath(), $"netdrop-reasons-{Guid.NewGuid():N}.csv");
        try
        {
            using MonitorProcess monitor = MonitorProcess.StartIn(ns, csv, "monitor", "--drop-reasons", "--interface", "lo",
                "--interval", "0.5", "--csv", csv, "--no-color", "--prometheus-listen", $"127.0.0.1:{MetricsPort}");
            monitor.WaitForHeader(s_timeout); // the baseline is taken: every drop from now on lands in an interval
            uint[] programs = ProgramIdsOf(monitor.ProcessId);
            Assert.NotEmpty(programs);
            long noPortsBefore = NamespaceMib.Read(ns, "Udp:NoPorts")["Udp:NoPorts"];

            int sent = SendToClosedPort(ns, Datagrams);

            long noPorts = NamespaceMib.Read(ns, "Udp:NoPorts")["Udp:NoPorts"] - noPortsBefore;
            Assert.Equal(Datagrams, sent);
            Assert.Equal(sent, noPorts); // the kernel's counter saw what the test sent
            Poll.Until(() => ConsoleNoSocket(monitor.Output) >= sent, s_timeout, $"the console to show {sent} NO_SOCKET drops");
            Assert.Equal(sent, ConsoleNoSocket(monitor.Output));
            Poll.Until(() => MetricNoSocket(ns) >= sent, s_timeout, $"netdrop_drop_reason_total{{NO_SOCKET}} to reach {sent}", everyMilliseconds: 200);
            Assert.Equal(sent, MetricNoSocket(ns));
            Assert.DoesNotContain("drop reasons are off", monitor.Output, StringComparison.Ordinal);

            Signals.Send(monitor.ProcessId, Signals.SIGTERM);
            Assert.Equal(0, monitor.WaitForExit(s_timeout));
            output.WriteLine(monitor.Output);
            foreach (uint program in programs)
            {
                // The kernel frees a program once its last fd is closed, after an RCU grace period: bounded wait.
                Poll.Until(() => !BpfObjects.LoadedIds(programs: true).Contains(program), TimeSpan.FromSeconds(30), $"program id {program} to leave the kernel");
            }
        }
        finally
        {
            File.Delete(csv);
        }
    }

    [Fact]
    public void Monitor_EveryCapabilityDropped_SaysWhyInOneLineAndKeepsSampling()
    {
        using NetworkNamespace ns = NetworkNamespace.Create("ndreasons");
        ns.Ip("link", "set", "lo", "up");
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

        // setpriv keeps uid 0 (every file stays readable) and drops every capability, so only bpf(2)'s
        // capable(CAP_BPF) check refuses.
        ProcessRunner.Result result = ProcessRunner.Run("ip", ["netns", "exec", ns.Name,
            "setpriv", "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all", "--",
            dotnet, ProcessRunner.NetDropDll, "monitor", "--drop-reasons", "--interface", "lo",
            "--interval", "0.2", "--count", "2", "--no-csv", "--no-color"], s_timeout);

        output.WriteLine(result.Output + result.Error);
        Assert.Equal(0, result.ExitCode);
        string[] refusals = [.. result.Error.Split('\n').Where(line => line.Contains("drop reasons", StringComparison.Ordinal))];
        string refusal = Assert.Single(refusals);
        Assert.StartsWith("netdrop: drop reasons are off: ", refusal, StringComparison.Ordinal);
        Assert.Contains("CAP_BPF", refusal, StringComparison.Ordinal);
        Assert.Contains("CAP_PERFMON", refusal, StringComparison.Ordinal);
        Assert.Contains("The counters run on without them.", refusal, StringComparison.Ordinal);
        Assert.Contains("] #0001 | ", result.Output, StringComparison.Ordinal);
        Assert.Contains("] #0002 | ", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Drop reasons:", result.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// Sends <paramref name="datagrams"/> from an unconnected socket (the ICMP errors never turn a later send into
    /// ECONNREFUSED) to 127.0.0.1:9 inside the namespace; loopback delivers each in the sender's softirq.
    /// </summary>
    private static int SendToClosedPort(NetworkNamespace ns, int datagrams) => ns.Run(() =>
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var target = new IPEndPoint(IPAddress.Loopback, 9);
        byte[] payload = new byte[16];
        int sent = 0;
        for (int i = 0; i < datagrams; i++)
        {
            sent += socket.SendTo(payload, target) == payload.Length ? 1 : 0;
        }

        return sent;
    });

    // "  ├─ Drop reasons: NO_SOCKET 812, TCP_LISTEN_OVERFLOW 32", summed over every interval printed so far.
    private static long ConsoleNoSocket(string console) =>
        ReasonLine().Matches(console).Sum(line => NoSocketCount().Match(line.Groups[1].Value) is { Success: true } count
            ? long.Parse(count.Groups[1].Value, CultureInfo.InvariantCulture)
            : 0);

    private static long MetricNoSocket(NetworkNamespace ns)
    {
        (int status, string body) = NamespaceHttp.Get(ns, MetricsPort, "/metrics");
        Assert.Equal(200, status);
        Match sample = MetricSample().Match(body);
        return sample.Success ? long.Parse(sample.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>The bpf programs a process holds, from <c>/proc/PID/fdinfo/*</c> (kernel/bpf/syscall.c <c>bpf_prog_show_fdinfo</c>: <c>prog_id:</c>).</summary>
    private static uint[] ProgramIdsOf(int pid) =>
    [
        .. Directory.EnumerateFiles($"/proc/{pid}/fdinfo")
            .Select(ReadOrEmpty)
            .Select(text => ProgramIdLine().Match(text))
            .Where(match => match.Success)
            .Select(match => uint.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture))
            .Distinct(),
    ];

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return ""; // an fd closed between listing and reading
        }
    }

    [GeneratedRegex(@"├─ Drop reasons: (.*)")]
    private static partial Regex ReasonLine();

    [GeneratedRegex(@"(?:^|, )NO_SOCKET (\d+)")]
    private static partial Regex NoSocketCount();

    [GeneratedRegex(@"^netdrop_drop_reason_total\{[^}]*netdrop_drop_reason=""NO_SOCKET""[^}]*\} (\d+)", RegexOptions.Multiline)]
    private static partial Regex MetricSample();

    [GeneratedRegex(@"^prog_id:\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex ProgramIdLine();
}
