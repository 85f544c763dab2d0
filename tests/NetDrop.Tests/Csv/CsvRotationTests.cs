using System.Globalization;
using NetDrop.Tests.TestSupport;

namespace NetDrop.Tests.Csv;

/// <summary>
/// In-app size rotation (<c>csv.max_size_mb</c>/<c>csv.max_files</c>, for a pod where no logrotate runs): before a row
/// would take the file past the limit, PATH.N-1 → PATH.N … PATH → PATH.1, the oldest is deleted, and the new PATH
/// starts with the header. Driven through a real session writing real rows; checked on the files alone.
/// </summary>
public sealed class CsvRotationTests
{
    private const long MaxSize = 2048;
    private const int MaxFiles = 2;
    private const int Intervals = 80;

    [Fact]
    public void Write_PastMaxSize_ShiftsToMaxFilesEachUnderTheLimitWithHeaderAndNoRowLostBetweenThem()
    {
        using var monitor = new FixtureMonitor(options => (options.CsvMaxSizeBytes, options.CsvMaxFiles) = (MaxSize, MaxFiles));
        for (int iteration = 1; iteration <= Intervals; iteration++)
        {
            monitor.Interval(iteration, k: iteration);
        }

        monitor.Complete();

        string path = monitor.CsvPath;
        string[] oldestFirst = [$"{path}.2", $"{path}.1", path];
        Assert.False(File.Exists($"{path}.{MaxFiles + 1}"), "rotation kept more than csv.max_files old files");
        List<int> iterations = [];
        string? header = null;
        foreach (string file in oldestFirst)
        {
            Assert.True(File.Exists(file), $"{file} missing: {Intervals} rows of a 2 KiB file should have rotated twice");
            long length = new FileInfo(file).Length;
            string[] lines = File.ReadAllText(file).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(length <= MaxSize, $"{file} is {length} bytes, over the {MaxSize}-byte limit");
            Assert.StartsWith("timestamp,iteration,interface,total_drops,nic_rx,", lines[0], StringComparison.Ordinal);
            header ??= lines[0];
            Assert.Equal(header, lines[0]);
            Assert.True(lines.Length > 1, $"{file} holds only the header");
            if (file != path)
            {
                // Rotated only when the next row would not fit, not earlier.
                int nextRowLength = lines[^1].Length + 1;
                Assert.True(length + nextRowLength > MaxSize, $"{file} was rotated at {length} bytes with room for another row");
            }

            iterations.AddRange(lines.Skip(1).Select(line => int.Parse(line.Split(',')[1], CultureInfo.InvariantCulture)));
        }

        // Oldest file to newest, the rows are one unbroken run ending at the last interval; the run starts after 1
        // because the file shifted past PATH.2 was deleted.
        Assert.Equal(Enumerable.Range(iterations[0], iterations.Count), iterations);
        Assert.Equal(Intervals, iterations[^1]);
        Assert.True(iterations[0] > 1, "nothing was deleted: the oldest file was never shifted out");
    }

    [Fact]
    public void Write_MaxSizeZero_NeverRotates()
    {
        using var monitor = new FixtureMonitor(options => (options.CsvMaxSizeBytes, options.CsvMaxFiles) = (0, MaxFiles));
        for (int iteration = 1; iteration <= Intervals; iteration++)
        {
            monitor.Interval(iteration, k: iteration);
        }

        monitor.Complete();

        Assert.False(File.Exists(monitor.CsvPath + ".1"));
        Assert.Equal(1 + Intervals, File.ReadAllLines(monitor.CsvPath).Length);
    }
}
