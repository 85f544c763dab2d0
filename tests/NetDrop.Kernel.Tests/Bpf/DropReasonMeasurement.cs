using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using NetDrop.Kernel.Bpf;

namespace NetDrop.Kernel.Tests.Bpf;

/// <summary>
/// The cost figures, printed, not asserted (a loaded machine makes any time bound flaky):
/// <c>dotnet exec tests/NetDrop.Kernel.Tests/bin/Release/net10.0/NetDrop.Kernel.Tests.dll measure-drop-reasons</c>.
/// (1) ns per drop of a bounded flood of UDP to a closed port in a namespace of its own, alternating rounds without the
/// program, with it counting per reason only, and per reason and namespace, the sender pinned to one CPU; (2) the cost of one <see cref="DropReasonCounter.Read"/>
/// with 0 drops counted and after 1,000,000; (3) the cost of one <see cref="DropReasonCounter.ReadNamespace"/> of the
/// flood's namespace with nothing moving, and with NO_SOCKET moving between every two reads (each read timed alone).
/// </summary>
internal static partial class DropReasonMeasurement
{
    public const string Verb = "measure-drop-reasons";

    private const int DropsPerRound = 100_000;
    private const int Rounds = 9;
    private const int CLOCK_THREAD_CPUTIME_ID = 3;
    private const int Reads = 2_000;

    public static int Run(TextWriter output)
    {
        using NetworkNamespace ns = NetworkNamespace.Create("ndabpfm");
        ns.Shell("ip link set lo up");
        var without = new List<double>();
        var reasonOnly = new List<double>();
        var byNamespace = new List<double>();
        DropReasonSource source = BtfFile.Read();
        for (int round = 0; round < Rounds; round++)
        {
            without.Add(NanosecondsPerDrop(ns));
            using (DropReasonCounter counter = DropReasonCounter.Open(source with { Namespace = null }))
            {
                reasonOnly.Add(NanosecondsPerDrop(ns));
            }

            using (DropReasonCounter counter = DropReasonCounter.Open(source))
            {
                byNamespace.Add(NanosecondsPerDrop(ns));
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"per drop, thread CPU time (median of {Rounds} rounds of {DropsPerRound:N0} UDP datagrams to a closed port): without program {Median(without):F0} ns; reason only {Median(reasonOnly):F0} ns (+{Median(reasonOnly) - Median(without):F0}); by reason and namespace {Median(byNamespace):F0} ns (+{Median(byNamespace) - Median(without):F0})"));
        output.WriteLine("  rounds without:      " + string.Join(' ', without.Select(v => v.ToString("F0", CultureInfo.InvariantCulture))));
        output.WriteLine("  rounds reason only:  " + string.Join(' ', reasonOnly.Select(v => v.ToString("F0", CultureInfo.InvariantCulture))));
        output.WriteLine("  rounds by namespace: " + string.Join(' ', byNamespace.Select(v => v.ToString("F0", CultureInfo.InvariantCulture))));

        using (DropReasonCounter counter = DropReasonCounter.Open())
        {
            ulong[] counts = new ulong[counter.Slots];
            int noSocket = counter.Names.ValueOf("NO_SOCKET");
            double atZero = MicrosecondsPerRead(counter, counts);
            ulong before = counts[noSocket];
            for (int i = 0; i < 10; i++)
            {
                NanosecondsPerDrop(ns);
            }

            double atMillion = MicrosecondsPerRead(counter, counts);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Read, thread CPU time ({counter.Slots} slots, {Reads} calls): {atZero:F1} µs with NO_SOCKET at {before:N0}; {atMillion:F1} µs with NO_SOCKET at {counts[noSocket]:N0}"));

            uint inode = DropReasonLab.NamespaceInode(ns);
            counter.ReadNamespace(inode, counts);
            long start = ThreadCpuNanoseconds();
            for (int i = 0; i < Reads; i++)
            {
                counter.ReadNamespace(inode, counts);
            }

            double still = (ThreadCpuNanoseconds() - start) / 1000.0 / Reads;
            double moving = ns.Run(() =>
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                var target = new IPEndPoint(IPAddress.Loopback, 9);
                long reading = 0;
                for (int i = 0; i < Reads; i++)
                {
                    socket.SendTo(new byte[8], target);
                    long begin = ThreadCpuNanoseconds();
                    counter.ReadNamespace(inode, counts);
                    reading += ThreadCpuNanoseconds() - begin;
                }

                return reading / 1000.0 / Reads;
            });
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ReadNamespace, thread CPU time ({Reads} calls): {still:F1} µs with nothing moving; {moving:F1} µs with NO_SOCKET moving between every two reads (NO_SOCKET at {counts[noSocket]:N0} in the namespace)"));
        }

        return 0;
    }

    private static double NanosecondsPerDrop(NetworkNamespace ns)
    {
        return ns.Run(() =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            var target = new IPEndPoint(IPAddress.Loopback, 9);
            byte[] payload = new byte[16];
            // Thread CPU time, not wall time: loopback delivery and the drop run in this thread's softirq, and other
            // work on the machine does not count.
            long start = ThreadCpuNanoseconds();
            for (int i = 0; i < DropsPerRound; i++)
            {
                socket.SendTo(payload, target);
            }

            return (double)(ThreadCpuNanoseconds() - start) / DropsPerRound;
        });
    }

    private static long ThreadCpuNanoseconds()
    {
        if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, out Timespec now) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
        }

        return (now.Seconds * 1_000_000_000L) + now.Nanoseconds;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int clock_gettime(int clockId, out Timespec value);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private static double MicrosecondsPerRead(DropReasonCounter counter, ulong[] counts)
    {
        counter.Read(counts);
        long start = ThreadCpuNanoseconds();
        for (int i = 0; i < Reads; i++)
        {
            counter.Read(counts);
        }

        return (ThreadCpuNanoseconds() - start) / 1000.0 / Reads;
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted[sorted.Length / 2];
    }
}
