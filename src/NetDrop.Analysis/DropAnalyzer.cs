using System.Runtime.CompilerServices;
using NetDrop.Model;

namespace NetDrop.Analysis;

/// <summary>
/// Streams rows from any number of NetDrop/seed CSV files and folds them into a <see cref="DropReport"/>: one pass,
/// memory bounded by the report's size (top N, last N, episodes kept, timeline buckets), not by the log's length.
/// The files are read with the category table given to <see cref="Analyze"/>, the one place analysis learns it:
/// every column, sum, note and chart below comes from that table's rows.
/// </summary>
internal sealed class DropAnalyzer
{
    private readonly AnalysisOptions _options;
    private readonly DropCategoryTable _table;
    private readonly InterfaceTable _interfaces;
    private readonly InterfaceFilter _interfaceFilter;
    private readonly CategorySums _categories;
    private readonly long[] _byHour = new long[24];
    private readonly long[] _severity = new long[4];
    private readonly TopIntervals _top;
    private readonly LatestIntervals _latest;
    private readonly TimelineAccumulator _timeline;
    private readonly HeatmapAccumulator _heatmap = new();
    private readonly EpisodeRanking _episodes;
    private readonly GapTracker _gaps = new();
    private readonly List<EpisodeTracker?> _trackers = [];
    private readonly List<InterfaceCounters?> _perInterface = [];
    private readonly List<string> _fileNames = [];
    private readonly List<int[]> _presentByFile = [];
    private readonly List<(LocalTimestamp First, LocalTimestamp Last)?> _fileSpans = [];
    private long _intervals;
    private long _intervalsWithDrops;
    private long _totalDrops;
    private long _leftOut;
    private long _negativeRows;
    private long _backwardSteps;
    private LocalTimestamp? _first;
    private LocalTimestamp? _lastSeen;

    public DropAnalyzer(AnalysisOptions options, DropCategoryTable table, InterfaceTable interfaces)
    {
        _options = options;
        _table = table;
        _interfaces = interfaces;
        _interfaceFilter = new InterfaceFilter(options.Filter.Interfaces, interfaces);
        _categories = new CategorySums(table);
        _top = new TopIntervals(options.Top);
        _latest = new LatestIntervals(options.Last, table);
        _timeline = new TimelineAccumulator(table.Count);
        _episodes = new EpisodeRanking(options.Top);
    }

