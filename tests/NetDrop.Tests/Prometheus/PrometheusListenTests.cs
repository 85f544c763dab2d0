using System.Net;
using System.Net.Sockets;
using NetDrop.Configuration;
using NetDrop.Tests.TestSupport;

namespace NetDrop.Tests.Prometheus;

/// <summary>How <c>--prometheus-listen</c> / <c>prometheus.listen</c> is read, and what a user is told when it cannot be served.</summary>
public sealed class PrometheusListenTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("netdrop-prom-listen-").FullName;

    [Theory]
    [InlineData("0.0.0.0:9464", "+", 9464)]
    [InlineData(":9464", "+", 9464)]
    [InlineData("*:9100", "+", 9100)]
    [InlineData("[::]:9464", "+", 9464)]
    [InlineData("127.0.0.1:19464", "127.0.0.1", 19464)]
    [InlineData("[::1]:9464", "[::1]", 9464)]
    [InlineData("node-a.example:9464", "node-a.example", 9464)]
    public void TryParse_AcceptsHostAndPort(string text, string host, int port)
    {
        Assert.True(PrometheusListenAddress.TryParse(text, out PrometheusListenAddress? address));
        Assert.Equal(new PrometheusListenAddress(host, port), address);
    }

    [Theory]
    [InlineData("9464")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("127.0.0.1:-1")]
    [InlineData("127.0.0.1:94a4")]
    [InlineData("bad host:9464")]
    [InlineData("[::1:9464")]
    public void TryParse_RefusesWhatIsNotHostColonPort(string text) =>
        Assert.False(PrometheusListenAddress.TryParse(text, out _));

    [Fact]
    public void Monitor_WithABadListenAddress_ExitsTwoNamingTheFlag()
    {
        string csv = Path.Join(_directory, "bad.csv");
        using MonitorProcess monitor = MonitorProcess.StartHere(csv, null, "monitor", "-i", "lo", "--no-csv", "--count", "1", "--prometheus-listen", "localhost");

        Assert.Equal(2, monitor.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains("netdrop: --prometheus-listen 'localhost' must be HOST:PORT", monitor.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Monitor_WhenThePortIsTaken_SaysSoInOneSentenceAndExitsOne()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen(1);
        int port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        string csv = Path.Join(_directory, "taken.csv");
        using MonitorProcess monitor = MonitorProcess.StartHere(csv, null, "monitor", "-i", "lo", "--no-csv", "--interval", "0.2", "--count", "2", "--prometheus-listen", $"127.0.0.1:{port}");

        Assert.Equal(1, monitor.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains($"netdrop: cannot serve /metrics on 127.0.0.1:{port}: Address already in use", monitor.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", monitor.Output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
