namespace NetDrop.Tests.Deploy;

/// <summary>
/// eng/package.sh, end to end as root: it builds the tarball and the .deb from the Native AOT binary
/// (<see cref="ReleaseArtifacts"/>), dpkg installs the package, the installed binary runs, systemd
/// accepts the installed units, and dpkg --purge leaves nothing behind.
/// </summary>
[Collection(ReleasePackagingCollectionDefinition.Name)]
public sealed class DebPackageTests(ReleaseArtifacts artifacts) : IDisposable
{
    private const string Package = "netdrop";

    /// <summary>Every path the package installs, and so every path purge must remove.</summary>
    private static readonly string[] s_installed =
    [
        "/usr/bin/netdrop",
        "/usr/lib/systemd/system/netdrop.service",
        "/usr/lib/systemd/system/netdrop@.service",
        "/etc/netdrop/netdrop.yaml",
        "/etc/logrotate.d/netdrop",
        "/usr/share/man/man1/netdrop.1.gz",
        "/usr/share/doc/netdrop/netdrop-help.txt.gz",
    ];

    private static readonly TimeSpan s_dpkgLockWait = TimeSpan.FromMinutes(10);

    private readonly string _directory = Directory.CreateTempSubdirectory("netdrop-deb-").FullName;

    [Fact]
    public void Deb_InstallsRunsVerifiesAndPurgesCleanly()
    {
        // One install at a time on this machine: parallel suites (other worktrees) run this same test.
        using FileStream machineLock = AcquireMachineLock();
        Assert.True(artifacts.Build.ExitCode == 0, artifacts.Build.Output + artifacts.Build.Error);
        string version = artifacts.Version;
        string deb = artifacts.Deb;
        Assert.True(File.Exists(deb), artifacts.Build.Output);

        Assert.Equal("netdrop", Field(deb, "Package"));
        Assert.Equal(version, Field(deb, "Version"));
        Assert.Equal("amd64", Field(deb, "Architecture"));
        Assert.StartsWith("libc6 (>= 2.", Field(deb, "Depends"), StringComparison.Ordinal);

        Purge(); // a run that died half-way may have left it installed
        try
        {
            ProcessRunner.Result installed = Dpkg("-i", deb);
            Assert.True(installed.ExitCode == 0, installed.Output + installed.Error);
            Assert.Equal("install ok installed", Query("${Status}"));
            Assert.All(s_installed, path => Assert.True(File.Exists(path), path));
            string conffiles = Query("${Conffiles}");
            Assert.Contains("/etc/netdrop/netdrop.yaml", conffiles, StringComparison.Ordinal);
            Assert.Contains("/etc/logrotate.d/netdrop", conffiles, StringComparison.Ordinal);

            // The installed binary, from its installed path: its version and a short monitor of loopback.
            ProcessRunner.Result versionRun = ProcessRunner.Run("/usr/bin/netdrop", ["--version"]);
            Assert.Equal(0, versionRun.ExitCode);
            Assert.StartsWith(version, versionRun.Output.Trim(), StringComparison.Ordinal);
            string csv = Path.Join(_directory, "x.csv");
            ProcessRunner.Result monitor = ProcessRunner.Run("/usr/bin/netdrop", ["lo", "0.05", csv, "--count", "2"], TimeSpan.FromSeconds(60));
            Assert.True(monitor.ExitCode == 0, monitor.Output + monitor.Error);
            Assert.Contains("#0002 |", monitor.Output, StringComparison.Ordinal);
            Assert.Equal(3, File.ReadAllLines(csv).Length); // header + 2 intervals

            // The units as installed, by systemd's own parser, naming the binary the package installed.
            ProcessRunner.Result verified = ProcessRunner.Run(DeployTools.SystemdAnalyze, ["verify", "--man=no", "netdrop.service", "netdrop@lo.service"]);
            Assert.True(verified.ExitCode == 0 && verified.Output.Length == 0 && verified.Error.Length == 0, verified.Output + verified.Error);
            Assert.Contains("ExecStart=/usr/bin/netdrop monitor", File.ReadAllText("/usr/lib/systemd/system/netdrop.service"), StringComparison.Ordinal);
            // DynamicUser=yes in both units: the package has no user to create, and creates none.
            Assert.DoesNotContain("\nnetdrop:", File.ReadAllText("/etc/passwd"), StringComparison.Ordinal);
        }
        finally
        {
            ProcessRunner.Result purged = Purge();
            Assert.True(purged.ExitCode == 0, purged.Output + purged.Error);
        }

        Assert.Equal("not-installed", Query("${db:Status-Status}"));
        Assert.All(s_installed, path => Assert.False(File.Exists(path), path));
        Assert.False(Directory.Exists("/etc/netdrop"));
        Assert.False(Directory.Exists("/usr/share/doc/netdrop"));
    }

