using Microsoft.Extensions.Logging;
using NetDrop.Sinks.Telemetry;

namespace NetDrop.Tests.Telemetry;

/// <summary>
/// CRIT records logged while the collector is down are kept and delivered, in order, when it answers again; the bound
/// drops the oldest and says how many; the logging thread never waits for the collector.
/// </summary>
public sealed class RetainingLogRecordProcessorTests : IDisposable
{
    private const int FlushMilliseconds = 20_000;

    private readonly SwitchableLogExporter _exporter = new();
    private readonly StringWriter _stderr = new();
    private readonly RetainingLogRecordProcessor _processor;
    private readonly ILoggerFactory _factory;
    private readonly ILogger _logger;

    public RetainingLogRecordProcessorTests()
    {
        var operational = new OperationalLog(TextWriter.Synchronized(_stderr));
        var health = new ExportHealth(operational, "logs", new Uri("http://127.0.0.1:4317"), TimeProvider.System);
        _processor = new RetainingLogRecordProcessor(_exporter, health, operational, capacity: 3,
            initialBackoff: TimeSpan.FromMilliseconds(20), maxBackoff: TimeSpan.FromMilliseconds(100));
        _factory = LoggerFactory.Create(logging => logging.AddOpenTelemetry(options =>
        {
            options.IncludeFormattedMessage = true;
            options.AddProcessor(_processor);
        }));
        _logger = _factory.CreateLogger("NetDrop");
    }

    [Fact]
    public void Export_CollectorDownThenUp_EveryRecordDeliveredOnceInOrder()
    {
        _exporter.Down = true;
        LogCrit(1, 2, 3);

        Assert.False(_processor.ForceFlush(FlushMilliseconds)); // an attempt was made and failed
        Assert.Empty(_exporter.Delivered);
        Assert.Equal(3, _processor.PendingCount);

        _exporter.Down = false;
        Assert.True(_processor.ForceFlush(FlushMilliseconds));

        Assert.Equal(["CRIT 1", "CRIT 2", "CRIT 3"], _exporter.Delivered);
        Assert.Equal(0, _processor.PendingCount);
        Assert.True(_exporter.FailedExports >= 1);
        string stderr = _stderr.ToString();
        Assert.Equal(1, Occurrences(stderr, "OTLP export of logs to http://127.0.0.1:4317/ is failing"));
        Assert.Equal(1, Occurrences(stderr, "OTLP export of logs to http://127.0.0.1:4317/ recovered after"));
    }

    [Fact]
    public void Export_MoreRecordsThanTheBoundWhileDown_OldestDroppedCountedAndSaid()
    {
        _exporter.Down = true;
        LogCrit(1, 2, 3, 4, 5);
        Assert.False(_processor.ForceFlush(FlushMilliseconds));

        _exporter.Down = false;
        Assert.True(_processor.ForceFlush(FlushMilliseconds));
        _processor.Shutdown(FlushMilliseconds); // the export thread says the count after the recovery, then ends

        Assert.Equal(["CRIT 3", "CRIT 4", "CRIT 5"], _exporter.Delivered);
        Assert.Equal(2, _processor.DroppedCount);
        Assert.Contains("2 log records (the oldest, CRIT records included) were dropped during the collector outage: at most 3 are kept", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Export_RecordsArriveWhileBackingOff_NoExtraAttempts()
    {
        var operational = new OperationalLog(TextWriter.Null);
        var health = new ExportHealth(operational, "logs", new Uri("http://127.0.0.1:4317"), TimeProvider.System);
        using var exporter = new SwitchableLogExporter { Down = true };
        using var processor = new RetainingLogRecordProcessor(exporter, health, operational, capacity: 100,
            initialBackoff: TimeSpan.FromHours(1), maxBackoff: TimeSpan.FromHours(1));
        using ILoggerFactory factory = LoggerFactory.Create(logging => logging.AddOpenTelemetry(options => options.AddProcessor(processor)));
        ILogger logger = factory.CreateLogger("NetDrop");

        logger.Log(LogLevel.Error, LogEventIds.Crit, new LogAttributes("CRIT 1"), null, static (s, _) => s.Body);
        Assert.True(SpinWait.SpinUntil(() => exporter.FailedExports >= 1, TimeSpan.FromSeconds(20)), "no first attempt");
        for (int i = 2; i <= 11; i++)
        {
            logger.Log(LogLevel.Error, LogEventIds.Crit, new LogAttributes($"CRIT {i}"), null, static (s, _) => s.Body);
        }

        // Ten records into a failing export made no attempt of their own; the flush made one.
        Assert.False(processor.ForceFlush(FlushMilliseconds));
        Assert.Equal(2, exporter.FailedExports);
        Assert.Equal(11, processor.PendingCount);
    }

    [Fact]
    public async Task Log_CollectorHangs_LoggingThreadDoesNotWait()
    {
        _exporter.Hang();
        LogCrit(1);
        Assert.True(_exporter.WaitUntilEntered(TimeSpan.FromSeconds(20)), "the export thread never called the exporter");

        // The exporter is blocked inside Export: logging more must still return.
        Task logging = Task.Run(() => LogCrit(2, 3));
        bool returned = await Task.WhenAny(logging, Task.Delay(TimeSpan.FromSeconds(20))) == logging;
        _exporter.Release();

        Assert.True(returned, "logging waited for a hung collector");
        Assert.True(_processor.ForceFlush(FlushMilliseconds));
        Assert.Equal(["CRIT 1", "CRIT 2", "CRIT 3"], _exporter.Delivered);
    }

    public void Dispose()
    {
        _exporter.Release();
        _factory.Dispose();
        _exporter.Dispose();
        _stderr.Dispose();
    }

    private static int Occurrences(string text, string value)
    {
        int count = 0;
        for (int at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private void LogCrit(params int[] numbers)
    {
        foreach (int number in numbers)
        {
            var state = new LogAttributes($"CRIT {number}").Add("netdrop.episode.intervals", number);
            _logger.Log(LogLevel.Error, LogEventIds.Crit, state, null, static (s, _) => s.Body);
        }
    }
}
