using System.Globalization;
using NetDrop.Agent;
using NetDrop.Sinks.Telemetry;
using NetDrop.Tests.TestSupport;

namespace NetDrop.Tests.Hosting;

/// <summary>
/// The sampling loop's schedule on a fake clock: a tick every interval on the beat since start, a late tick (the
/// machine stalled) taken at once with the missed ticks dropped rather than run in a burst, <c>--count</c> honoured, a
/// stop between intervals ending the loop with exit code 0 and the host asked to stop. The loop's sleep advances the
/// fake clock (<see cref="SamplingService.Sleep"/>); what the test reads back is the CSV the real session wrote: each
/// row's timestamp is the fake clock's time of that tick, its <c>interval_s</c> the time since the previous sample.
/// </summary>
public sealed class SamplingSchedulerTests
{
    private static readonly TimeSpan s_bound = TimeSpan.FromMinutes(1); // a hang fails the test instead of the run

    [Fact]
    public async Task Run_CountFour_FourRowsOnTheBeatFiveSecondsApartThenStops()
    {
        using var monitor = new FixtureMonitor(options => options.Count = 4);
        var lifetime = new RecordingLifetime();
        List<int> sleeps = [];
        var service = new SamplingService(monitor.Session, lifetime, monitor.Time, new OperationalLog(TextWriter.Null))
        {
            Sleep = (milliseconds, token) =>
            {
                sleeps.Add(milliseconds);
                monitor.Time.Advance(TimeSpan.FromMilliseconds(milliseconds));
                return token.IsCancellationRequested;
            },
        };

        await RunToEnd(service);

        Assert.Equal([("11:23:45", 1, 5.0), ("11:23:50", 2, 5.0), ("11:23:55", 3, 5.0), ("11:24:00", 4, 5.0)], Rows(monitor));
        Assert.Equal([5000, 5000, 5000, 5000], sleeps);
        Assert.False(service.Failed);
        Assert.True(lifetime.StopRequested);
    }

    [Fact]
    public async Task Run_SecondSleepOverrunsByTwelveSeconds_LateTickAtOnceMissedTicksDroppedBeatKept()
    {
        using var monitor = new FixtureMonitor(options => options.Count = 4);
        List<int> sleeps = [];
        var service = new SamplingService(monitor.Session, new RecordingLifetime(), monitor.Time, new OperationalLog(TextWriter.Null))
        {
            Sleep = (milliseconds, token) =>
            {
                sleeps.Add(milliseconds);
                // The second sleep returns 12 s late: the machine stalled past two more ticks (t+10 s and t+15 s).
                monitor.Time.Advance(TimeSpan.FromMilliseconds(milliseconds + (sleeps.Count == 2 ? 12_000 : 0)));
                return token.IsCancellationRequested;
            },
        };

        await RunToEnd(service);

        // Start 11:23:40. Tick 1 at +5 s; the stall wakes it at +22 s, where the tick due at +10 s is taken at once and
        // those due at +15 and +20 s are dropped (no burst); the beat stays on multiples of 5 s: +25 s, +30 s.
        Assert.Equal([("11:23:45", 1, 5.0), ("11:24:02", 2, 17.0), ("11:24:05", 3, 3.0), ("11:24:10", 4, 5.0)], Rows(monitor));
        Assert.Equal([5000, 5000, 3000, 5000], sleeps);
    }

    [Fact]
    public async Task Run_StopDuringTheThirdSleep_TwoRowsExitCodeZeroHostAskedToStop()
    {
        using var monitor = new FixtureMonitor(); // no --count: runs until stopped
        var lifetime = new RecordingLifetime();
        int sleepCount = 0;
        var service = new SamplingService(monitor.Session, lifetime, monitor.Time, new OperationalLog(TextWriter.Null))
        {
            Sleep = (milliseconds, token) =>
            {
                monitor.Time.Advance(TimeSpan.FromMilliseconds(milliseconds));
                return ++sleepCount == 3; // SIGTERM arrives while waiting for the third tick
            },
        };

        await RunToEnd(service);

        Assert.Equal([("11:23:45", 1, 5.0), ("11:23:50", 2, 5.0)], Rows(monitor));
        Assert.False(service.Failed);
        Assert.True(lifetime.StopRequested);
    }

    [Fact]
    public async Task Run_HalfSecondInterval_SleepsWholeMillisecondsOnTheBeat()
    {
        using var monitor = new FixtureMonitor(options => (options.Count, options.Interval) = (3, TimeSpan.FromSeconds(0.5)));
        List<int> sleeps = [];
        var service = new SamplingService(monitor.Session, new RecordingLifetime(), monitor.Time, new OperationalLog(TextWriter.Null))
        {
            Sleep = (milliseconds, token) =>
            {
                sleeps.Add(milliseconds);
                monitor.Time.Advance(TimeSpan.FromMilliseconds(milliseconds));
                return token.IsCancellationRequested;
            },
        };

        await RunToEnd(service);

        Assert.Equal([500, 500, 500], sleeps);
        Assert.Equal([1, 2, 3], Rows(monitor).Select(row => row.Iteration));
    }

    private static async Task RunToEnd(SamplingService service)
    {
        await service.StartAsync(CancellationToken.None);
        await service.ExecuteTask!.WaitAsync(s_bound);
    }

    /// <summary>The CSV rows: time of day of the timestamp, iteration, interval_s.</summary>
    private static List<(string Time, int Iteration, double Seconds)> Rows(FixtureMonitor monitor)
    {
        string[] lines = File.ReadAllLines(monitor.CsvPath);
        int seconds = Array.IndexOf(lines[0].Split(','), "interval_s");
        return [.. lines.Skip(1).Select(line => line.Split(',')).Select(cells => (
            cells[0].Split(' ')[1],
            int.Parse(cells[1], CultureInfo.InvariantCulture),
            double.Parse(cells[seconds], CultureInfo.InvariantCulture)))];
    }
}
