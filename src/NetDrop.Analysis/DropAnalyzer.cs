using System.Globalization;
using System.Runtime.CompilerServices;
using NetDrop.Model;

namespace NetDrop.Analysis;

/// <summary>
/// Streams rows from any number of NetDrop/seed CSV files and folds them into a <see cref="DropReport"/>: one pass,
/// memory bounded by the report's size (top N, last N, episodes kept, timeline buckets), not by the log's length.
/// </summary>
internal sealed class DropAnalyzer
{
    private const int MaxGapsKept = 200;

    private readonly AnalysisOptions _options;
    private readonly InterfaceTable _interfaces;
    private readonly long[] _totals = new long[DropCategories.Table.Count];
    private readonly long[] _intervalsWithAny = new long[DropCategories.Table.Count];
    private readonly long[] _unavailable = new long[DropCategories.Table.Count];
    private readonly bool[] _categoryPresent = new bool[DropCategories.Table.Count];
    private readonly long[] _byHour = new long[24];
    private readonly long[] _severity = new long[4];
    private readonly TopIntervals _top;
    private readonly LatestIntervals _latest;
    private readonly TimelineAccumulator _timeline = new();
    private readonly HeatmapAccumulator _heatmap = new();
    private readonly PriorityQueue<DropEpisode, (long Total, long NegatedStart)> _worstEpisodes;
    private readonly List<EpisodeTracker?> _trackers = [];
    private readonly List<InterfaceCounters?> _perInterface = [];
    private readonly List<bool?> _interfaceKept = [];
    private readonly List<string> _fileNames = [];
    private readonly List<int[]> _presentByFile = [];
    private readonly List<(LocalTimestamp First, LocalTimestamp Last)?> _fileSpans = [];
    private long _intervals;
    private long _intervalsWithDrops;
    private long _totalDrops;
    private long _leftOut;
    private long _negativeRows;
    private long _backwardSteps;
    private long _episodeCount;
    private readonly List<MonitoringGap> _gaps = [];
    private long _gapCount;
    private long _smallestStep = long.MaxValue;
    private DropEpisode? _longestEpisode;
    private LocalTimestamp? _first;
    private LocalTimestamp? _lastSeen;

    public DropAnalyzer(AnalysisOptions options, InterfaceTable interfaces)
    {
        _options = options;
        _interfaces = interfaces;
        _top = new TopIntervals(options.Top);
        _latest = new LatestIntervals(options.Last);
        _worstEpisodes = new PriorityQueue<DropEpisode, (long, long)>(options.Top + 1);
    }

    /// <summary>Reads every file in <paramref name="options"/> and returns the report.</summary>
    /// <exception cref="AnalyzeInputException">A file is missing or is not a NetDrop/seed CSV.</exception>
    public static DropReport Analyze(AnalysisOptions options, CancellationToken cancellationToken = default)
    {
        var interfaces = new InterfaceTable();
        var malformed = new MalformedLineLog();
        var readers = new List<CsvSampleReader>();
        var notes = new List<string>();
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

                readers.Add(CsvSampleReader.Open(path, readers.Count, interfaces, malformed));
            }

            var analyzer = new DropAnalyzer(options, interfaces);
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

            return analyzer.BuildReport(readers, malformed, notes);
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
        if (reader.Map is { } map)
        {
            foreach (int id in map.PresentCategoryIds)
            {
                _categoryPresent[id] = true;
            }
        }
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
        if (_lastSeen is { } previous && timestamp < previous)
        {
            _backwardSteps++;
        }

