using NetDrop.Cli;

namespace NetDrop.Tests.Commands;

public sealed class HealthCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("netdrop-health-").FullName;

    private string Heartbeat => Path.Join(_directory, "netdrop.heartbeat");

    [Fact]
    public void Health_FreshHeartbeat_ExitsZero()
    {
        File.WriteAllText(Heartbeat, string.Empty);

        ProcessRunner.Result result = ProcessRunner.NetDrop("health", "--heartbeat-file", Heartbeat);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("netdrop: healthy", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Health_HeartbeatOlderThanMaxAge_ExitsOneAndSaysHowOld()
    {
        File.WriteAllText(Heartbeat, string.Empty);
        File.SetLastWriteTimeUtc(Heartbeat, DateTime.UtcNow - TimeSpan.FromSeconds(90));

        ProcessRunner.Result result = ProcessRunner.NetDrop("health", "--heartbeat-file", Heartbeat, "--max-age", "30");

        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"unhealthy: last sample 9\d\.\d s ago, more than 30 s", result.Output);
    }

    [Fact]
    public void Health_DefaultMaxAge_IsSixtySeconds()
    {
        File.WriteAllText(Heartbeat, string.Empty);
        File.SetLastWriteTimeUtc(Heartbeat, DateTime.UtcNow - TimeSpan.FromSeconds(45));
        Assert.Equal(0, ProcessRunner.NetDrop("health", "--heartbeat-file", Heartbeat).ExitCode);

        File.SetLastWriteTimeUtc(Heartbeat, DateTime.UtcNow - TimeSpan.FromSeconds(75));
        Assert.Equal(1, ProcessRunner.NetDrop("health", "--heartbeat-file", Heartbeat).ExitCode);
    }

    [Fact]
    public void Health_MissingHeartbeat_ExitsOne()
    {
        ProcessRunner.Result result = ProcessRunner.NetDrop("health", "--heartbeat-file", Heartbeat);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no heartbeat file", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--max-age", "0")]
    [InlineData("--max-age", "soon")]
    [InlineData("--max-age", "-5")]
    public void Health_BadMaxAge_ExitsTwo(string option, string value)
    {
        File.WriteAllText(Heartbeat, string.Empty);

        ProcessRunner.Result result = ProcessRunner.NetDrop("health", "--heartbeat-file", Heartbeat, option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("netdrop: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Health_WithoutHeartbeatFile_ExitsTwo()
    {
        Assert.Equal(2, ProcessRunner.NetDrop("health").ExitCode);
    }

    [Fact]
    public void Check_HeartbeatFromTheFuture_CountsAsFresh()
    {
        File.WriteAllText(Heartbeat, string.Empty);
        var now = new DateTimeOffset(File.GetLastWriteTimeUtc(Heartbeat), TimeSpan.Zero) - TimeSpan.FromMinutes(5);
        using var output = new StringWriter();

        Assert.Equal(0, HealthCommand.Check(Heartbeat, TimeSpan.FromSeconds(10), now, output));
        Assert.Contains("last sample 0.0 s ago", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ExactlyAtMaxAge_IsStillHealthy()
    {
        File.WriteAllText(Heartbeat, string.Empty);
        var touched = new DateTimeOffset(File.GetLastWriteTimeUtc(Heartbeat), TimeSpan.Zero);

        Assert.Equal(0, HealthCommand.Check(Heartbeat, TimeSpan.FromSeconds(10), touched + TimeSpan.FromSeconds(10), TextWriter.Null));
        Assert.Equal(1, HealthCommand.Check(Heartbeat, TimeSpan.FromSeconds(10), touched + TimeSpan.FromSeconds(10.5), TextWriter.Null));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