    [Fact]
    public void Tarball_HoldsTheBinaryUnitsLogrotateConfigAndHelp()
    {
        Assert.True(artifacts.Build.ExitCode == 0, artifacts.Build.Output + artifacts.Build.Error);
        string tarball = artifacts.Tarball;
        Assert.True(File.Exists(tarball), artifacts.Build.Output);
        string name = Path.GetFileName(tarball)[..^".tar.gz".Length];

        Assert.Equal(0, ProcessRunner.Run("tar", ["-xzf", tarball, "-C", _directory]).ExitCode);

        string tree = Path.Join(_directory, name);
        foreach (string file in new[] { "bin/netdrop", "systemd/netdrop.service", "systemd/netdrop@.service", "logrotate/netdrop", "netdrop.yaml", "man/netdrop.1", "netdrop-help.txt", "INSTALL.txt" })
        {
            Assert.True(File.Exists(Path.Join(tree, file)), file);
        }

        Assert.Equal(File.ReadAllText(RepositoryRoot.Combine("deploy", "logrotate", "netdrop")), File.ReadAllText(Path.Join(tree, "logrotate", "netdrop")));
        Assert.Equal(File.ReadAllText(RepositoryRoot.Combine("deploy", "systemd", "netdrop.service")), File.ReadAllText(Path.Join(tree, "systemd", "netdrop.service")));
        string help = File.ReadAllText(Path.Join(tree, "netdrop-help.txt"));
        Assert.Contains(ProcessRunner.Run(Path.Join(tree, "bin", "netdrop"), ["monitor", "--help"]).Output.Trim(), help, StringComparison.Ordinal);
        Assert.StartsWith(".TH NETDROP 1 ", File.ReadAllText(Path.Join(tree, "man", "netdrop.1")), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Field(string deb, string field) =>
        ProcessRunner.Run("dpkg-deb", ["--field", deb, field]).Output.Trim();

    private static string Query(string format) =>
        ProcessRunner.Run("dpkg-query", ["-W", "-f=" + format, Package]).Output.Trim() is { Length: > 0 } value ? value : "not-installed";

    private static ProcessRunner.Result Purge() => Dpkg("--purge", Package);

    /// <summary>dpkg, waiting (bounded) while another installer holds its lock instead of failing on it.</summary>
    private static ProcessRunner.Result Dpkg(params string[] arguments)
    {
        DateTime giveUp = DateTime.UtcNow + s_dpkgLockWait;
        while (true)
        {
            ProcessRunner.Result result = ProcessRunner.Run("dpkg", arguments, TimeSpan.FromMinutes(5), new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" });
            bool locked = result.Error.Contains("lock", StringComparison.OrdinalIgnoreCase) && result.ExitCode != 0;
            if (!locked || DateTime.UtcNow > giveUp)
            {
                return result;
            }

            Thread.Sleep(TimeSpan.FromSeconds(2));
        }
    }

    /// <summary>An exclusive lock (flock) on a file under /run/lock, held while the package is built and installed.</summary>
    private static FileStream AcquireMachineLock()
    {
        DateTime giveUp = DateTime.UtcNow + TimeSpan.FromMinutes(20);
        while (true)
        {
            try
            {
                return new FileStream("/run/lock/netdrop-deb-test.lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < giveUp)
            {
                Thread.Sleep(TimeSpan.FromSeconds(2));
            }
        }
    }
}
