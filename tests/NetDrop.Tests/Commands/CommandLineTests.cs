using System.Diagnostics;
using System.Text.RegularExpressions;
using NetDrop.Model;
using NetDrop.Tests.TestSupport;

namespace NetDrop.Tests.Commands;

public sealed partial class CommandLineTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("netdrop-cli-").FullName;

    [Fact]
    public void Help_TeachesBothForms()
    {
        ProcessRunner.Result result = ProcessRunner.NetDrop("--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("netdrop [INTERFACE] [INTERVAL] [LOGFILE]", result.Output, StringComparison.Ordinal);
        Assert.Contains("monitor", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void MonitorHelp_ShowsExamplesAndEveryContractOption()
    {
        ProcessRunner.Result result = ProcessRunner.NetDrop("monitor", "--help");

        Assert.Equal(0, result.ExitCode);
        foreach (string option in new[] { "--interface", "--interval", "--csv", "--threshold", "--count", "--proc-root", "--sys-root", "--no-color" })
        {
            Assert.Contains(option, result.Output, StringComparison.Ordinal);
        }

        Assert.Contains("Examples:", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_PrintsTheVersion()
    {
        ProcessRunner.Result result = ProcessRunner.NetDrop("--version");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Output.Trim());
    }

    [Theory]
    [InlineData(new[] { "lo", "abc" }, "INTERVAL 'abc'")]
    [InlineData(new[] { "lo", "-3" }, "INTERVAL '-3' must be a duration from 0.01s to 3600s")]
    [InlineData(new[] { "monitor", "--interval", "0" }, "--interval '0'")]
    [InlineData(new[] { "monitor", "--threshold", "-5" }, "--threshold '-5' must be a whole number of 1 or more")]
    [InlineData(new[] { "monitor", "--threshold", "many" }, "--threshold 'many'")]
    [InlineData(new[] { "no-such-if0", "5", "/tmp/netdrop-never.csv" }, "interface 'no-such-if0' not found")]
    [InlineData(new[] { "monitor", "-i", "lo", "--csv", "/proc/netdrop.csv" }, "cannot write the CSV log '/proc/netdrop.csv'")]
    [InlineData(new[] { "monitor", "-i", "lo", "--proc-root", "/nonexistent" }, "proc root '/nonexistent'")]
    [InlineData(new[] { "monitor", "--frobnicate" }, "--frobnicate")]
    public void BadInput_ExitsTwoWithOneSentenceAndNoStackTrace(string[] arguments, string expected)
    {
        ProcessRunner.Result result = ProcessRunner.NetDrop(arguments);

        Assert.Equal(2, result.ExitCode);
        string[] lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("netdrop: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void SeedForm_OnLoopback_PrintsSeedLinesAndWritesOneRowPerInterval()
    {
        string csv = Path.Join(_directory, "drops.log");

        ProcessRunner.Result result = ProcessRunner.NetDrop("lo", "0.05", csv, "--count", "3");

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.Output.Split('\n');
        Assert.Contains(lines, line => line == "Interface:       lo");
        Assert.Equal(3, lines.Count(line => SeedLine().IsMatch(line)));
        Assert.Contains(lines, line => line.Contains("] #0003 | ", StringComparison.Ordinal));
        Assert.DoesNotContain("\e[", result.Output, StringComparison.Ordinal); // not a terminal: no colour
        string[] rows = File.ReadAllLines(csv);
        Assert.Equal(CsvSchema.Default.Header, rows[0]);
        Assert.Equal(4, rows.Length);
        Assert.All(rows[1..], row => Assert.Equal(CsvSchema.Default.Columns.Length, row.Split(',').Length));
        Assert.All(rows[1..], row => Assert.Equal("lo", row.Split(',')[2]));
    }

    [Fact]
    public void ProcRoot_CountersChangingUnderIt_AreTheOnesReported()
    {
        // A fixture root whose netstat changes while the monitor runs: the reported accept_queue delta can only come
        // from that file, which proves --proc-root and --sys-root are honoured.
        string root = Path.Join(_directory, "root");
        DirectoryTree.Copy(Path.Join(AppContext.BaseDirectory, "Fixtures", "kernel"), root);
        string netstat = Path.Join(root, "proc/net/netstat");
        string original = File.ReadAllText(netstat);
        string csv = Path.Join(_directory, "root.log");

        using MonitorProcess monitor = MonitorProcess.StartHere(csv, null, "monitor", "-i", "eth0", "--sysfs-links", "--proc-root", Path.Join(root, "proc"),
            "--sys-root", Path.Join(root, "sys"), "--interval", "0.5", "--count", "2", "--csv", csv);
        monitor.WaitForHeader(TimeSpan.FromSeconds(20));
        File.WriteAllText(netstat, WithListenOverflowsIncreasedBy(original, 42));

        Assert.Equal(0, monitor.WaitForExit(TimeSpan.FromSeconds(20)));
        string[] rows = File.ReadAllLines(csv)[1..];
        int acceptQueue = Array.IndexOf(CsvSchema.Default.Columns, "accept_queue");
        Assert.Equal(42, rows.Sum(row => int.Parse(row.Split(',')[acceptQueue], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Sigterm_StopsBetweenIntervalsWithCompleteRowsAndExitZero()
    {
        string csv = Path.Join(_directory, "term.log");
        using MonitorProcess monitor = MonitorProcess.StartHere(csv, null, "monitor", "-i", "lo", "--interval", "0.1", "--csv", csv);
        monitor.WaitForRows(2, TimeSpan.FromSeconds(20));

        var stopwatch = Stopwatch.StartNew();
        Signals.Send(monitor.ProcessId, Signals.SIGTERM);

        Assert.Equal(0, monitor.WaitForExit(TimeSpan.FromSeconds(10)));
        string content = File.ReadAllText(csv);
        Assert.EndsWith("\n", content, StringComparison.Ordinal);
        Assert.All(content.TrimEnd('\n').Split('\n'), row => Assert.Equal(CsvSchema.Default.Columns.Length, row.Split(',').Length));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [GeneratedRegex(@"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] #\d{4} \| (✓ OK|⚠ WARN|✖ CRIT) \| Drops: \d+$")]
    private static partial Regex SeedLine();

    private static string WithListenOverflowsIncreasedBy(string netstat, ulong increase)
    {
        string[] lines = netstat.Split('\n');
        for (int i = 0; i + 1 < lines.Length; i += 2)
        {
            string[] names = lines[i].Split(' ');
            int index = Array.IndexOf(names, "ListenOverflows");
            if (names[0] == "TcpExt:" && index > 0)
            {
                string[] values = lines[i + 1].Split(' ');
                values[index] = (ulong.Parse(values[index], System.Globalization.CultureInfo.InvariantCulture) + increase).ToString(System.Globalization.CultureInfo.InvariantCulture);
                lines[i + 1] = string.Join(' ', values);
            }
        }

        return string.Join('\n', lines);
    }
}
