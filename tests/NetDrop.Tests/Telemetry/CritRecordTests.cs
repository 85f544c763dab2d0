using Microsoft.Extensions.Logging;
using NetDrop.Sinks.Telemetry;
using NetDrop.Tests.Faults;
using NetDrop.Tests.TestSupport;
using OpenTelemetry.Logs;

namespace NetDrop.Tests.Telemetry;

/// <summary>
/// The CRIT log records the alert routes count (README "OpenTelemetry", k8s/alerting): one <c>netdrop.crit</c> (1001,
/// Error) per CRIT interval, the intervals of one episode sharing an id, one <c>netdrop.recovered</c> (1002,
/// Information) when an interval is below CRIT again, nothing for WARN or OK outside an episode. A real session over
/// the mutation fixture root feeds the logger; the records are read from an in-memory OpenTelemetry exporter.
/// </summary>
public sealed class CritRecordTests : IDisposable
{
    /// <summary>Drops per fixture step (see <see cref="Terminal.ConsoleBreakdownTests"/>): 89 is WARN, two steps (178) CRIT.</summary>
    private const long Threshold = 150;

    private const long OneStep = 89;

    private readonly List<LogRecord> _records = [];
    private readonly ILoggerFactory _factory;

    public CritRecordTests()
    {
        _factory = LoggerFactory.Create(logging => logging.AddOpenTelemetry(options => options.AddInMemoryExporter(_records)));
    }

    [Fact]
    public void Intervals_WarnCritCritWarnOkCritOk_TwoEpisodesOfCritRecordsEachEndedByOneRecovered()
    {
        using FixtureMonitor monitor = MonitorWithCritLogger();

        // k moves the fixture: Δk steps of drops in the interval.
        int[] k = [1, 3, 5, 6, 6, 8, 8]; // WARN, CRIT, CRIT, WARN, OK, CRIT, OK
        for (int i = 0; i < k.Length; i++)
        {
            monitor.Interval(i + 1, k[i]);
        }

        Assert.Equal(["netdrop.crit", "netdrop.crit", "netdrop.recovered", "netdrop.crit", "netdrop.recovered"], _records.Select(record => record.EventId.Name));
        Assert.Equal([1001, 1001, 1002, 1001, 1002], _records.Select(record => record.EventId.Id));
        Assert.Equal([LogLevel.Error, LogLevel.Error, LogLevel.Information, LogLevel.Error, LogLevel.Information], _records.Select(record => record.LogLevel));

        string[] episodes = [.. _records.Select(record => Attribute(record, "netdrop.episode.id") as string ?? "")];
        Assert.All(episodes, id => Assert.NotEqual("", id));
        Assert.Equal([episodes[0], episodes[0], episodes[0]], episodes[..3]);
        Assert.Equal(episodes[3], episodes[4]);
        Assert.NotEqual(episodes[0], episodes[3]);

        Assert.Equal([1, 2, 2, 1, 1], _records.Select(record => Convert.ToInt32(Attribute(record, "netdrop.episode.intervals"), System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal([2 * OneStep, 2 * OneStep, OneStep, 2 * OneStep, 0], _records.Select(record => (long)Attribute(record, "netdrop.total_drops")!));
        Assert.Equal([2 * OneStep, 2 * OneStep], _records.Where(IsRecovered).Select(record => (long)Attribute(record, "netdrop.episode.peak_drops")!));
        Assert.All(_records, record => Assert.Equal("eth0+lo", Attribute(record, "network.interface.name")));
    }

    [Fact]
    public void CritRecord_NamesTheDominantCategoryEveryNonZeroCountTheThresholdAndAdvice()
    {
        using FixtureMonitor monitor = MonitorWithCritLogger();

        monitor.Interval(1, k: 2);

        LogRecord crit = Assert.Single(_records);
        // The largest drop category per step (MutationFixtureRoot.ExpectedPerStep): listen_other, 17.
        ulong listenOther = 2 * MutationFixtureRoot.ExpectedPerStep["listen_other"];
        Assert.True(MutationFixtureRoot.ExpectedPerStep.Where(pair => pair.Key != "listen_other").All(pair => pair.Value < MutationFixtureRoot.ExpectedPerStep["listen_other"]));
        Assert.Equal("listen_other", Attribute(crit, "netdrop.dominant_category"));
        Assert.Equal(Threshold, Attribute(crit, "netdrop.threshold"));
        Assert.Equal("critical", Attribute(crit, "netdrop.alert.severity"));
        Assert.Equal((long)(2 * MutationFixtureRoot.ExpectedPerStep["accept_queue"]), Attribute(crit, "netdrop.drops.accept_queue"));
        Assert.Equal((long)(2 * MutationFixtureRoot.ExpectedPerStep["nic_rx"]), Attribute(crit, "netdrop.drops.nic_rx"));
        Assert.Null(Attribute(crit, "netdrop.drops.qdisc")); // zero: not named
        Assert.False(string.IsNullOrEmpty(Attribute(crit, "netdrop.advice") as string));
        Assert.StartsWith($"CRIT: {2 * OneStep} packets dropped on eth0+lo in 5 s, mostly listen_other ({listenOther}): ", crit.FormattedMessage ?? crit.Body, StringComparison.Ordinal);
    }

    public void Dispose() => _factory.Dispose();

    /// <summary>A session over the fixture with the CRIT logger as one more sink, as NetDropHost adds it.</summary>
    private FixtureMonitor MonitorWithCritLogger()
    {
        var monitor = new FixtureMonitor(options => options.Threshold = Threshold);
        monitor.Session.AddSink(new CritEventLogger(
            _factory.CreateLogger("NetDrop"), new TuningAdvice(monitor.Root.ProcRoot, monitor.Root.SysRoot), Threshold, monitor.Time));
        return monitor;
    }

    private static bool IsRecovered(LogRecord record) => record.EventId.Id == 1002;

    private static object? Attribute(LogRecord record, string key) =>
        record.Attributes?.FirstOrDefault(attribute => attribute.Key == key).Value;
}
