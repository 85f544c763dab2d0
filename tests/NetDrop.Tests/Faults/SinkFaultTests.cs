using System.Diagnostics;
using System.Globalization;
using NetDrop.Model;
using NetDrop.Tests.TestSupport;

namespace NetDrop.Tests.Faults;

/// <summary>
/// The real agent under the faults an operator's worst day brings to its outputs: a full disk, a removed log
/// directory, a filesystem turned read-only, a stdout nobody reads, a log renamed away mid-run. In each, sampling
/// must go on at the interval rate (every interval printed, or every row written), the CSV must never hold a torn or
/// glued line, and rows must resume where they can. Root (mounts); every run bounded by <c>--count</c>; assertions
/// are on counts and contents, never on time.
/// </summary>
[Trait("Category", "Fault")]
public sealed class SinkFaultTests : IDisposable
{
    private const string Interval = "0.05";
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    private readonly string _directory = Directory.CreateTempSubdirectory("netdrop-faults-").FullName;

    [Fact]
    public void FullDisk_FilledThenFreed_SamplingGoesOnAndEveryRowLandsWholeAndInOrder()
    {
        const int count = 160;
        using var disk = ScratchMount.Tmpfs("64k");
        string csv = Path.Join(disk.Directory, "drops.log");
        using MonitorProcess monitor = StartOnLoopback(csv, count);
        monitor.WaitForRows(5, s_timeout);

        // Fill every byte the tmpfs has left (pages first, then single bytes into the last page), so the agent's
        // next row finds room for a part of itself at most: the short write that used to leave a torn row.
        string filler = Path.Join(disk.Directory, "filler");
        FillUntilFull(filler);
        monitor.WaitForOutput($"csv: cannot write {csv}: No space left on device", s_timeout);
        int printedWhenFull = ConsoleLines(monitor);
        WaitUntil(() => ConsoleLines(monitor) >= printedWhenFull + 20, monitor, "console lines while the disk is full");

        File.Delete(filler);
        Assert.Equal(0, monitor.WaitForExit(s_timeout));

        Assert.Equal(count, ConsoleLines(monitor)); // sampling never stopped
        AssertSaidOnce(monitor, "csv: cannot write");
        AssertSaidOnce(monitor, $"csv: writing {csv} again");
        Assert.Equal(Enumerable.Range(1, count), Iterations(csv)); // rows kept while full, then written in order
    }

    [Fact]
    public void LogDirectoryRemovedThenRecreated_SamplingGoesOnAndTheNewFileStartsWithTheHeaderAndTheKeptRows()
    {
        const int count = 120;
        string logs = Path.Join(_directory, "logs");
        Directory.CreateDirectory(logs);
        string csv = Path.Join(logs, "drops.log");
        using MonitorProcess monitor = StartOnLoopback(csv, count);
        monitor.WaitForRows(5, s_timeout);

        Directory.Delete(logs, recursive: true);
        monitor.WaitForOutput($"csv: cannot write {csv}: No such file or directory", s_timeout);
        int printedWhenGone = ConsoleLines(monitor);
        WaitUntil(() => ConsoleLines(monitor) >= printedWhenGone + 20, monitor, "console lines while the directory is gone");
        int printedAtRecreate = ConsoleLines(monitor);
        Directory.CreateDirectory(logs);
        Assert.Equal(0, monitor.WaitForExit(s_timeout));

        Assert.Equal(count, ConsoleLines(monitor));
        AssertSaidOnce(monitor, "csv: cannot write");
        int[] iterations = Iterations(csv);
        Assert.Equal(Enumerable.Range(iterations[0], count - iterations[0] + 1), iterations);
        // The rows of the intervals while the directory was gone waited in the queue and are in the new file.
        Assert.True(iterations[0] <= printedAtRecreate - 19, $"the new file starts at row {iterations[0]}, after {printedAtRecreate} intervals were printed");
    }

