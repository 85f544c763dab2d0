using System.Globalization;
using NetDrop.Console;
using NetDrop.Csv;
using NetDrop.Kernel;
using NetDrop.Kernel.Procfs;
using NetDrop.Sampling;

namespace NetDrop.Monitoring;

/// <summary>
/// The monitor: a baseline sample, then one sample per interval turned into a report for the console and the CSV,
/// until <see cref="MonitorOptions.Count"/> intervals were reported or it is stopped.
/// </summary>
internal sealed class MonitorRunner
{
    private readonly MonitorOptions _options;
    private readonly TextWriter _out;
    private readonly TextWriter _error;
    private readonly TimeProvider _time;
    private int[] _labelSeries = [];
    private string _label = "";

    public MonitorRunner(MonitorOptions options, TextWriter output, TextWriter error, TimeProvider? time = null)
    {
        _options = options;
        _out = output;
        _error = error;
        _time = time ?? TimeProvider.System;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        Validate(_options);
        var registry = new InterfaceRegistry();
        var selector = new InterfaceSelector(
            _options.Interfaces.Count > 0 ? _options.Interfaces : ["*"],
            _options.Interfaces.Count > 0 ? _options.Exclude : [.. _options.Exclude, "lo"]);
        var health = new SourceHealth(message => _error.WriteLine("netdrop: " + message));
        using Sampler sampler = SourceFactory.CreateSampler(_options, selector, registry, health, _time);
        CheckInterfacesExist(sampler.Links, selector);

        var engine = new DeltaEngine(registry, new SeverityPolicy(_options.Threshold, _options.CategoryThresholds));
        var previous = new Sample();
        var current = new Sample();
        var report = new IntervalReport();
        sampler.Take(previous);

        using CsvSink? csv = _options.CsvPath is null ? null : OpenCsv(_options.CsvPath);
        bool color = ConsoleSink.ShouldColor(_options.Color, !System.Console.IsOutputRedirected && ReferenceEquals(_out, System.Console.Out));
        var console = new ConsoleSink(_out, color, registry);
        WriteBanner(sampler.Links, selector, previous, registry);

        using var timer = new PeriodicTimer(_options.Interval, _time);
        int iteration = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                sampler.Take(current);
                TimeSpan elapsed = _time.GetElapsedTime(previous.Timestamp, current.Timestamp);
                engine.Compute(previous, current, report, elapsed);
                report.Iteration = ++iteration;
                report.Timestamp = _time.GetLocalNow();
                report.InterfaceLabel = Label(report, registry);
                csv?.Write(report);
                console.Write(report);
                (previous, current) = (current, previous);
                if (_options.Count > 0 && iteration >= _options.Count)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM: every completed interval is already in the CSV.
        }

        return ExitCodes.Ok;
    }

    private static void Validate(MonitorOptions options)
    {
        double seconds = options.Interval.TotalSeconds;
        if (!(seconds >= MonitorOptions.MinimumIntervalSeconds && seconds <= MonitorOptions.MaximumIntervalSeconds))
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"interval must be between {MonitorOptions.MinimumIntervalSeconds} and {MonitorOptions.MaximumIntervalSeconds} seconds, got {seconds}"));
        }

        if (options.Threshold < 1)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"threshold must be at least 1, got {options.Threshold}"));
        }

        if (options.Count < 0)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"count must be 0 (run until stopped) or more, got {options.Count}"));
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

    private static CsvSink OpenCsv(string path)
    {
        var csv = new CsvSink(path);
        try
        {
            csv.Open();
            return csv;
        }
        catch (KernelSourceException ex)
        {
            csv.Dispose();
            throw new UsageException($"cannot write the CSV log '{path}': {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(ex.Errno)}", ex);
        }
    }

    // PERF: the label is rebuilt only when the set of monitored interfaces changes.
    private string Label(IntervalReport report, InterfaceRegistry registry)
    {
        bool same = report.Interfaces.Count == _labelSeries.Length;
        for (int i = 0; same && i < _labelSeries.Length; i++)
        {
            same = report.Interfaces[i].Series == _labelSeries[i];
        }

        if (!same)
        {
            _labelSeries = [.. report.Interfaces.Select(delta => delta.Series)];
            _label = string.Join('+', _labelSeries.Select(registry.NameOf));
        }

        return _label;
    }

    private void WriteBanner(ILinkSource links, InterfaceSelector selector, Sample baseline, InterfaceRegistry registry)
    {
        string monitored = baseline.Interfaces.Count > 0
            ? string.Join(' ', baseline.Interfaces.Select(reading => registry.NameOf(reading.Series)))
            : "(none yet: " + string.Join(' ', selector.Include) + ")";
        _out.WriteLine($"NetDrop {VersionInfo.Version} — packet drops, layer by layer");
        _out.WriteLine($"Interface:       {monitored}");
        foreach (string line in BondBanner.Lines(_options.SysRoot, _options.ProcRoot, baseline, registry))
        {
            _out.WriteLine(line);
        }

        _out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Interval:        {_options.Interval.TotalSeconds:0.###}s"));
        _out.WriteLine($"Log File:        {_options.CsvPath ?? "(off)"}");
        _out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Alert Threshold: {_options.Threshold} drops/interval"));
        _out.WriteLine(_options.Count > 0
            ? string.Create(CultureInfo.InvariantCulture, $"Stopping after {_options.Count} intervals")
            : "Press Ctrl+C to stop");
        _out.Flush();
    }
}
