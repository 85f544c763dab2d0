using System.Runtime.CompilerServices;
using NetDrop.Model;

namespace NetDrop.Analysis;

/// <summary>
/// Follows one interface's rows and cuts them into drop episodes: an episode starts at an interval with drops and
/// ends at the next interval without, or when rows stop coming for longer than two intervals (the monitor was down,
/// so "consecutive" no longer holds).
/// </summary>
internal sealed class EpisodeTracker
{
    private readonly string _interface;
    private readonly DropCategoryTable _table;
    private readonly long[] _categorySums;
    private readonly bool[] _touched;
    private bool _open;
    private LocalTimestamp _start;
    private LocalTimestamp _end;
    private LocalTimestamp _peakAt;
    private long _peak;
    private long _total;
    private long _intervals;
    private LocalTimestamp? _previous;
    private long _smallestStepSeconds = long.MaxValue;
    private long _intervalSeconds;

    public EpisodeTracker(string interfaceName, DropCategoryTable table)
    {
        _interface = interfaceName;
        _table = table;
        _categorySums = new long[table.Count];
        _touched = new bool[table.Count];
    }

    /// <summary>Feeds one row; returns the episode this row closed, if any.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public DropEpisode? Add(DropSample sample, ReadOnlySpan<int> present)
    {
        LocalTimestamp now = sample.Timestamp;
        long step = _previous is { } previous ? now.Seconds - previous.Seconds : 0;
        _previous = now;
        if (step > 0 && step < _smallestStepSeconds)
        {
            _smallestStepSeconds = step;
        }

        _intervalSeconds = sample.IntervalMilliseconds > 0
            ? Math.Max(1, (sample.IntervalMilliseconds + 500) / 1000)
            : _smallestStepSeconds == long.MaxValue ? 0 : _smallestStepSeconds;

        DropEpisode? closed = null;
        bool continuous = _intervalSeconds == 0 || Math.Abs(step) <= (2 * _intervalSeconds) + 1;
        if (_open && (sample.TotalDrops <= 0 || !continuous))
        {
            closed = Close(ongoing: false);
        }

        if (sample.TotalDrops > 0)
        {
            if (!_open)
            {
                _open = true;
                _start = now;
                _peak = long.MinValue;
                _total = 0;
                _intervals = 0;
            }

            _end = now;
            _intervals++;
            _total += sample.TotalDrops;
            if (sample.TotalDrops > _peak)
            {
                _peak = sample.TotalDrops;
                _peakAt = now;
            }

            foreach (int id in sample.AnyCategory ? present : [])
            {
                if (sample.Categories[id] != 0)
                {
                    _categorySums[id] += sample.Categories[id];
                    _touched[id] = true;
                }
            }
        }

        return closed;
    }

    /// <summary>The episode still open when the log ends, if any.</summary>
    public DropEpisode? Finish() => _open ? Close(ongoing: true) : null;

    private DropEpisode Close(bool ongoing)
    {
        var amounts = new List<CategoryAmount>();
        for (int id = 0; id < _categorySums.Length; id++)
        {
            if (_touched[id])
            {
                if (_categorySums[id] != 0)
                {
                    amounts.Add(new CategoryAmount(_table[id], _categorySums[id]));
                }

                _categorySums[id] = 0;
                _touched[id] = false;
            }
        }

        CategoryAmounts.Sort(amounts);

        _open = false;
        long duration = _end.Seconds - _start.Seconds + _intervalSeconds;
        return new DropEpisode(_interface, _start, _end, duration, _intervals, _total, _peak, _peakAt, amounts, ongoing);
    }
}
