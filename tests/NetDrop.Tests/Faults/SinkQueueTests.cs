using NetDrop.Model;
using NetDrop.Sinks.Csv;
using NetDrop.Sources;
using NetDrop.Deltas;
using NetDrop.Sinks;
using NetDrop.Sinks.Terminal;

namespace NetDrop.Tests.Faults;

/// <summary>
/// The queue between the sampling thread and a slow sink, in process: a writer that blocks never blocks the producer,
/// the overflow policy (drop the newest, count it, say it once the writer moves) holds, and the steady state
/// allocates nothing on the sampling thread.
/// </summary>
public sealed class SinkQueueTests
{
    [Fact]
    public void Publish_WriterBlocked_ProducerNeverWaitsAndTheNewestEntriesAreDroppedCountedAndReported()
    {
        var writer = new GatedWriter();
        using var queue = new SinkQueue<byte>("test-sink", capacity: 4, entryLength: 8, writer);

        // The writer takes entry 1 and blocks in it (its buffer stays taken until it is written); 2, 3 and 4 fill the
        // queue's other buffers; 5 to 8 find it full.
        for (int i = 1; i <= 8; i++)
        {
            Publish(queue, (byte)i);
            if (i == 1)
            {
                Assert.True(writer.Entered.Wait(TimeSpan.FromSeconds(30)));
            }
        }

        Assert.Equal(4, queue.Dropped);
        writer.Gate.Set();
        Assert.True(queue.Complete(TimeSpan.FromSeconds(30)));

        Assert.Equal([1, 2, 3, 4], writer.Written); // in order; 5 to 8 were the newest when the queue was full
        Assert.Equal([4L], writer.DropReports);
        Assert.Equal(0, writer.UnwrittenAtStop);
    }

    [Fact]
    public void Complete_WriterStillFailing_TriesOnceMoreAndReportsWhatIsLeft()
    {
        var writer = new GatedWriter { Fails = true };
        writer.Gate.Set();
        using var queue = new SinkQueue<byte>("test-sink", capacity: 8, entryLength: 8, writer);
        Publish(queue, 1);
        Publish(queue, 2);

        Assert.True(queue.Complete(TimeSpan.FromSeconds(30)));

        Assert.Empty(writer.Written);
        Assert.Equal(2, writer.UnwrittenAtStop);
    }

    [Fact]
    public void Write_CsvAndConsoleSteadyState_AllocateNothingOnTheSamplingThread()
    {
        // The console line used to be built with a StringBuilder and value.ToString() on the sampling thread.
        string directory = Directory.CreateTempSubdirectory("netdrop-queue-").FullName;
        try
        {
            using var csv = new CsvSink(Path.Join(directory, "drops.log"));
            csv.Open();
            using var console = new ConsoleSink(TextWriter.Null, color: true, new InterfaceRegistry());
            var report = new IntervalReport(DropCategories.Table) { InterfaceLabel = "eth0", Timestamp = new DateTimeOffset(2026, 2, 3, 11, 23, 55, TimeSpan.Zero), Severity = Severity.Crit, TotalDrops = 523 };
            report[DropCategories.Softirq] = 500;
            report[DropCategories.AcceptQueue] = 23;
            report[DropCategories.TcpCollapsed] = 7;

            long allocated = 0;
            for (int round = 0; round < 20; round++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < 200; i++)
                {
                    report.Iteration = i;
                    csv.Write(report);
                    console.Write(report);
                }

                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                Assert.True(csv.WaitUntilWritten(TimeSpan.FromSeconds(60)));
                Assert.True(console.WaitUntilWritten(TimeSpan.FromSeconds(60)));
            }

            Assert.Equal(0, allocated); // the last round, once warm
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void Publish(SinkQueue<byte> queue, byte value)
    {
        if (queue.TryReserve(out int slot))
        {
            queue.Entry(slot)[0] = value;
            queue.Publish(slot, 1);
        }
    }

    private sealed class GatedWriter : ISinkWriter<byte>
    {
        public ManualResetEventSlim Gate { get; } = new();

        public ManualResetEventSlim Entered { get; } = new();

        public bool Fails { get; init; }

        public List<int> Written { get; } = [];

        public List<long> DropReports { get; } = [];

        public long UnwrittenAtStop { get; private set; } = -1;

        public bool TryWrite(ReadOnlySpan<byte> entry)
        {
            Entered.Set();
            Gate.Wait();
            if (Fails)
            {
                return false;
            }

            Written.Add(entry[0]);
            return true;
        }

        public void OnDropped(long count) => DropReports.Add(count);

        public void OnStopped(long unwritten) => UnwrittenAtStop = unwritten;
    }
}
