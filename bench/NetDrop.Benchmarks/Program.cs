using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Perfolizer.Horology;

namespace NetDrop.Benchmarks;

internal static class Program
{
    /// <summary>
    /// <c>cpu [--rounds N] [--out FILE]</c> runs the CPU-time harness (the budget figures); anything else goes to
    /// BenchmarkDotNet (<c>--filter '*'</c> for every benchmark).
    /// </summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "cpu")
        {
            return CpuTimeHarness.Run(args[1..]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, CreateConfig());
        return 0;
    }

    // Short enough that bench/run.sh finishes in minutes on a 2-core VM, long enough for a stable median of
    // microsecond operations: each iteration runs for at least 100 ms of calls.
    private static ManualConfig CreateConfig() =>
        ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(Job.Default
                .WithWarmupCount(3)
                .WithIterationCount(15)
                .WithIterationTime(TimeInterval.FromMilliseconds(150))
                .WithId("NetDrop"))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(StatisticColumn.Median, StatisticColumn.P95)
            .WithOptions(ConfigOptions.JoinSummary);
}
