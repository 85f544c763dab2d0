using System.Runtime.CompilerServices;

namespace NetDrop.Analysis;

/// <summary>Drops and recorded intervals per calendar day and hour of day, for the day×hour heatmap.</summary>
internal sealed class HeatmapAccumulator
{
    public const int MaxContiguousDays = 400;

    private readonly Dictionary<long, Day> _days = [];
    private long _currentDay = long.MinValue;
    private Day? _current;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(LocalTimestamp timestamp, long totalDrops)
    {
        long day = timestamp.Day;
        if (day != _currentDay || _current is null)
        {
            if (!_days.TryGetValue(day, out _current))
            {
                _current = new Day();
                _days.Add(day, _current);
            }

            _currentDay = day;
        }

        int hour = timestamp.Hour;
        _current.Drops[hour] += totalDrops;
        _current.Intervals[hour]++;
        if (totalDrops > 0)
        {
            _current.IntervalsWithDrops[hour]++;
        }
    }

    /// <summary>
    /// Every calendar day from the first to the last, days without rows included so gaps show; only the days with
    /// rows when they span more than <see cref="MaxContiguousDays"/> (a stray timestamp must not make a million rows).
    /// </summary>
    public IReadOnlyList<HeatmapDay> ToDays()
    {
        if (_days.Count == 0)
        {
            return [];
        }

        long first = _days.Keys.Min();
        long last = _days.Keys.Max();
        IEnumerable<long> range = last - first < MaxContiguousDays
            ? Enumerable.Range(0, (int)(last - first + 1)).Select(offset => first + offset)
            : _days.Keys.Order();
        var days = new List<HeatmapDay>();
        foreach (long day in range)
        {
            Day value = _days.TryGetValue(day, out Day? found) ? found : new Day();
            days.Add(new HeatmapDay(LocalTimestamp.FromDay(day), value.Drops, value.Intervals, value.IntervalsWithDrops));
        }

        return days;
    }

    private sealed class Day
    {
        public long[] Drops { get; } = new long[24];

        public int[] Intervals { get; } = new int[24];

        public int[] IntervalsWithDrops { get; } = new int[24];
    }
}
