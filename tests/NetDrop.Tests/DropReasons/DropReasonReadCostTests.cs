using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using NetDrop.Sources;
using Xunit.Abstractions;

namespace NetDrop.Tests.DropReasons;

/// <summary>
/// What reading the reasons costs the agent per interval, as the agent reads them (the host-wide element, then its own
/// namespace's keys for the reasons that moved), with a few drops and with many in the map, and with drops between
/// every two reads: thread CPU time of the reads alone, reported, never asserted (a loaded machine must not fail a
/// budget). What is asserted is that the reads saw the drops the test caused.
/// Run: <c>dotnet test tests/NetDrop.Tests -c Release --filter Category=Benchmark&amp;FullyQualifiedName~DropReasonReadCost --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed partial class DropReasonReadCostTests(ITestOutputHelper output)
{
    private const int Reads = 500;

    [Fact]
    [Trait("Category", "Benchmark")]
    public void Read_OwnNamespace_CostPerIntervalDoesNotGrowWithTheDrops()
    {
        using NetworkNamespace ns = NetworkNamespace.Create("ndrcost");
        ns.Ip("link", "set", "lo", "up");
        (double few, double many, double moving, ulong fewCount, ulong manyCount, ulong movingCount, int slots) = ns.Run(() =>
        {
            var messages = new List<string>();
            using DropReasonSource source = DropReasonSource.TryOpen("/sys", messages.Add)
                ?? throw new InvalidOperationException(string.Join(" | ", messages));
            var sample = new Sample(Sampling.TestPlans.Default);
            Drop(10);
            double few = MicrosecondsPerRead(source, sample);
            ulong fewCount = NoSocket(sample);
            Drop(100_000);
            double many = MicrosecondsPerRead(source, sample);
            ulong manyCount = NoSocket(sample);
            double moving = MicrosecondsPerRead(source, sample, dropsBetweenReads: 2);
            return (few, many, moving, fewCount, manyCount, NoSocket(sample), sample.DropReasonSlots);
        });

        output.WriteLine($"agent read of its namespace's reasons ({slots} slots), thread CPU per interval: {few:F1} µs with NO_SOCKET at {fewCount:N0}; "
            + $"{many:F1} µs at {manyCount:N0}; {moving:F1} µs with NO_SOCKET moving between every two reads");
        Assert.Equal(10UL, fewCount);
        Assert.Equal(100_010UL, manyCount);
        Assert.Equal(100_010UL + (2 * Reads), movingCount);
    }

    /// <summary>
    /// Thread CPU time per read over <see cref="Reads"/> reads. With drops between them, each read is timed alone so
    /// the drops are not counted (the clock read, a syscall of its own, is then inside the figure).
    /// </summary>
    private static double MicrosecondsPerRead(DropReasonSource source, Sample sample, int dropsBetweenReads = 0)
    {
        source.Read(sample);
        if (dropsBetweenReads == 0)
        {
            long begin = ThreadCpuNanoseconds();
            for (int i = 0; i < Reads; i++)
            {
                source.Read(sample);
            }

            return (ThreadCpuNanoseconds() - begin) / 1000.0 / Reads;
        }

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        long reading = 0;
        for (int i = 0; i < Reads; i++)
        {
            Drop(socket, dropsBetweenReads);
            long start = ThreadCpuNanoseconds();
            source.Read(sample);
            reading += ThreadCpuNanoseconds() - start;
        }

        return reading / 1000.0 / Reads;
    }

    private static ulong NoSocket(Sample sample) => sample.DropReasons[sample.DropReasonNames!.ValueOf("NO_SOCKET")];

    private static void Drop(int datagrams)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        Drop(socket, datagrams);
    }

    private static void Drop(Socket socket, int datagrams)
    {
        var target = new IPEndPoint(IPAddress.Loopback, 9);
        byte[] payload = new byte[8];
        for (int i = 0; i < datagrams; i++)
        {
            socket.SendTo(payload, target);
        }
    }

    private static long ThreadCpuNanoseconds()
    {
        const int CLOCK_THREAD_CPUTIME_ID = 3;
        return clock_gettime(CLOCK_THREAD_CPUTIME_ID, out Timespec now) == 0
            ? (now.Seconds * 1_000_000_000L) + now.Nanoseconds
            : throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int clock_gettime(int clockId, out Timespec value);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
