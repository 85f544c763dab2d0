using System.Globalization;
using System.Text;

namespace NetDrop.Benchmarks;

/// <summary>
/// <c>NetDrop.Benchmarks cpu [--rounds N] [--out FILE]</c>: the budget figures in CPU time rather than BenchmarkDotNet's
/// wall time, so a busy machine (other builds on the same two cores) does not inflate them. Each operation is the
/// BenchmarkDotNet benchmark method itself, warmed up, then timed in rounds of a fixed number of calls; the report is
/// the median (and min and p95) over rounds of CPU microseconds per call and managed bytes allocated per call.
/// </summary>
internal static class CpuTimeHarness
{
    public static int Run(string[] args)
    {
        int rounds = 31;
        string? output = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rounds" when i + 1 < args.Length:
                    rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--out" when i + 1 < args.Length:
                    output = args[++i];
                    break;
                default:
                    System.Console.Error.WriteLine($"unknown argument '{args[i]}'; usage: cpu [--rounds N] [--out FILE]");
                    return 2;
            }
        }

        var sample = new SampleBenchmarks();
        var live = new LiveReaderBenchmarks();
        var fixture = new FixtureReaderBenchmarks();
        var delta = new DeltaEngineBenchmarks();
        var csv = new CsvBenchmarks();
        sample.Setup();
        live.Setup();
        fixture.Setup();
        delta.Setup();
        csv.Setup();
        try
        {
            (string Name, int CallsPerRound, Action Call)[] operations =
            [
                ("Sample_Netlink", 200, sample.Sample_Netlink),
                ("Sample_Sysfs", 50, sample.Sample_Sysfs),
                ("Interval_SampleDeltaCsvRow", 200, () => sample.Interval_SampleDeltaCsvRow()),
                ("Interval_MonitorSession", 200, sample.Interval_MonitorSession),
                ("Live.MibFile_Netstat", 500, () => live.MibFile_Netstat()),
                ("Live.MibFile_Snmp", 500, () => live.MibFile_Snmp()),
                ("Live.Snmp6File_Snmp6", 500, () => live.Snmp6File_Snmp6()),
                ("Live.SoftnetStatFile_SoftnetStat", 500, () => live.SoftnetStatFile_SoftnetStat()),
                ("Live.RtmGetLink", 500, () => live.RtmGetLink()),
                ("Live.RtmGetQdisc", 500, () => live.RtmGetQdisc()),
                ("Live.Ethtool_Eth0", 1000, () => live.Ethtool_Eth0()),
                ("Live.Sysfs_Eth0", 100, () => live.Sysfs_Eth0()),
                ("Fixture.MibFile_Netstat", 2000, fixture.MibFile_Netstat),
                ("Fixture.MibFile_Snmp", 5000, fixture.MibFile_Snmp),
                ("Fixture.Snmp6File_Snmp6", 2000, fixture.Snmp6File_Snmp6),
                ("Fixture.SoftnetStatFile_SoftnetStat", 10000, fixture.SoftnetStatFile_SoftnetStat),
                ("Fixture.LinkDump_RtmGetLink", 10000, () => fixture.LinkDump_RtmGetLink()),
                ("Fixture.QdiscDump_RtmGetQdisc", 10000, () => fixture.QdiscDump_RtmGetQdisc()),
                ("Fixture.Ethtool_Eth0", 10000, () => fixture.Ethtool_Eth0()),
                ("Fixture.InterfaceStatistics_Eth0Files", 100, () => fixture.InterfaceStatistics_Eth0Files()),
                ("DeltaEngine.Compute", 10000, () => delta.Compute()),
                ("Csv.CsvRowFormatter_Format", 10000, () => csv.CsvRowFormatter_Format()),
                ("Csv.CsvSink_Write", 1000, csv.CsvSink_Write),
            ];

            var report = new StringBuilder("operation,median_us,min_us,p95_us,allocated_bytes_per_call,rounds,calls_per_round\n");
            System.Console.WriteLine($"{"operation",-40} {"median µs",10} {"min µs",10} {"p95 µs",10} {"alloc B/call",13}");
            foreach ((string name, int calls, Action call) in operations)
            {
                (double median, double min, double p95, double allocated) = Measure(call, calls, rounds);
                System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name,-40} {median,10:F2} {min,10:F2} {p95,10:F2} {allocated,13:F1}"));
                report.Append(CultureInfo.InvariantCulture, $"{name},{median:F3},{min:F3},{p95:F3},{allocated:F1},{rounds},{calls}\n");
            }

            // Cold: one call every 10 ms, as the agent runs, so caches, TLB and branch predictors have moved on to
            // other work in between (in production the gap is 5 s). Each call is timed on its own.
            foreach ((string name, Action call) in ((string, Action)[])
                [
                    ("Sample_Netlink_Cold10ms", sample.Sample_Netlink),
                    ("Interval_MonitorSession_Cold10ms", sample.Interval_MonitorSession),
                    ("Live.MibFile_Netstat_Cold10ms", () => live.MibFile_Netstat()),
                    ("Live.MibFile_Snmp_Cold10ms", () => live.MibFile_Snmp()),
                    ("Live.Snmp6File_Snmp6_Cold10ms", () => live.Snmp6File_Snmp6()),
                    ("Live.SoftnetStatFile_SoftnetStat_Cold10ms", () => live.SoftnetStatFile_SoftnetStat()),
                    ("Live.RtmGetLink_Cold10ms", () => live.RtmGetLink()),
                    ("Live.RtmGetQdisc_Cold10ms", () => live.RtmGetQdisc()),
                    ("Live.Ethtool_Eth0_Cold10ms", () => live.Ethtool_Eth0()),
                ])
            {
                (double median, double min, double p95, double allocated) = MeasureCold(call, calls: 300);
                System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name,-40} {median,10:F2} {min,10:F2} {p95,10:F2} {allocated,13:F1}"));
                report.Append(CultureInfo.InvariantCulture, $"{name},{median:F3},{min:F3},{p95:F3},{allocated:F1},300,1\n");
            }

            if (output is not null)
            {
                File.WriteAllText(output, report.ToString());
            }

            return 0;
        }
        finally
        {
            sample.Cleanup();
            live.Cleanup();
            csv.Cleanup();
        }
    }

    private static (double Median, double Min, double P95, double AllocatedPerCall) Measure(Action call, int calls, int rounds)
    {
        // Warm-up through the measured loop itself for half a second at least: tiered JIT starts counting calls only
        // after 100 ms without new tier-0 code and promotes in the background.
        var warmUp = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 3 || warmUp.ElapsedMilliseconds < 500; i++)
        {
            TimeRound(call, calls);
        }

        var perCall = new double[rounds];
        long allocated = 0;
        for (int round = 0; round < rounds; round++)
        {
            (long nanoseconds, long bytes) = TimeRound(call, calls);
            perCall[round] = nanoseconds / 1000.0 / calls;
            allocated += bytes;
        }

        Array.Sort(perCall);
        return (perCall[rounds / 2], perCall[0], perCall[(int)Math.Ceiling(rounds * 0.95) - 1], (double)allocated / rounds / calls);
    }

    private static (double Median, double Min, double P95, double AllocatedPerCall) MeasureCold(Action call, int calls)
    {
        var perCall = new double[calls];
        long allocated = 0;
        for (int i = 0; i < calls; i++)
        {
            Thread.Sleep(10);
            (long nanoseconds, long bytes) = TimeRound(call, 1);
            perCall[i] = nanoseconds / 1000.0;
            allocated += bytes;
        }

        Array.Sort(perCall);
        return (perCall[calls / 2], perCall[0], perCall[(int)Math.Ceiling(calls * 0.95) - 1], (double)allocated / calls);
    }

    private static (long Nanoseconds, long Bytes) TimeRound(Action call, int calls)
    {
        long bytes = GC.GetAllocatedBytesForCurrentThread();
        long start = ThreadCpuClock.Nanoseconds();
        for (int i = 0; i < calls; i++)
        {
            call();
        }

        long elapsed = ThreadCpuClock.Nanoseconds() - start;
        return (elapsed, GC.GetAllocatedBytesForCurrentThread() - bytes);
    }
}