    /// <summary>Reads every file in <paramref name="options"/> by the columns of <paramref name="table"/> and returns the report.</summary>
    /// <exception cref="AnalyzeInputException">A file is missing or is not a NetDrop/seed CSV.</exception>
    public static DropReport Analyze(DropCategoryTable table, AnalysisOptions options, CancellationToken cancellationToken = default)
    {
        var schema = new CsvSchema(table);
        var interfaces = new InterfaceTable();
        var malformed = new MalformedLineLog();
        var readers = new List<CsvSampleReader>();
        var notes = new List<string>();
        DetailAccumulator? detail = null;
        try
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (string path in options.Files)
            {
                if (path != "-" && !seen.Add(Path.GetFullPath(path)))
                {
                    notes.Add($"{path} was given more than once; it was read once.");
                    continue;
                }

                // A detail CSV (recognised by its header) is summed per scope beside the seed CSVs' report.
                if (DetailCsvReader.IsDetailFile(path))
                {
                    DetailCsvReader.Read(path, options.Filter, detail ??= new DetailAccumulator(), malformed);
                    continue;
                }

                readers.Add(CsvSampleReader.Open(path, readers.Count, schema, interfaces, malformed));
            }

            var analyzer = new DropAnalyzer(options, table, interfaces);
            foreach (CsvSampleReader reader in readers)
            {
                analyzer.RegisterFile(reader);
            }

            var merger = new SampleMerger(readers);
            long rows = 0;
            while (merger.Next() is { } reader)
            {
                analyzer.Add(reader.Current, reader.Map!.PresentCategoryIds);
                if ((++rows & 0xFFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }

            foreach (CsvSampleReader reader in readers)
            {
                notes.AddRange(reader.Notes);
            }

            DropReport report = analyzer.BuildReport(readers, malformed, notes);
            return detail is null ? report : report with { Detail = detail.ToSummary(options.Top) };
        }
        finally
        {
            foreach (CsvSampleReader reader in readers)
            {
                reader.Dispose();
            }
        }
    }

    private void RegisterFile(CsvSampleReader reader)
    {
        _fileNames.Add(reader.Path);
        _presentByFile.Add(reader.Map?.PresentCategoryIds ?? []);
        _fileSpans.Add(null);
        _categories.MarkPresent(reader.Map?.PresentCategoryIds ?? []);
    }

    /// <summary>Folds one row in. <paramref name="present"/>: the categories its file has columns for.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(DropSample sample, int[] present)
    {
        LocalTimestamp timestamp = sample.Timestamp;
        (LocalTimestamp First, LocalTimestamp Last)? span = _fileSpans[sample.FileIndex];
        _fileSpans[sample.FileIndex] = span is { } known ? (known.First, timestamp) : (timestamp, timestamp);

        if (!Keeps(sample))
        {
            _leftOut++;
            return;
        }

        _intervals++;
        _first ??= timestamp;
        if (_lastSeen is { } previous)
        {
            if (timestamp < previous)
            {
                _backwardSteps++;
            }

            _gaps.Note(previous, timestamp, sample.IntervalMilliseconds);
        }

        _lastSeen = timestamp;
        long total = sample.TotalDrops;
        _totalDrops += total;
        if (total > 0)
        {
            _intervalsWithDrops++;
        }

        _byHour[timestamp.Hour] += total;
        _severity[(int)sample.Severity]++;
        if (sample.NegativeCells > 0)
        {
            _negativeRows++;
        }

        bool anyCategory = _categories.Add(sample, present);
        InterfaceCounters counters = CountersOf(sample.InterfaceId);
        counters.Intervals++;
        counters.TotalDrops += total;
        if (total > 0)
        {
            counters.IntervalsWithDrops++;
        }

        _heatmap.Add(timestamp, total);
        if (total != 0 || anyCategory)
        {
            _timeline.Add(sample, present);
        }

        if (_top.Accepts(total))
        {
            _top.Add(RecordOf(sample, present));
        }

        _latest.Add(sample);
        if (TrackerOf(sample.InterfaceId).Add(sample, present) is { } episode)
        {
            _episodes.Add(episode);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Keeps(DropSample sample)
    {
        ReportFilter filter = _options.Filter;
        if (filter.Since is { } since && sample.Timestamp < since)
        {
            return false;
        }

        if (filter.Until is { } until && sample.Timestamp > until)
        {
            return false;
        }

        return _interfaceFilter.Keeps(sample.InterfaceId);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private InterfaceCounters CountersOf(int id)
    {
        while (_perInterface.Count <= id)
        {
            _perInterface.Add(null);
        }

        return _perInterface[id] ??= new InterfaceCounters();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private EpisodeTracker TrackerOf(int id)
    {
        while (_trackers.Count <= id)
        {
            _trackers.Add(null);
        }

        return _trackers[id] ??= new EpisodeTracker(_interfaces.NameOf(id), _table);
    }

    private IntervalRecord RecordOf(DropSample sample, int[] present) =>
        new(sample.Timestamp, _interfaces.NameOf(sample.InterfaceId), sample.TotalDrops, sample.Severity,
            CategoryAmounts.NonZero(_table, sample.Categories, present), _fileNames[sample.FileIndex], sample.Line);

    private DropReport BuildReport(List<CsvSampleReader> readers, MalformedLineLog malformed, List<string> notes)
    {
        foreach (EpisodeTracker? tracker in _trackers)
        {
            if (tracker?.Finish() is { } episode)
            {
                _episodes.Add(episode);
            }
        }

        var files = new List<InputFileSummary>();
        foreach (CsvSampleReader reader in readers)
        {
            (LocalTimestamp First, LocalTimestamp Last)? span = _fileSpans[reader.FileIndex];
            files.Add(new InputFileSummary(reader.Path, reader.Map?.Layout, reader.Compressed, reader.Rows, span?.First, span?.Last));
        }

        List<CategoryTotal> categories = _categories.ToTotals(out long dropCategorySum);
        var interfaces = new List<InterfaceSummary>();
        for (int id = 0; id < _perInterface.Count; id++)
        {
            if (_perInterface[id] is { } counters)
            {
                interfaces.Add(new InterfaceSummary(_interfaces.NameOf(id), counters.Intervals, counters.IntervalsWithDrops, counters.TotalDrops));
            }
        }

        var figures = new DropReportFigures(_intervals, _totalDrops, dropCategorySum, _negativeRows, _backwardSteps, _leftOut);
        DataNotes.Add(notes, readers, figures, _categories, _gaps);

        return new DropReport(
            _table,
            files,
            _options.Filter,
            _intervals,
            _intervalsWithDrops,
            _totalDrops,
            dropCategorySum,
            categories,
            new SeverityCounts(_severity[(int)IntervalSeverity.Ok], _severity[(int)IntervalSeverity.Warn], _severity[(int)IntervalSeverity.Crit], _severity[(int)IntervalSeverity.Other]),
            _byHour,
            _top.ToList(),
            _latest.ToList(_interfaces, _fileNames, _presentByFile),
            _episodes.ToSummary(),
            _gaps.ToSummary(),
            interfaces,
            _timeline.ToSeries(),
            _heatmap.ToDays(),
            _first,
            _lastSeen,
            _leftOut,
            malformed.Count,
            malformed.Examples,
            notes,
            _options.Top,
            _options.Last);
    }
}