    [Fact]
    public void FilesystemTurnsReadOnly_SamplingGoesOnTheFailureIsSaidOnceAndNoLineIsTorn()
    {
        const int count = 100;
        using var disk = ScratchMount.Ext4RemountReadOnlyOnError(8);
        string csv = Path.Join(disk.Directory, "drops.log");
        using MonitorProcess monitor = StartOnLoopback(csv, count);
        monitor.WaitForRows(5, s_timeout);

        disk.TriggerExt4Error();
        monitor.WaitForOutput($"csv: cannot write {csv}: Read-only file system", s_timeout);
        Assert.Equal(0, monitor.WaitForExit(s_timeout));

        Assert.Equal(count, ConsoleLines(monitor));
        AssertSaidOnce(monitor, "csv: cannot write");
        int[] iterations = Iterations(csv); // asserts every line whole
        Assert.Equal(Enumerable.Range(1, iterations.Length), iterations);
        AssertSaidOnce(monitor, $"csv: {count - iterations.Length} rows could not be written to {csv} before exit");
    }

    [Fact]
    public void StdoutNobodyReads_TheCsvGetsEveryIntervalsRow()
    {
        // The FIFO is full before the agent starts: its banner already blocks. Without the console's own thread this
        // agent wrote 0 rows (and never exited); with it, the CSV gets all of them and --count ends the run.
        const int count = 60;
        using FullPipe stdout = FullPipe.Create(_directory);
        string csv = Path.Join(_directory, "drops.log");
        using MonitorProcess monitor = MonitorProcess.StartHereWithStdout(stdout.Path, csv,
            "monitor", "--interface", "lo", "--interval", Interval, "--count", count.ToString(CultureInfo.InvariantCulture), "--csv", csv, "--no-color");

        Assert.Equal(0, monitor.WaitForExit(s_timeout));
        Assert.Equal(Enumerable.Range(1, count), Iterations(csv));
        Assert.True(stdout.BytesInside >= 4096, $"the FIFO took only {stdout.BytesInside} bytes");
    }

    [Fact]
    public void LogRenamedAwayMidRun_TheNextRowGoesToANewFileAtThePath()
    {
        // logrotate's rename-and-create, done for real under the running agent (without the `create`: the agent
        // must create the file itself when nothing else has).
        const int count = 80;
        string csv = Path.Join(_directory, "drops.log");
        using MonitorProcess monitor = StartOnLoopback(csv, count);
        monitor.WaitForRows(10, s_timeout);

        File.Move(csv, csv + ".1");
        Assert.Equal(0, monitor.WaitForExit(s_timeout));

        int[] before = Iterations(csv + ".1");
        int[] after = Iterations(csv);
        Assert.Equal(Enumerable.Range(1, count), before.Concat(after)); // none lost, none twice, in order
        Assert.NotEmpty(after);
        Assert.True(before.Length >= 10);
    }

