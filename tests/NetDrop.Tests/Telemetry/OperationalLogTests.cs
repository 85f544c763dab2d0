using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using NetDrop.Sources.Resilience;
using NetDrop.Sources;
using NetDrop.Deltas;
using NetDrop.Sinks.Telemetry;
using OpenTelemetry.Logs;

using NetDrop.Tests.Sampling;

using NetDrop.Model;

namespace NetDrop.Tests.Telemetry;

/// <summary>
/// Operational events reach the OpenTelemetry log pipeline with their stable event ids and the source named, and
/// stderr still gets one line each.
/// </summary>
public sealed class OperationalLogTests : IDisposable
{
    private readonly List<LogRecord> _records = [];
    private readonly StringWriter _stderr = new();
    private readonly ILoggerFactory _factory;
    private readonly OperationalLog _operational;

    public OperationalLogTests()
    {
        _factory = LoggerFactory.Create(logging => logging.AddOpenTelemetry(options => options.AddInMemoryExporter(_records)));
        _operational = new OperationalLog(_stderr);
        _operational.Attach(_factory.CreateLogger("NetDrop"));
    }

    [Fact]
    public void CsvFailingThenRecovering_OneRecordEachWithItsIdAndThePath_NothingWhileTheStateHolds()
    {
        bool failing = false;
        var events = new CsvHealthEvents(() => failing, "/var/log/network_drops.log", _operational);
        var report = new IntervalReport(DropCategories.Table);

        events.Write(report);
        failing = true;
        events.Write(report);
        events.Write(report);
        failing = false;
        events.Write(report);
        events.Write(report);

        Assert.Equal([4001, 4002], _records.Select(record => record.EventId.Id));
        Assert.Equal(["netdrop.csv.failing", "netdrop.csv.recovered"], _records.Select(record => record.EventId.Name));
        Assert.All(_records, record => Assert.Contains(record.Attributes!, a => a.Key == "file.path" && (string?)a.Value == "/var/log/network_drops.log"));
        Assert.Equal("", _stderr.ToString()); // the CSV sink writes its own stderr lines
    }

    [Fact]
    public void SourceFailsOpensTheCircuitThenRecovers_EachStepOneRecordWithItsIdAndOneStderrLine()
    {
        var time = new FakeTimeProvider();
        var health = new SourceHealth(message => _stderr.WriteLine("netdrop: " + message)) { Observer = _operational.Source };
        var source = new ScriptedFailingSource(Enumerable.Repeat(Interop.Errno.EACCES, 4).ToArray());
        var runner = new SourceRunner(source, SourcePipelines.Create(source.Description, time, health.Say));

        // Three failures open the circuit; the probe a break later fails (open again); the next probe reads.
        for (int sample = 0; sample < 3; sample++)
        {
            runner.Read(new Sample(TestPlans.Default), health);
            time.Advance(TimeSpan.FromSeconds(5));
        }

        time.Advance(SourcePipelines.BreakDuration);
        runner.Read(new Sample(TestPlans.Default), health);
        time.Advance(SourcePipelines.BreakDuration);
        runner.Read(new Sample(TestPlans.Default), health);

        // 2001 unavailable, 2003 circuit opened (twice: after three failures, after the failed probe),
        // 2004 circuit closed, 2002 recovered.
        Assert.Equal([2001, 2003, 2003, 2004, 2002], _records.Select(record => record.EventId.Id));
        Assert.Equal(
            ["netdrop.source.unavailable", "netdrop.source.circuit_opened", "netdrop.source.circuit_opened", "netdrop.source.circuit_closed", "netdrop.source.recovered"],
            _records.Select(record => record.EventId.Name));
        Assert.All(_records, record => Assert.Contains(record.Attributes!, a => a.Key == "netdrop.source" && (string?)a.Value == "/proc/net/snmp6"));
        Assert.Equal([LogLevel.Warning, LogLevel.Warning, LogLevel.Warning, LogLevel.Information, LogLevel.Information], _records.Select(record => record.LogLevel));
        Assert.Equal(5, _stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void ExportFailsTwiceThenRecovers_OneFailingAndOneRecoveredRecord()
    {
        var time = new FakeTimeProvider();
        var health = new ExportHealth(_operational, "metrics", new Uri("http://user:secret@collector:4318/v1/metrics?token=x"), time);

        health.Report(false);
        time.Advance(TimeSpan.FromSeconds(30));
        health.Report(false);
        health.Report(true);
        health.Report(true);

        Assert.Equal([3001, 3002], _records.Select(record => record.EventId.Id));
        string[] lines = _stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("netdrop: OTLP export of metrics to http://collector:4318/v1/metrics is failing", lines[0], StringComparison.Ordinal);
        Assert.Equal("netdrop: OTLP export of metrics to http://collector:4318/v1/metrics recovered after 2 failed attempts over 30 s", lines[1]);
        Assert.DoesNotContain("secret", _stderr.ToString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _factory.Dispose();
        _stderr.Dispose();
    }
}
