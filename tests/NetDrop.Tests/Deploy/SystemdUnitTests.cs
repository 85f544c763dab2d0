namespace NetDrop.Tests.Deploy;

/// <summary>deploy/systemd and deploy/logrotate, checked by systemd's and logrotate's own parsers.</summary>
public sealed class SystemdUnitTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("netdrop-systemd-").FullName;

    public static TheoryData<string> Units => new("netdrop.service", "netdrop@.service");

    [Fact]
    public void Units_PassSystemdAnalyzeVerifyWithoutAWord()
    {
        PrepareRoot();

        ProcessRunner.Result result = Verify("netdrop.service", "netdrop@eth0.service", "netdrop@bond0.service");

        // verify exits 0 on "Unknown key ..., ignoring": any output at all is a failure.
        Assert.True(result.ExitCode == 0 && result.Output.Length == 0 && result.Error.Length == 0, result.Output + result.Error);
    }

    [Fact]
    public void SystemdAnalyzeVerify_ReportsAMisspeltDirective()
    {
        PrepareRoot();
        string unit = Path.Join(_root, "etc", "systemd", "system", "netdrop.service");
        File.WriteAllText(unit, File.ReadAllText(unit).Replace("ProtectSystem=strict", "ProtectSytem=strict", StringComparison.Ordinal));

        ProcessRunner.Result result = Verify("netdrop.service");

        Assert.Contains("ProtectSytem", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Units))]
    public void Unit_IsHardenedAndNeedsNoRoot(string unit)
    {
        ILookup<string, string> directives = Directives(unit);

        Assert.Equal(["notify"], directives["Type"]);
        Assert.Equal(["yes"], directives["DynamicUser"]);
        Assert.Equal(["yes"], directives["NoNewPrivileges"]);
        Assert.Equal(["strict"], directives["ProtectSystem"]);
        Assert.Equal([string.Empty], directives["CapabilityBoundingSet"]);
        Assert.Equal(["netdrop"], directives["LogsDirectory"]);
        Assert.Contains("-/var/log/netdrop", directives["ReadWritePaths"]);
        Assert.Contains("AF_NETLINK", Assert.Single(directives["RestrictAddressFamilies"]).Split(' '));
        Assert.Equal(["2"], directives["RestartPreventExitStatus"]);
        // The agent must see the host's network namespace and /proc/net.
        Assert.False(directives.Contains("PrivateNetwork"));
        Assert.False(directives.Contains("ProcSubset"));
        Assert.False(directives.Contains("User"));
    }

    [Fact]
    public void TemplateUnit_RunsOneInterfacePerInstanceAsTheSeedDid()
    {
        string execStart = Assert.Single(Directives("netdrop@.service")["ExecStart"]);

        Assert.Contains("--interface %i", execStart, StringComparison.Ordinal);
        Assert.Contains("--csv /var/log/netdrop/network_%i.log", execStart, StringComparison.Ordinal);
        Assert.Equal(["sys-subsystem-net-devices-%i.device"], Directives("netdrop@.service")["BindsTo"]);
    }

    [Theory]
    [MemberData(nameof(Units))]
    public void ExecStart_UsesOnlyOptionsTheMonitorCommandHas(string unit)
    {
        string[] arguments = Assert.Single(Directives(unit)["ExecStart"]).Split(' ');
        string help = ProcessRunner.NetDrop("monitor", "--help").Output;

        Assert.Equal("/usr/local/bin/netdrop", arguments[0]);
        Assert.Equal("monitor", arguments[1]);
        Assert.All(arguments.Where(argument => argument.StartsWith("--", StringComparison.Ordinal)),
            option => Assert.Contains(option, help, StringComparison.Ordinal));
    }

    [Fact]
    public void Logrotate_ParsesTheSnippetCleanlyAndCoversBothUnitsCsvFiles()
    {
        string snippet = RepositoryRoot.Combine("deploy", "logrotate", "netdrop");

        ProcessRunner.Result result = ProcessRunner.Run(DeployTools.Logrotate, ["--debug", "--state", Path.Join(_root, "logrotate.state"), snippet]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.DoesNotContain("error:", result.Output + result.Error, StringComparison.Ordinal);
        Assert.Contains("rotating pattern: /var/log/netdrop/*.log", result.Output + result.Error, StringComparison.Ordinal);
        string text = File.ReadAllText(snippet);
        Assert.Contains("\n    create\n", text, StringComparison.Ordinal); // rename-and-create: copytruncate loses rows
        Assert.DoesNotContain("\n    copytruncate", text, StringComparison.Ordinal);
        Assert.Contains("/var/log/netdrop/*.log", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Logrotate_ReportsAnUnknownOption()
    {
        string broken = Path.Join(_root, "netdrop.logrotate");
        File.WriteAllText(broken, File.ReadAllText(RepositoryRoot.Combine("deploy", "logrotate", "netdrop")).Replace("\n    create\n", "\n    creat\n", StringComparison.Ordinal));

        ProcessRunner.Result result = ProcessRunner.Run(DeployTools.Logrotate, ["--debug", "--state", Path.Join(_root, "logrotate.state"), broken]);

        Assert.Contains("error:", result.Output + result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static ILookup<string, string> Directives(string unit) =>
        File.ReadAllLines(RepositoryRoot.Combine("deploy", "systemd", unit))
            .Where(line => line.Length > 0 && line[0] is not ('#' or '[') && line.Contains('=', StringComparison.Ordinal))
            .Select(line => line.Split('=', 2))
            .ToLookup(pair => pair[0], pair => pair[1]);

    /// <summary>
    /// A throwaway root for <c>systemd-analyze verify --root</c>: the system's own unit library (the units depend on
    /// network-online.target, multi-user.target...), the units under test, and an executable at the ExecStart path
    /// (verify checks that it exists; what it is does not matter).
    /// </summary>
    private void PrepareRoot()
    {
        string library = Path.Join(_root, "usr", "lib", "systemd");
        Directory.CreateDirectory(library);
        Assert.Equal(0, ProcessRunner.Run("cp", ["-a", "/usr/lib/systemd/system", library]).ExitCode);

        string units = Path.Join(_root, "etc", "systemd", "system");
        Directory.CreateDirectory(units);
        foreach (string unit in Directory.EnumerateFiles(RepositoryRoot.Combine("deploy", "systemd")))
        {
            File.Copy(unit, Path.Join(units, Path.GetFileName(unit)));
        }

        string binary = Path.Join(_root, "usr", "local", "bin", "netdrop");
        Directory.CreateDirectory(Path.GetDirectoryName(binary)!);
        File.Copy("/bin/true", binary);
    }

    private ProcessRunner.Result Verify(params string[] units) =>
        ProcessRunner.Run(DeployTools.SystemdAnalyze, ["verify", "--man=no", "--root=" + _root, .. units]);
}
