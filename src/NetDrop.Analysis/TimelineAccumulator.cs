using System.Runtime.CompilerServices;

namespace NetDrop.Analysis;

/// <summary>
/// Drops per category over time, for the HTML timeline. Starts at one-second buckets (every interval its own) and,
/// when a long noisy log would keep too many, merges them into the next coarser step, so memory stays bounded
/// whatever the log's length.
/// </summary>
internal sealed class TimelineAccumulator
{
    /// <summary>Bucket widths in seconds, each a multiple of the one before.</summary>
    public static readonly long[] Steps = [1, 5, 10, 30, 60, 300, 900, 1800, 3600, 10800, 21600, 43200, 86400];

    private const int MaxBuckets = 20_000;

    private readonly int _categoryCount;
    private Dictionary<long, long[]> _buckets = [];
    private int _step;
    private long _currentKey = long.MinValue;
    private long[]? _current;

    public TimelineAccumulator(int categoryCount)
    {
        _categoryCount = categoryCount;
    }

    public long BucketSeconds => Steps[_step];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(DropSample sample, ReadOnlySpan<int> present)
    {
        long key = sample.Timestamp.Seconds / BucketSeconds;
        if (key != _currentKey || _current is null)
        {
            if (!_buckets.TryGetValue(key, out _current))
            {
                if (_buckets.Count >= MaxBuckets && _step < Steps.Length - 1)
                {
                    Coarsen();
                    key = sample.Timestamp.Seconds / BucketSeconds;
                }

                if (!_buckets.TryGetValue(key, out _current))
                {
                    // Slot Count holds total_drops; the categories follow.
                    _current = new long[_categoryCount + 1];
                    _buckets.Add(key, _current);
                }
            }

            _currentKey = key;
        }

        _current[_categoryCount] += sample.TotalDrops;
        foreach (int id in present)
        {
            _current[id] += sample.Categories[id];
        }
    }

    public TimelineSeries ToSeries()
    {
        long width = BucketSeconds;
        var buckets = new List<TimelineBucket>(_buckets.Count);
        foreach (KeyValuePair<long, long[]> bucket in _buckets.OrderBy(b => b.Key))
        {
            buckets.Add(new TimelineBucket(new LocalTimestamp(bucket.Key * width), bucket.Value[_categoryCount], bucket.Value[.._categoryCount]));
        }

        return new TimelineSeries(width, buckets);
    }

    private void Coarsen()
    {
        while (_step < Steps.Length - 1)
        {
            long oldWidth = BucketSeconds;
            _step++;
            var merged = new Dictionary<long, long[]>();
            foreach (KeyValuePair<long, long[]> bucket in _buckets)
            {
                long key = bucket.Key * oldWidth / BucketSeconds;
                if (merged.TryGetValue(key, out long[]? into))
                {
                    for (int i = 0; i < into.Length; i++)
                    {
                        into[i] += bucket.Value[i];
                    }
                }
                else
                {
                    merged.Add(key, bucket.Value);
                }
            }

            _buckets = merged;
            if (_buckets.Count < MaxBuckets / 2)
            {
                break;
            }
        }

        _currentKey = long.MinValue;
        _current = null;
    }
}