    [Fact]
    public void LogrotateWithTheShippedSnippet_ForcedRotationsThenSigterm_LoseNoRow()
    {
        // deploy/logrotate/netdrop, pointed at this test's directory and forced five times under one running agent,
        // which is then stopped with SIGTERM: every interval it printed must be a row in one of the files.
        string csv = Path.Join(_directory, "network_drops.log");
        string config = Path.Join(_directory, "netdrop.logrotate");
        string snippet = File.ReadAllText(RepositoryRoot.Combine("deploy", "logrotate", "netdrop"));
        File.WriteAllText(config, snippet.Replace("/var/log/netdrop/*.log", Path.Join(_directory, "*.log"), StringComparison.Ordinal));
        using MonitorProcess monitor = StartOnLoopback(csv, count: 100_000);
        for (int rotation = 1; rotation <= 5; rotation++)
        {
            monitor.WaitForRows(3, s_timeout); // rows in the file now at the path
            ProcessRunner.Result rotated = ProcessRunner.Run(Deploy.DeployTools.Logrotate, ["-f", "--state", Path.Join(_directory, "logrotate.state"), config]);
            Assert.True(rotated.ExitCode == 0, rotated.Output + rotated.Error);
        }

        monitor.WaitForRows(3, s_timeout);
        Signals.Send(monitor.ProcessId, Signals.SIGTERM);
        Assert.Equal(0, monitor.WaitForExit(s_timeout));

        string[] files = [.. Directory.GetFiles(_directory).Where(file => Path.GetFileName(file).StartsWith("network_drops.log", StringComparison.Ordinal))];
        Assert.True(files.Length == 6, string.Join(", ", files)); // .log, .1, .2.gz ... .5.gz
        ProcessRunner.Result analyzed = ProcessRunner.NetDrop(["analyze", .. files, "--format", "json"]);
        Assert.True(analyzed.ExitCode == 0, analyzed.Error);
        using var report = System.Text.Json.JsonDocument.Parse(analyzed.Output);
        Assert.Equal(0, report.RootElement.GetProperty("malformed_lines").GetInt32());
        Assert.Equal(ConsoleLines(monitor), report.RootElement.GetProperty("intervals").GetInt32());
        Assert.Equal(Iterations(csv + ".1")[^1] + 1, Iterations(csv)[0]); // the last rotation: nothing between the two
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static MonitorProcess StartOnLoopback(string csv, int count) =>
        MonitorProcess.StartHere(csv, null, "monitor", "--interface", "lo", "--interval", Interval,
            "--count", count.ToString(CultureInfo.InvariantCulture), "--csv", csv, "--no-color");

    /// <summary>Interval lines the agent printed (<c>[2026-…] #0042 | ✓ OK | Drops: 0</c>).</summary>
    private static int ConsoleLines(MonitorProcess monitor) =>
        monitor.Output.Split('\n').Count(line => line.StartsWith('[') && line.Contains("] #", StringComparison.Ordinal));

    private static void AssertSaidOnce(MonitorProcess monitor, string text)
    {
        int said = monitor.Output.Split('\n').Count(line => line.Contains(text, StringComparison.Ordinal));
        Assert.True(said == 1, $"'{text}' said {said} times.\n{monitor.Describe()}");
    }

    /// <summary>
    /// The <c>iteration</c> of every row, after checking the file line by line: the header first, then only whole
    /// rows (every one ends in a newline and has exactly the schema's fields, so none is torn or glued to another).
    /// </summary>
    private static int[] Iterations(string csv)
    {
        string text = UnlockedFile.ReadAllText(csv);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        string[] lines = text[..^1].Split('\n');
        Assert.Equal(CsvSchema.Default.Header, lines[0]);
        var iterations = new List<int>();
        for (int i = 1; i < lines.Length; i++)
        {
            string[] fields = lines[i].Split(',');
            Assert.True(fields.Length == CsvSchema.Default.Columns.Length, $"{csv} line {i + 1} has {fields.Length} fields: '{lines[i]}'");
            Assert.True(DateTime.TryParseExact(fields[0], CsvSchema.TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _), $"{csv} line {i + 1}: '{lines[i]}'");
            iterations.Add(int.Parse(fields[1], CultureInfo.InvariantCulture));
        }

        return [.. iterations];
    }

    private static void FillUntilFull(string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        byte[] page = new byte[4096];
        try
        {
            while (true)
            {
                file.Write(page);
            }
        }
        catch (IOException)
        {
            // ENOSPC: no whole page left.
        }

        try
        {
            while (true)
            {
                file.Write(page.AsSpan(0, 1));
            }
        }
        catch (IOException)
        {
            // ENOSPC: not a byte left.
        }
    }

    private static void WaitUntil(Func<bool> condition, MonitorProcess monitor, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > s_timeout || monitor.HasExited)
            {
                throw new TimeoutException($"never reached: {what}.\n{monitor.Describe()}");
            }

            Thread.Sleep(20);
        }
    }
}
