namespace NetDrop.Tests.Deploy;

/// <summary>
/// The pod's privileges, reproduced on this host: the init container's step as root with only CHOWN and FOWNER,
/// then the agent as uid/gid 1654 with no capability and no_new_privs, reading the host's counters with the
/// chart's own netdrop.yaml, writing the CSV into the prepared directory and keeping the exec probe healthy.
/// </summary>
public sealed class PodPrivilegesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("netdrop-pod-").FullName;

    [Fact]
    public void Agent_WithTheChartsConfigAsUid1654AndNoCapabilities_SamplesWritesTheCsvAndStaysHealthy()
    {
        Assert.Equal(0, ProcessRunner.Run("chmod", ["0755", _directory]).ExitCode);
        string logs = Path.Join(_directory, "var-log-netdrop");
        string tmp = Path.Join(_directory, "tmp");
        ProcessRunner.Result prepared = ProcessRunner.Run("setpriv",
            ["--bounding-set=-all,+chown,+fowner", "--inh-caps=-all", "dotnet", ProcessRunner.NetDropDll, "prepare-log-dir", logs, "--owner", "1654:1654"]);
        Assert.True(prepared.ExitCode == 0, prepared.Error);
        Assert.Equal(0, ProcessRunner.NetDrop("prepare-log-dir", tmp, "--owner", "1654:1654").ExitCode);

        RenderedChart chart = RenderedChart.Render();
        string config = Path.Join(_directory, "netdrop.yaml");
        File.WriteAllText(config, chart.AgentConfigMap.Map("data").Str("netdrop.yaml"));
        string csv = Path.Join(logs, Path.GetFileName(chart.AgentConfig.Map("csv").Str("path")));
        string heartbeat = Path.Join(tmp, Path.GetFileName(chart.AgentConfig.Str("heartbeat_file")));
        // Only the mount points differ from the pod: /host/proc is this host's /proc, and so on.
        var environment = new Dictionary<string, string>
        {
            ["NETDROP_PATHS_PROC"] = "/proc",
            ["NETDROP_PATHS_SYS"] = "/sys",
            ["NETDROP_CSV_PATH"] = csv,
            ["NETDROP_HEARTBEAT_FILE"] = heartbeat,
        };

        ProcessRunner.Result result = ProcessRunner.Run("setpriv",
            ["--reuid", "1654", "--regid", "1654", "--clear-groups", "--bounding-set=-all", "--inh-caps=-all", "--no-new-privs",
             "dotnet", ProcessRunner.NetDropDll, "monitor", "--config", config, "--count", "2", "--interval", "0.2"],
            TimeSpan.FromSeconds(60), environment);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("#0002 |", result.Output, StringComparison.Ordinal);
        Assert.Equal(3, File.ReadAllLines(csv).Length); // header + 2 intervals
        Assert.StartsWith("1654:1654 ", ProcessRunner.Run("stat", ["-c", "%u:%g %a", csv]).Output, StringComparison.Ordinal);
        ProcessRunner.Result health = ProcessRunner.NetDrop("health", "--heartbeat-file", heartbeat, "--max-age", chart.Agent.Map("livenessProbe").Map("exec").Seq("command").Strings().Last());
        Assert.True(health.ExitCode == 0, health.Output);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
