using System.Text.Json;
using NetDrop.Model;
using NetDrop.Sinks.Csv;
using NetDrop.Deltas;
using NetDrop.Tests.TestSupport;


namespace NetDrop.Tests.Csv;

public sealed class CsvSinkTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("netdrop-sink-").FullName;

    [Fact]
    public void Write_NewFile_WritesHeaderOnceThenRows()
    {
        string path = Path.Join(_directory, "drops.log");
        using (var sink = new CsvSink(path))
        {
            sink.Open();
            sink.Write(Report(1));
            sink.Write(Report(2));
        }

        using (var again = new CsvSink(path))
        {
            again.Open();
            again.Write(Report(3));
        }

        string[] lines = File.ReadAllLines(path);
        Assert.Equal(4, lines.Length);
        Assert.Equal(CsvSchema.Default.Header, lines[0]);
        Assert.Equal(1, lines.Count(line => line == CsvSchema.Default.Header));
    }

    [Fact]
    public void Write_AfterCopytruncate_AppendsAtTheStartWithANewHeaderAndNoHole()
    {
        // logrotate copytruncate: copy the file away, then truncate it to 0 under the writer's open fd. A writer
        // without O_APPEND would keep its old offset and leave a run of NUL bytes before the next row.
        string path = Path.Join(_directory, "drops.log");
        using var sink = new CsvSink(path);
        sink.Open();
        sink.Write(Report(1));
        sink.Write(Report(2));
        Assert.True(sink.WaitUntilWritten(TimeSpan.FromSeconds(30)));

        File.Copy(path, path + ".1");
        using (var truncate = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            truncate.SetLength(0);
        }

        sink.Write(Report(3));
        Assert.True(sink.WaitUntilWritten(TimeSpan.FromSeconds(30)));

        byte[] bytes = File.ReadAllBytes(path);
        Assert.DoesNotContain((byte)0, bytes);
        string[] lines = File.ReadAllLines(path);
        Assert.Equal([CsvSchema.Default.Header], lines[..1]);
        Assert.StartsWith("2026-02-03 11:23:50,3,", lines[1], StringComparison.Ordinal);
        Assert.Equal(3, File.ReadAllLines(path + ".1").Length);
    }

    [Fact]
    public void Write_AfterRenameAndCreate_ReopensThePath()
    {
        // logrotate's default: rename the file away; the next row must go to a new file at the configured path.
        string path = Path.Join(_directory, "drops.log");
        using var sink = new CsvSink(path);
        sink.Open();
        sink.Write(Report(1));
        Assert.True(sink.WaitUntilWritten(TimeSpan.FromSeconds(30)));
        File.Move(path, path + ".1");

        sink.Write(Report(2));
        Assert.True(sink.WaitUntilWritten(TimeSpan.FromSeconds(30)));

        Assert.Equal(2, File.ReadAllLines(path + ".1").Length);
        string[] lines = File.ReadAllLines(path);
        Assert.Equal(CsvSchema.Default.Header, lines[0]);
        Assert.StartsWith("2026-02-03 11:23:50,2,", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Open_SeedCsv_MovesItAsideUntouchedAndStartsANewFileThatAnalyzeReadsWithIt()
    {
        // An upgrade in place: the seed's default path already holds its 16-column log. Appending 28-field rows under
        // that header would make analyze skip every new row as malformed.
        string path = Path.Join(_directory, "network_drops.log");
        byte[] seed = File.ReadAllBytes(Path.Join(AppContext.BaseDirectory, "Fixtures", "analyze", "seed.csv"));
        File.WriteAllBytes(path, seed);
        var said = new List<string>();
        using (var sink = new CsvSink(path, say: said.Add, time: new FixedTime(new DateTimeOffset(2026, 12, 1, 9, 30, 5, TimeSpan.Zero))))
        {
            sink.Open();
            sink.Write(Report(1));
            sink.Write(Report(2));
        }

        string aside = path + ".seed-20261201-093005";
        Assert.Equal(seed, File.ReadAllBytes(aside));
        Assert.Equal([CsvSchema.Default.Header, "2026-02-03 11:23:50,1,eth0", "2026-02-03 11:23:50,2,eth0"], File.ReadAllLines(path).Select(line => line.Length > 26 && line != CsvSchema.Default.Header ? line[..26] : line));
        Assert.Equal([$"csv: {path} has the seed's 16-column header; moved it to {aside} (netdrop analyze reads both) and started a new file"], said);

        ProcessRunner.Result analyzed = ProcessRunner.NetDrop("analyze", aside, path, "--format", "json");
        Assert.True(analyzed.ExitCode == 0, analyzed.Error);
        using JsonDocument report = JsonDocument.Parse(analyzed.Output);
        Assert.Equal(0, report.RootElement.GetProperty("malformed_lines").GetInt32());
        Assert.Equal(240 + 2, report.RootElement.GetProperty("intervals").GetInt32()); // the fixture's 240 seed rows + ours
        Assert.Equal(["seed", "netdrop"], report.RootElement.GetProperty("files").EnumerateArray().Select(file => file.GetProperty("layout").GetString()));
    }

    [Fact]
    public void SeedForm_OverTheSeedsLog_TheAgentMovesItAsideSaysSoOnceAndAnalyzeCountsEveryRow()
    {
        // The upgrade as a seed user does it: same command line, same log path.
        string path = Path.Join(_directory, "network_drops.log");
        File.Copy(Path.Join(AppContext.BaseDirectory, "Fixtures", "analyze", "seed.csv"), path);

        using (MonitorProcess agent = MonitorProcess.StartHere(path, null, "lo", "0.05", path, "--count", "4", "--no-color"))
        {
            Assert.Equal(0, agent.WaitForExit(TimeSpan.FromSeconds(120)));
            Assert.Single(agent.Output.Split('\n'), line => line.Contains("has the seed's 16-column header; moved it to", StringComparison.Ordinal));
        }

        string aside = Assert.Single(Directory.GetFiles(_directory, "network_drops.log.seed-*"));
        Assert.Equal(241, File.ReadAllLines(aside).Length);
        Assert.Equal(CsvSchema.Default.Header, File.ReadLines(path).First());
        ProcessRunner.Result analyzed = ProcessRunner.NetDrop("analyze", path, aside, "--format", "json");
        using JsonDocument report = JsonDocument.Parse(analyzed.Output);
        Assert.Equal(240 + 4, report.RootElement.GetProperty("intervals").GetInt32());
        Assert.Equal(0, report.RootElement.GetProperty("malformed_lines").GetInt32());
    }

    [Fact]
    public void Open_FileWithAnotherHeader_IsMovedAsideAsOld()
    {
        string path = Path.Join(_directory, "drops.log");
        File.WriteAllText(path, "timestamp,iteration,interface,total_drops\n2026-01-01 00:00:00,1,eth0,0\n");
        using (var sink = new CsvSink(path, time: new FixedTime(new DateTimeOffset(2026, 12, 1, 9, 30, 5, TimeSpan.Zero))))
        {
            sink.Open();
        }

        Assert.Equal(2, File.ReadAllLines(path + ".old-20261201-093005").Length);
        Assert.Equal([CsvSchema.Default.Header], File.ReadAllLines(path));
    }

    [Fact]
    public void Open_ThisVersionsCsv_AppendsUnderItsHeaderAndCutsATornLastRow()
    {
        // A previous run died mid-row (a crash on a full disk): its fragment must not become the start of our row.
        string path = Path.Join(_directory, "drops.log");
        using (var first = new CsvSink(path))
        {
            first.Open();
            first.Write(Report(1));
        }

        File.AppendAllText(path, "2026-02-03 11:23:55,2,eth0,0,0,");
        using (var again = new CsvSink(path))
        {
            again.Open();
            again.Write(Report(1));
        }

        string[] lines = File.ReadAllLines(path);
        Assert.Equal(3, lines.Length);
        Assert.Equal(CsvSchema.Default.Header, lines[0]);
        Assert.All(lines[1..], line => Assert.Equal(CsvSchema.Default.Columns.Length, line.Split(',').Length));
        Assert.Equal([path], Directory.GetFiles(_directory)); // appended to, not moved aside
    }

    [Fact]
    public void Write_DirectoryRemovedThenRecreated_SaysSoOnceKeepsTheRowsAndWritesThemInOrder()
    {
        string directory = Path.Join(_directory, "logs");
        Directory.CreateDirectory(directory);
        string path = Path.Join(directory, "drops.log");
        var said = new List<string>();
        using var sink = new CsvSink(path, say: message => { lock (said) { said.Add(message); } });
        sink.Open();
        sink.Write(Report(1));
        Assert.True(sink.WaitUntilWritten(TimeSpan.FromSeconds(30)));

        Directory.Delete(directory, recursive: true);
        sink.Write(Report(2));
        sink.Write(Report(3));
        WaitFor(() => sink.IsFailing && sink.RowsPending == 2);
        Directory.CreateDirectory(directory);
        sink.Write(Report(4));
        Assert.True(sink.WaitUntilWritten(TimeSpan.FromSeconds(30)));

        Assert.Equal([CsvSchema.Default.Header, "2", "3", "4"], File.ReadAllLines(path).Select(line => line == CsvSchema.Default.Header ? line : line.Split(',')[1]));
        lock (said)
        {
            Assert.Equal(2, said.Count);
            Assert.StartsWith($"csv: cannot write {path}: No such file or directory (errno 2); monitoring goes on", said[0], StringComparison.Ordinal);
            Assert.Equal($"csv: writing {path} again", said[1]);
        }
    }

    [Fact]
    public void Write_InAppRotationAfterTheFileWasDeleted_StartsANewFile()
    {
        // Used to throw FileNotFoundException from the rotation, which stopped the agent with exit code 1.
        string path = Path.Join(_directory, "drops.log");
        // Room for the header and three rows per file: rows 3 to 8 fit in the file and its two rotated copies.
        using var sink = new CsvSink(path, maxSizeBytes: CsvSchema.Default.Header.Length + 1 + (3 * 160), maxFiles: 2);
        sink.Open();
        sink.Write(Report(1));
        sink.Write(Report(2));
        Assert.True(sink.WaitUntilWritten(TimeSpan.FromSeconds(30)));
        File.Delete(path);

        for (int i = 3; i <= 8; i++)
        {
            sink.Write(Report(i));
        }

        Assert.True(sink.WaitUntilWritten(TimeSpan.FromSeconds(30)));
        Assert.False(sink.IsFailing);
        string[] rows = [.. new[] { path + ".2", path + ".1", path }.Where(File.Exists).SelectMany(File.ReadAllLines).Where(line => line != CsvSchema.Default.Header)];
        Assert.Equal(["3", "4", "5", "6", "7", "8"], rows.Select(line => line.Split(',')[1]));
    }

    private static void WaitFor(Func<bool> condition) =>
        Poll.Until(condition, TimeSpan.FromSeconds(30), "the CSV sink's state", everyMilliseconds: 5);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static IntervalReport Report(int iteration) => new(DropCategories.Table)
    {
        Iteration = iteration,
        Timestamp = new DateTimeOffset(2026, 2, 3, 11, 23, 50, TimeSpan.Zero),
        InterfaceLabel = "eth0",
        IntervalSeconds = 5,
    };
}
