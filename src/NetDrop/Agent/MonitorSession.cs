using System.Globalization;
using System.Text;
using NetDrop.Sinks.Terminal;
using NetDrop.Model;
using NetDrop.Sinks.Csv;
using NetDrop.Kernel;
using NetDrop.Sources;
using NetDrop.Deltas;
using NetDrop.Sinks;
using NetDrop.Configuration;

namespace NetDrop.Agent;

/// <summary>
/// Everything one monitor run owns, built and checked before any host starts, so bad input (a missing interface, an
/// unwritable CSV, a wrong proc root) exits with code 2 at once instead of inside a background service.
/// </summary>
internal sealed class MonitorSession : IDisposable
{
    private readonly Sampler _sampler;
    private readonly DeltaEngine _engine;
    private readonly List<IIntervalSink> _sinks = [];
    private readonly CsvSink? _csv;
    private readonly DetailCsvSink? _detail;
    private readonly ConsoleSink _console;
    private readonly Action<string> _say;
    private readonly TimeProvider _time;
    private readonly HeartbeatFile? _heartbeat;
    private Sample _previous;
    private Sample _current;
    private int[] _labelSeries = [];
    private string _label = "";

    public MonitorSession(MonitorOptions options, TextWriter output, TextWriter error, TimeProvider? time = null)
    {
        Validate(options);
        Options = options;
        Output = output;
        _time = time ?? TimeProvider.System;
        Registry = new InterfaceRegistry();
        var selector = new InterfaceSelector(
            options.Interfaces.Count > 0 ? options.Interfaces : ["*"],
            options.Interfaces.Count > 0 ? options.Exclude : [.. options.Exclude, "lo"]);
        // One line on stderr for each thing worth saying once: a source failing, the CSV failing or recovering.
        Action<string> say = message => error.WriteLine("netdrop: " + message);
        _say = say;
        Health = new SourceHealth(say);
        var plan = new CounterPlan(options.Categories);
        _previous = new Sample(plan);
        _current = new Sample(plan);
        Report = new IntervalReport(options.Categories, Registry);
        _sampler = SourceFactory.CreateSampler(options, plan, selector, Registry, Health, _time);
        try
        {
            CheckInterfacesExist(_sampler.Links, selector);
            _engine = new DeltaEngine(plan, Registry, new SeverityPolicy(options.Threshold, options.CategoryThresholds, options.Categories));
            _sampler.Take(_previous); // the baseline: nothing is reported for it
            _csv = options.CsvPath is null ? null : OpenCsv(options, say, _time);
            _detail = options.CsvDetailPath is null ? null : OpenDetail(options, say, _time);
            _heartbeat = options.HeartbeatFile is null ? null : new HeartbeatFile(options.HeartbeatFile);
            _heartbeat?.Touch();
            bool color = ConsoleSink.ShouldColor(options.Color, !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out));
            if (_csv is not null)
            {
                _sinks.Add(_csv);
            }

            if (_detail is not null)
            {
                _sinks.Add(_detail);
            }

            // The console and the CSV each write on a thread of their own, behind a bounded queue: a blocked stdout or
            // a hung disk never delays the next sample (nor each other).
            _console = new ConsoleSink(output, color, Registry, say);
            _sinks.Add(_console);
        }
        catch
        {
            _detail?.Dispose();
            _csv?.Dispose();
            _sampler.Dispose();
            throw;
        }
    }

    public MonitorOptions Options { get; }

    public InterfaceRegistry Registry { get; }

    public SourceHealth Health { get; }

    public TextWriter Output { get; }

    public IntervalReport Report { get; }

    /// <summary>Seconds the last sample took, for the self-metric.</summary>
    public double LastSampleSeconds { get; private set; }

    /// <summary>Sinks added after start-up (telemetry) receive every later interval too.</summary>
    public void AddSink(IIntervalSink sink) => _sinks.Add(sink);

    /// <summary>The seed CSV's sink; null with <c>--no-csv</c>.</summary>
    public CsvSink? Csv => _csv;

    /// <summary>The detail CSV's sink; null unless <c>--csv-detail</c> (<c>csv.detail_path</c>) names a file.</summary>
    public DetailCsvSink? Detail => _detail;

    /// <summary>Samples, computes the interval since the last sample, and hands it to every sink.</summary>
    public IntervalReport ReportInterval(int iteration)
    {
        long started = _time.GetTimestamp();
        _sampler.Take(_current);
        LastSampleSeconds = _time.GetElapsedTime(started).TotalSeconds;
        _engine.Compute(_previous, _current, Report, _time.GetElapsedTime(_previous.Timestamp, _current.Timestamp));
        Report.Iteration = iteration;
        Report.Timestamp = _time.GetLocalNow();
        Report.InterfaceLabel = Label(Report);
        foreach (IIntervalSink sink in _sinks)
        {
            sink.Write(Report);
        }

        _heartbeat?.Touch();
        (_previous, _current) = (_current, _previous);
        return Report;
    }

    /// <summary>The start-up banner, queued ahead of the first interval (a blocked stdout must not stop the start).</summary>
    public void WriteBanner()
    {
        using var output = new StringWriter(new StringBuilder(), CultureInfo.InvariantCulture) { NewLine = "\n" };
        string monitored = _previous.Interfaces.Count > 0
            ? string.Join(' ', _previous.Interfaces.Where(reading => !reading.FoldsIntoMaster || !IsMonitored(reading.MasterIfIndex)).Select(reading => Registry.NameOf(reading.Series)))
            : "(none yet: " + string.Join(' ', Options.Interfaces) + ")";
        output.WriteLine($"NetDrop {VersionInfo.Version} — packet drops, layer by layer");
        output.WriteLine($"Interface:       {monitored}");
        foreach (string line in BondBanner.Lines(Options.SysRoot, Options.ProcRoot, _previous, Registry))
        {
            output.WriteLine(line);
        }

        output.WriteLine($"Interval:        {DurationTextForBanner(Options.Interval)}");
        output.WriteLine($"Log File:        {Options.CsvPath ?? "(off)"}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Alert Threshold: {Options.Threshold} drops/interval"));
        output.WriteLine(Options.Count > 0
            ? string.Create(CultureInfo.InvariantCulture, $"Stopping after {Options.Count} intervals")
            : "Press Ctrl+C to stop");
        _console.WriteText(output.ToString());
    }

    /// <summary>
    /// At stop: writes and fsyncs every queued CSV row (waiting up to <see cref="CsvSink.StopTimeout"/>, as a hung disk
    /// may never answer), then prints what the console still holds (up to <see cref="ConsoleSink.StopTimeout"/>).
    /// </summary>
    public void CompleteSinks()
    {
        if (_csv is not null && !_csv.Complete(CsvSink.StopTimeout))
        {
            _say(string.Create(CultureInfo.InvariantCulture, $"csv: {_csv.Path} did not answer within {CsvSink.StopTimeout.TotalSeconds:0} s; {_csv.RowsPending} rows may be missing"));
        }

        if (_detail is not null && !_detail.Complete(CsvSink.StopTimeout))
        {
            _say(string.Create(CultureInfo.InvariantCulture, $"csv: {_detail.Path} did not answer within {CsvSink.StopTimeout.TotalSeconds:0} s; {_detail.RowsPending} intervals of detail rows may be missing"));
        }

        _console.Complete(ConsoleSink.StopTimeout);
    }

    public void Dispose()
    {
        _detail?.Dispose();
        _csv?.Dispose();
        _console.Dispose();
        _sampler.Dispose();
    }

    private static string DurationTextForBanner(TimeSpan interval) =>
        string.Create(CultureInfo.InvariantCulture, $"{interval.TotalSeconds:0.###}s");

    private bool IsMonitored(int ifIndex) => _previous.Interfaces.Any(reading => reading.IfIndex == ifIndex && !reading.FoldsIntoMaster);

    // PERF: the label is rebuilt only when the set of monitored interfaces changes.
    private string Label(IntervalReport report)
    {
        bool same = report.Interfaces.Count == _labelSeries.Length;
        for (int i = 0; same && i < _labelSeries.Length; i++)
        {
            same = report.Interfaces[i].Series == _labelSeries[i];
        }

        if (!same)
        {
            _labelSeries = [.. report.Interfaces.Select(delta => delta.Series)];
            _label = string.Join('+', _labelSeries.Select(Registry.NameOf));
        }

        return _label;
    }

    // The configuration binder has checked every value's range; what is left is what only the machine can say.
    private static void Validate(MonitorOptions options)
    {
        if (options.Count < 0)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--count must be 0 (run until stopped) or more, got {options.Count}"));
        }

        if (options.CsvDetailPath is { } detail && options.CsvPath is { } csv && Path.GetFullPath(detail) == Path.GetFullPath(csv))
        {
            throw new UsageException($"the detail CSV '{detail}' (--csv-detail, csv.detail_path) must not be the CSV log itself; choose another path, e.g. {Path.ChangeExtension(csv, ".detail.log")}");
        }

        if (!File.Exists(KernelPaths.Netstat(options.ProcRoot)))
        {
            throw new UsageException($"proc root '{options.ProcRoot}' has no net/netstat: is it a procfs mount (e.g. /proc or /host/proc)?");
        }

        if (!Directory.Exists(KernelPaths.NetClass(options.SysRoot)))
        {
            throw new UsageException($"sys root '{options.SysRoot}' has no class/net: is it a sysfs mount (e.g. /sys or /host/sys)?");
        }
    }

    private static void CheckInterfacesExist(ILinkSource links, InterfaceSelector selector)
    {
        IReadOnlyList<string> present = links.ListInterfaces();
        foreach (string name in selector.ExactNames)
        {
            if (!present.Contains(name, StringComparer.Ordinal))
            {
                throw new UsageException($"interface '{name}' not found; this host has: {string.Join(", ", present)}");
            }
        }
    }

    private static DetailCsvSink OpenDetail(MonitorOptions options, Action<string> say, TimeProvider time)
    {
        var detail = new DetailCsvSink(options.CsvDetailPath!, options.CsvMaxSizeBytes, options.CsvMaxFiles, say, time);
        try
        {
            detail.Open();
            return detail;
        }
        catch (CsvLogException ex)
        {
            detail.Dispose();
            throw new UsageException(ex.Message, ex);
        }
    }

    private static CsvSink OpenCsv(MonitorOptions options, Action<string> say, TimeProvider time)
    {
        var csv = new CsvSink(options.CsvPath!, options.CsvMaxSizeBytes, options.CsvMaxFiles, say, time, new CsvSchema(options.Categories));
        try
        {
            csv.Open();
            return csv;
        }
        catch (CsvLogException ex)
        {
            csv.Dispose();
            throw new UsageException(ex.Message, ex);
        }
    }
}
