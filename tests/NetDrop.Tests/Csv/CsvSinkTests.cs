using NetDrop.Csv;
using NetDrop.Sampling;

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
        Assert.Equal(CsvSchema.Header, lines[0]);
        Assert.Equal(1, lines.Count(line => line == CsvSchema.Header));
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
        Assert.Equal([CsvSchema.Header], lines[..1]);
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
        Assert.Equal(CsvSchema.Header, lines[0]);
        Assert.StartsWith("2026-02-03 11:23:50,2,", lines[1], StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static IntervalReport Report(int iteration) => new()
    {
        Iteration = iteration,
        Timestamp = new DateTimeOffset(2026, 2, 3, 11, 23, 50, TimeSpan.Zero),
        InterfaceLabel = "eth0",
        IntervalSeconds = 5,
    };
}
