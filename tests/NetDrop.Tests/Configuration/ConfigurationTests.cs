using NetDrop.Configuration;

namespace NetDrop.Tests.Configuration;

public sealed class ConfigurationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("netdrop-config-").FullName;

    private static string FullYaml => Path.Join(AppContext.BaseDirectory, "Fixtures", "config", "full.yaml");

    [Fact]
    public void Bind_FullFile_SetsEveryOption()
    {
        MonitorOptions options = NetDropConfiguration.Load(FullYaml, new Dictionary<string, string>(), []).Bind();

        Assert.Equal(["eth0", "ens*"], options.Interfaces);
        Assert.Equal(["veth*"], options.Exclude);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.Interval);
        Assert.Equal(250, options.Threshold);
        Assert.Equal(new Dictionary<string, long> { ["softirq"] = 50, ["accept_queue"] = 10 }, options.CategoryThresholds);
        Assert.Equal(("/host/proc", "/host/sys", LinkSourceKind.Sysfs), (options.ProcRoot, options.SysRoot, options.LinkSource));
        Assert.Equal(("/var/log/netdrop/network_drops.log", 64L * 1024 * 1024, 3), (options.CsvPath, options.CsvMaxSizeBytes, options.CsvMaxFiles));
        Assert.False(options.Color);
        Assert.Equal(new Uri("http://collector.monitoring:4317"), options.Otlp.Endpoint);
        Assert.Equal(("http/protobuf", "x-api-key=very-secret"), (options.Otlp.Protocol, options.Otlp.Headers));
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5)), (options.Otlp.ExportInterval, options.Otlp.Timeout));
        Assert.False(options.EthtoolEnabled);
        Assert.True(options.PerCpu);
        Assert.Equal("/tmp/netdrop.heartbeat", options.HeartbeatFile);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("namespaces: all\n", true)]
    [InlineData("namespaces: host\n", false)]
    public void Bind_Namespaces_AllByDefaultHostOnlyWhenAsked(string yaml, bool expectedAll)
    {
        string path = Path.Join(_directory, "namespaces.yaml");
        File.WriteAllText(path, yaml);

        MonitorOptions options = NetDropConfiguration.Load(path, new Dictionary<string, string>(), []).Bind();

        Assert.Equal(expectedAll, options.AllNamespaces);
    }

    [Theory]
    [InlineData("", null, 10.0)]
    [InlineData("namespace_interval: 30s\n", null, 30.0)]
    [InlineData("namespace_interval: 30s\n", "1m", 60.0)]
    public void Bind_NamespaceInterval_TenSecondsByDefaultFileAndEnvironmentOverride(string yaml, string? environment, double expectedSeconds)
    {
        string path = Path.Join(_directory, "namespace-interval.yaml");
        File.WriteAllText(path, yaml);
        var variables = new Dictionary<string, string>();
        if (environment is not null)
        {
            variables["NETDROP_NAMESPACE_INTERVAL"] = environment;
        }

        MonitorOptions options = NetDropConfiguration.Load(path, variables, []).Bind();

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), options.NamespaceInterval);
    }

    [Fact]
    public void Load_FileThenEnvironmentThenCommandLine_EachOverridesTheOneBefore()
    {
        var environment = new Dictionary<string, string> { ["NETDROP_INTERVAL"] = "2s", ["NETDROP_THRESHOLD"] = "7" };
        ConfigEntry[] commandLine = [new(ConfigKeys.Threshold.Path, "9", null, "--threshold")];

        NetDropConfiguration configuration = NetDropConfiguration.Load(FullYaml, environment, commandLine);
        MonitorOptions options = configuration.Bind();

        Assert.Equal(TimeSpan.FromSeconds(2), options.Interval);   // environment over file
        Assert.Equal(9, options.Threshold);                        // command line over environment
        Assert.Equal("environment NETDROP_INTERVAL", configuration[ConfigKeys.Interval].Origin);
        Assert.StartsWith(FullYaml + ":", configuration[ConfigKeys.OtlpTimeout].Origin, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigShow_FullFile_MatchesGoldenWithSecretRedacted()
    {
        string golden = Path.Join(AppContext.BaseDirectory, "Fixtures", "config", "full.show.txt");
        string file = Path.Join(_directory, "full.yaml");
        File.Copy(FullYaml, file);

        ProcessRunner.Result result = ProcessRunner.Run("dotnet", [ProcessRunner.NetDropDll, "config", "show", "--config", "full.yaml"], workingDirectory: _directory);

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("very-secret", result.Output, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(golden), result.Output);
    }

    [Fact]
    public void ConfigShow_Output_IsAcceptedBackAsConfig()
    {
        string file = Path.Join(_directory, "full.yaml");
        File.Copy(FullYaml, file);
        ProcessRunner.Result shown = ProcessRunner.Run("dotnet", [ProcessRunner.NetDropDll, "config", "show", "--config", file]);
        string again = Path.Join(_directory, "again.yaml");
        File.WriteAllText(again, shown.Output.Replace("'***'", "'x=y'", StringComparison.Ordinal));

        MonitorOptions original = NetDropConfiguration.Load(file, new Dictionary<string, string>(), []).Bind();
        MonitorOptions reread = NetDropConfiguration.Load(again, new Dictionary<string, string>(), []).Bind();

        Assert.Equal(original.Interfaces, reread.Interfaces);
        Assert.Equal((original.Interval, original.CsvPath, original.Otlp.Endpoint), (reread.Interval, reread.CsvPath, reread.Otlp.Endpoint));
        Assert.Equal(original.CategoryThresholds.OrderBy(pair => pair.Key), reread.CategoryThresholds.OrderBy(pair => pair.Key));
    }

    [Theory]
    [InlineData("intreval: 5s\n", "bad.yaml:1:1: unknown key 'intreval' (did you mean 'interval'?)")]
    [InlineData("csv:\n  pth: /tmp/x\n", "bad.yaml:2:3: unknown key 'csv.pth' (did you mean 'csv.path'?)")]
    [InlineData("interval: -5s\n", "bad.yaml:1:11: key 'interval' must be a duration from 0.01s to 3600s (e.g. 5s, 500ms, 0.5), got '-5s'")]
    [InlineData("interval: [5, 6]\n", "bad.yaml:1:11: key 'interval' takes a single value, not a list")]
    [InlineData("threshold: lots\n", "bad.yaml:1:12: key 'threshold' must be a whole number of 1 or more, got 'lots'")]
    [InlineData("thresholds:\n  tcp_collapsed: 5\n", "bad.yaml:2:3: unknown key 'thresholds.tcp_collapsed'")]
    [InlineData("link_source: ethtool\n", "bad.yaml:1:14: key 'link_source' must be one of netlink, sysfs, got 'ethtool'")]
    [InlineData("namespaces: pods\n", "bad.yaml:1:13: key 'namespaces' must be one of all, host, got 'pods'")]
    [InlineData("namespace_interval: 5ms\n", "bad.yaml:1:21: key 'namespace_interval' must be a duration from 0.01s to 3600s (e.g. 5s, 500ms, 0.5), got '5ms'")]
    [InlineData("per_cpu: maybe\n", "bad.yaml:1:10: key 'per_cpu' must be true or false, got 'maybe'")]
    [InlineData("otlp:\n  endpoint: collector:4317\n", "bad.yaml:2:13: key 'otlp.endpoint' must be an http:// or https:// URL (e.g. http://localhost:4317), got 'collector:4317'")]
    [InlineData("otlp:\n  headers: [a]\n", "bad.yaml:2:12: key 'otlp.headers' takes a single value, not a list")]
    [InlineData("interval: 5s\n  bad indent: x\n", "bad.yaml:2:")]
    [InlineData("- just\n- a list\n", "bad.yaml:1:1: the config file must be a mapping of keys (key: value), not a list")]
    public void Monitor_BadConfigFile_ExitsTwoNamingFileLineColumnAndKey(string yaml, string expected)
    {
        File.WriteAllText(Path.Join(_directory, "bad.yaml"), yaml);

        ProcessRunner.Result result = ProcessRunner.Run("dotnet", [ProcessRunner.NetDropDll, "monitor", "--config", "bad.yaml", "--count", "1"], workingDirectory: _directory);

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("netdrop: " + expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NETDROP_INTERVAL", "0", "netdrop: environment NETDROP_INTERVAL: key 'interval' must be a duration")]
    [InlineData("NETDROP_INTERVL", "5", "netdrop: environment variable NETDROP_INTERVL matches no configuration key")]
    [InlineData("NETDROP_CSV_MAX_FILES", "0", "netdrop: environment NETDROP_CSV_MAX_FILES: key 'csv.max_files' must be a whole number from 1 to 1000, got '0'")]
    public void Monitor_BadEnvironment_ExitsTwoNamingTheVariable(string name, string value, string expected)
    {
        ProcessRunner.Result result = ProcessRunner.Run("dotnet", [ProcessRunner.NetDropDll, "monitor", "--count", "1"], environment: new Dictionary<string, string> { [name] = value });

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Monitor_MissingConfigFile_ExitsTwo()
    {
        ProcessRunner.Result result = ProcessRunner.NetDrop("monitor", "--config", "/nonexistent/netdrop.yaml");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("netdrop: cannot read the config file '/nonexistent/netdrop.yaml'", result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
