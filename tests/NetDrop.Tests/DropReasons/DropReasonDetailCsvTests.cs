using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using NetDrop.Model;
using NetDrop.Tests.TestSupport;
using Xunit.Abstractions;

namespace NetDrop.Tests.DropReasons;

/// <summary>
/// The real agent with <c>--drop-reasons --csv-detail</c> (root, this kernel's BTF and <c>kfree_skb</c> raw
/// tracepoint) in a network namespace the test creates, then <c>netdrop analyze</c> over the files it wrote.
/// </summary>
/// <remarks>
/// The mapping, written here: a UDP datagram to a port nothing listens on is freed by <c>__udp4_lib_rcv</c> with
/// <c>SKB_DROP_REASON_NO_SOCKET</c> after <c>__UDP_INC_STATS(net, UDP_MIB_NOPORTS, ...)</c> (net/ipv4/udp.c): one
/// detail row count of <c>reason,NO_SOCKET,loss</c> and one <c>Udp: NoPorts</c> per datagram sent. The agent keys
/// by network namespace and reads its own, so no other test's drops can reach these rows.
/// </remarks>
public sealed class DropReasonDetailCsvTests(ITestOutputHelper output)
{
    private const int Datagrams = 240;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public void MonitorThenAnalyze_UdpToClosedPortInItsNamespace_DetailRowsAndReportCountEveryNoSocketDrop()
    {
        using NetworkNamespace ns = NetworkNamespace.Create("ndrdetail");
        ns.Ip("link", "set", "lo", "up");
        string directory = Directory.CreateTempSubdirectory("netdrop-reason-detail-").FullName;
        string csv = Path.Join(directory, "drops.log");
        string detail = Path.Join(directory, "drops.detail.log");
        try
        {
            using (MonitorProcess monitor = MonitorProcess.StartIn(ns, csv, "monitor", "--drop-reasons", "--interface", "lo",
                "--interval", "0.5", "--csv", csv, "--csv-detail", detail, "--no-color"))
            {
                monitor.WaitForHeader(s_timeout); // the baseline is taken: every drop from now on lands in an interval
                long noPortsBefore = NamespaceMib.Read(ns, "Udp:NoPorts")["Udp:NoPorts"];

                int sent = SendToClosedPort(ns, Datagrams);

                long noPorts = NamespaceMib.Read(ns, "Udp:NoPorts")["Udp:NoPorts"] - noPortsBefore;
                Assert.Equal(Datagrams, sent);
                Assert.Equal(sent, noPorts); // the kernel's counter saw what the test sent
                Poll.Until(() => NoSocketRows(detail).Sum(row => row.Value) >= sent, s_timeout, $"the detail CSV's NO_SOCKET rows to reach {sent}", everyMilliseconds: 100);
                Signals.Send(monitor.ProcessId, Signals.SIGTERM);
                Assert.Equal(0, monitor.WaitForExit(s_timeout));
                output.WriteLine(monitor.Output);
            }

            string[] lines = File.ReadAllLines(detail);
            output.WriteLine(string.Join('\n', lines));
            Assert.Equal(DetailCsvSchema.Header, lines[0]);
            List<(string Kind, long Value)> rows = NoSocketRows(detail);
            Assert.Equal(Datagrams, rows.Sum(row => row.Value)); // witnessed == Udp: NoPorts delta == the rows' sum
            Assert.All(rows, row => Assert.Equal("loss", row.Kind));

            ProcessRunner.Result analyzed = ProcessRunner.NetDrop("analyze", csv, detail, "--format", "json");
            Assert.True(analyzed.ExitCode == 0, analyzed.Error);
            using JsonDocument report = JsonDocument.Parse(analyzed.Output);
            JsonElement reasons = report.RootElement.GetProperty("drop_reasons");
            JsonElement noSocket = Assert.Single(reasons.GetProperty("loss").EnumerateArray(), reason => reason.GetProperty("reason").GetString() == "NO_SOCKET");
            Assert.Equal(Datagrams, noSocket.GetProperty("total").GetInt64());
            Assert.Equal(rows.Count, noSocket.GetProperty("intervals").GetInt64());

            ProcessRunner.Result text = ProcessRunner.NetDrop("analyze", csv, detail, "--no-color");
            Assert.Equal(0, text.ExitCode);
            Assert.Contains("NO_SOCKET", text.Output, StringComparison.Ordinal);
            Assert.Contains(Datagrams.ToString("N0", CultureInfo.InvariantCulture) + " packets lost for", text.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Sends from an unconnected socket (ICMP errors never turn a later send into ECONNREFUSED) to 127.0.0.1:9.</summary>
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

    // "timestamp,iteration,reason,NO_SOCKET,loss,N": the agent's own namespace's rows (no owner in the key).
    private static List<(string Kind, long Value)> NoSocketRows(string detail) =>
    [
        .. (File.Exists(detail) ? UnlockedFile.ReadAllText(detail) : "").Split('\n')
            .Select(line => line.Split(','))
            .Where(cells => cells.Length == 6 && cells[2] == "reason" && cells[3] == "NO_SOCKET")
            .Select(cells => (Kind: cells[4], Parsed: long.TryParse(cells[5], NumberStyles.None, CultureInfo.InvariantCulture, out long value), Value: value))
            .Where(row => row.Parsed) // a row being appended while the test reads is counted on the next poll
            .Select(row => (row.Kind, row.Value)),
    ];
}