        if (_lastSeen is { } before)
        {
            NoteGap(before, timestamp, sample.IntervalMilliseconds);
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

        bool anyCategory = false;
        if (sample.AnyCategory)
        {
            long[] categories = sample.Categories;
            foreach (int id in present)
            {
                long value = categories[id];
                if (value != 0)
                {
                    _totals[id] += value;
                    _intervalsWithAny[id]++;
                    anyCategory = true;
                }
            }
        }

        if (sample.UnavailableMask != 0)
        {
            for (int id = 0; id < DropCategories.Table.Count; id++)
            {
                if ((sample.UnavailableMask & (1u << id)) != 0)
                {
                    _unavailable[id]++;
                }
            }
        }

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
            KeepEpisode(episode);
        }
    }

    /// <summary>
    /// Remembers a silence of more than three intervals (at least 15 s) between consecutive rows. The interval is the
    /// row's <c>interval_s</c>, or for seed files the smallest step between rows seen so far.
    /// </summary>
    private void NoteGap(LocalTimestamp before, LocalTimestamp now, long intervalMilliseconds)
    {
        long step = now.Seconds - before.Seconds;
        if (step <= 0)
        {
            return;
        }

        if (step < _smallestStep)
        {
            _smallestStep = step;
        }

        long interval = intervalMilliseconds > 0 ? (intervalMilliseconds + 999) / 1000 : _smallestStep;
        if (step > Math.Max(15, 3 * interval))
        {
            _gapCount++;
            if (_gaps.Count < MaxGapsKept)
            {
                _gaps.Add(new MonitoringGap(before, now));
            }
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

        if (filter.Interfaces.Count == 0)
        {
            return true;
        }

        int id = sample.InterfaceId;
        while (_interfaceKept.Count <= id)
        {
            _interfaceKept.Add(null);
        }

        return _interfaceKept[id] ??= InterfaceMatches(_interfaces.NameOf(id), filter.Interfaces);
    }

    /// <summary>
    /// <c>--interface eth0</c> keeps rows of <c>eth0</c> and rows where eth0 was summed with others (<c>eth0+eth1</c>):
    /// those rows hold eth0's drops too, and dropping them would hide them.
    /// </summary>
    internal static bool InterfaceMatches(string cell, IReadOnlyList<string> wanted)
    {
        foreach (string name in wanted)
        {
            if (cell == name)
            {
                return true;
            }

            foreach (string member in cell.Split('+'))
            {
                if (member == name)
                {
                    return true;
                }
            }
        }

        return false;
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

        return _trackers[id] ??= new EpisodeTracker(_interfaces.NameOf(id));
    }

    private IntervalRecord RecordOf(DropSample sample, int[] present) =>
        new(sample.Timestamp, _interfaces.NameOf(sample.InterfaceId), sample.TotalDrops, sample.Severity,
            CategoryAmounts.NonZero(sample.Categories, present), _fileNames[sample.FileIndex], sample.Line);

    private void KeepEpisode(DropEpisode episode)
    {
        _episodeCount++;
        if (_longestEpisode is null || episode.DurationSeconds > _longestEpisode.DurationSeconds)
        {
            _longestEpisode = episode;
        }

        if (_options.Top == 0)
        {
            return;
        }

        _worstEpisodes.Enqueue(episode, (episode.TotalDrops, -episode.Start.Seconds));
        if (_worstEpisodes.Count > _options.Top)
        {
            _worstEpisodes.Dequeue();
        }
    }

    private DropReport BuildReport(List<CsvSampleReader> readers, MalformedLineLog malformed, List<string> notes)
    {
        foreach (EpisodeTracker? tracker in _trackers)
        {
            if (tracker?.Finish() is { } episode)
            {
                KeepEpisode(episode);
            }
        }

        var files = new List<InputFileSummary>();
        foreach (CsvSampleReader reader in readers)
        {
            (LocalTimestamp First, LocalTimestamp Last)? span = _fileSpans[reader.FileIndex];
            files.Add(new InputFileSummary(reader.Path, reader.Map?.Layout, reader.Compressed, reader.Rows, span?.First, span?.Last));
        }

        var categories = new List<CategoryTotal>();
        long dropCategorySum = 0;
        for (int id = 0; id < DropCategories.Table.Count; id++)
        {
            if (_categoryPresent[id])
            {
                categories.Add(new CategoryTotal(DropCategories.Table[id], _totals[id], _intervalsWithAny[id], _unavailable[id]));
                if (DropCategories.Table[id].IsDrop)
                {
                    dropCategorySum += _totals[id];
                }
            }
        }

        var interfaces = new List<InterfaceSummary>();
        for (int id = 0; id < _perInterface.Count; id++)
        {
            if (_perInterface[id] is { } counters)
            {
                interfaces.Add(new InterfaceSummary(_interfaces.NameOf(id), counters.Intervals, counters.IntervalsWithDrops, counters.TotalDrops));
            }
        }

        List<DropEpisode> worstEpisodes = [.. _worstEpisodes.UnorderedItems.Select(item => item.Element)
            .OrderByDescending(e => e.TotalDrops).ThenBy(e => e.Start.Seconds).ThenBy(e => e.Interface, StringComparer.Ordinal)];

        AddDataNotes(notes, readers, dropCategorySum);

        return new DropReport(
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
            new EpisodeSummary(_episodeCount, worstEpisodes, _longestEpisode),
            new GapSummary(_gapCount, _gaps),
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

    private void AddDataNotes(List<string> notes, List<CsvSampleReader> readers, long dropCategorySum)
    {
        CultureInfo invariant = CultureInfo.InvariantCulture;
        if (readers.Count > 0 && readers.All(r => r.IsEmptyFile || r.Rows == 0))
        {
            notes.Add(readers.All(r => r.IsEmptyFile)
                ? "The log is empty: no header and no intervals."
                : "The log holds no intervals: only a header line.");
        }

        bool seedTotals = readers.Any(r => r.Map?.Layout is CsvInputLayout.SeedHeader or CsvInputLayout.HeaderlessSeed);
        if (_totalDrops != dropCategorySum && _intervals > 0)
        {
            long collapsed = _totals[DropCategories.TcpCollapsed.Id];
            notes.Add(seedTotals && collapsed != 0
                ? string.Create(invariant, $"total_drops is the sum of the file's total_drops column ({_totalDrops:N0}), as awk gives it. In seed files that column also counted tcp_collapsed, which is pressure, not a drop: without it the drops are {dropCategorySum:N0}.")
                : string.Create(invariant, $"total_drops is the sum of the file's total_drops column ({_totalDrops:N0}); the drop category columns add up to {dropCategorySum:N0}."));
        }

        if (_negativeRows > 0)
        {
            notes.Add(string.Create(invariant, $"{_negativeRows:N0} {(_negativeRows == 1 ? "interval holds" : "intervals hold")} negative numbers (the seed's deltas went negative when a counter was reset); they are summed as written, as awk does."));
        }

        if (_backwardSteps > 0)
        {
            notes.Add(string.Create(invariant, $"Time went backwards {_backwardSteps:N0} times between consecutive rows (a clock change or daylight-saving time); rows were kept in file order."));
        }

        if (_gapCount > 0)
        {
            long seconds = _gaps.Sum(g => g.Seconds);
            MonitoringGap longest = _gaps.MaxBy(g => g.Seconds)!;
            string shown = _gapCount > _gaps.Count ? $" (the first {_gaps.Count} add up to {ReportFormatting.Duration(seconds)})" : $", {ReportFormatting.Duration(seconds)} in all";
            notes.Add(string.Create(invariant, $"The log has {_gapCount:N0} {(_gapCount == 1 ? "gap" : "gaps")} with no rows{shown}; the longest from {longest.After} to {longest.Before} ({ReportFormatting.Duration(longest.Seconds)}). No data there is not the same as no drops."));
        }

        if (_leftOut > 0)
        {
            notes.Add(string.Create(invariant, $"{_leftOut:N0} {(_leftOut == 1 ? "interval" : "intervals")} outside the requested time range or interfaces {(_leftOut == 1 ? "was" : "were")} left out."));
        }

        for (int id = 0; id < DropCategories.Table.Count; id++)
        {
            if (_unavailable[id] > 0)
            {
                notes.Add(string.Create(invariant, $"{DropCategories.Table[id].Column} could not be read by the monitor in {_unavailable[id]:N0} of {_intervals:N0} intervals; its zeros there mean unknown."));
            }
        }
    }

    private sealed class InterfaceCounters
    {
        public long Intervals { get; set; }

        public long IntervalsWithDrops { get; set; }

        public long TotalDrops { get; set; }
    }
}
