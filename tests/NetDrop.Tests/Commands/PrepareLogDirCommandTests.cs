namespace NetDrop.Tests.Commands;

/// <summary>
/// <c>prepare-log-dir</c> runs as root in the DaemonSet's init container with only CAP_CHOWN and CAP_FOWNER; these
/// tests run it the same way (root, then <c>setpriv</c> to cut the capability set to exactly the chart's).
/// </summary>
public sealed class PrepareLogDirCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("netdrop-logdir-").FullName;

    [Fact]
    public void PrepareLogDir_MissingDirectory_IsCreatedOwnedAndMode0755()
    {
        string logs = Path.Join(_directory, "var", "log", "netdrop");

        ProcessRunner.Result result = ProcessRunner.NetDrop("prepare-log-dir", logs, "--owner", "1654:1654");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("1654:1654 755", Stat(logs));
    }

    [Fact]
    public void PrepareLogDir_ExistingFiles_AreReownedButSymlinkTargetsAreNot()
    {
        string logs = Path.Join(_directory, "logs");
        Directory.CreateDirectory(logs);
        File.WriteAllText(Path.Join(logs, "network_drops.log"), "timestamp\n");
        File.WriteAllText(Path.Join(logs, "network_drops.log.1"), "timestamp\n");
        string outside = Path.Join(_directory, "outside.txt");
        File.WriteAllText(outside, "not ours");
        File.CreateSymbolicLink(Path.Join(logs, "planted"), outside);

        ProcessRunner.Result result = ProcessRunner.NetDrop("prepare-log-dir", logs, "--owner", "1654:1654");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("2 existing file(s) re-owned", result.Output, StringComparison.Ordinal);
        Assert.StartsWith("1654:1654 ", Stat(Path.Join(logs, "network_drops.log")), StringComparison.Ordinal);
        Assert.StartsWith("1654:1654 ", Stat(Path.Join(logs, "network_drops.log.1")), StringComparison.Ordinal);
        Assert.StartsWith("0:0 ", Stat(outside), StringComparison.Ordinal);
    }

    [Fact]
    public void PrepareLogDir_DirectoryIsASymlink_RefusesWithExitOne()
    {
        string target = Path.Join(_directory, "elsewhere");
        Directory.CreateDirectory(target);
        string link = Path.Join(_directory, "logs");
        Directory.CreateSymbolicLink(link, target);

        ProcessRunner.Result result = ProcessRunner.NetDrop("prepare-log-dir", link, "--owner", "1654:1654");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("symbolic link", result.Error, StringComparison.Ordinal);
        Assert.StartsWith("0:0 ", Stat(target), StringComparison.Ordinal);
    }

    [Fact]
    public void PrepareLogDir_WithOnlyTheChartsCapabilities_SucceedsOnARerun()
    {
        // A second pod start finds the directory already owned by 1654: root then needs CAP_FOWNER to chmod it.
        string logs = Path.Join(_directory, "logs");
        Assert.Equal(0, ProcessRunner.NetDrop("prepare-log-dir", logs, "--owner", "1654:1654").ExitCode);
        File.WriteAllText(Path.Join(logs, "network_drops.log"), "timestamp\n");

        ProcessRunner.Result result = RunWithCapabilities("+chown,+fowner", logs);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.StartsWith("1654:1654 ", Stat(Path.Join(logs, "network_drops.log")), StringComparison.Ordinal);
    }

    [Fact]
    public void PrepareLogDir_WithoutFowner_FailsOnARerun()
    {
        string logs = Path.Join(_directory, "logs");
        Assert.Equal(0, ProcessRunner.NetDrop("prepare-log-dir", logs, "--owner", "1654:1654").ExitCode);

        ProcessRunner.Result result = RunWithCapabilities("+chown", logs);

        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public void PrepareLogDir_AsAnUnprivilegedUser_ExitsOneWithOneSentence()
    {
        string logs = Path.Join(_directory, "logs");
        Directory.CreateDirectory(logs);
        Assert.Equal(0, ProcessRunner.Run("chmod", ["0755", _directory]).ExitCode); // let nobody reach it

        ProcessRunner.Result result = ProcessRunner.Run("setpriv",
            ["--reuid", "65534", "--regid", "65534", "--clear-groups", "dotnet", ProcessRunner.NetDropDll, "prepare-log-dir", logs, "--owner", "1654:1654"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("netdrop: ", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1654")]
    [InlineData("app:app")]
    [InlineData("1654:")]
    [InlineData(":1654")]
    [InlineData("4294967295:0")]
    public void PrepareLogDir_OwnerNotNumericUidGid_ExitsTwo(string owner)
    {
        ProcessRunner.Result result = ProcessRunner.NetDrop("prepare-log-dir", Path.Join(_directory, "logs"), "--owner", owner);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--owner", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Join(_directory, "logs")));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static ProcessRunner.Result RunWithCapabilities(string capabilities, string directory) =>
        ProcessRunner.Run("setpriv",
            ["--bounding-set=-all," + capabilities, "--inh-caps=-all", "dotnet", ProcessRunner.NetDropDll, "prepare-log-dir", directory, "--owner", "1654:1654"]);

    private static string Stat(string path)
    {
        ProcessRunner.Result result = ProcessRunner.Run("stat", ["-c", "%u:%g %a", path]);
        Assert.Equal(0, result.ExitCode);
        return result.Output.Trim();
    }
}
