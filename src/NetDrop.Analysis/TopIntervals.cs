using System.Runtime.CompilerServices;

namespace NetDrop.Analysis;

/// <summary>
/// The N worst intervals seen so far, by <c>total_drops</c>. A bounded min-heap: the cost per row is one comparison
/// with the smallest kept, and a record is built only for a row that gets in.
/// </summary>
internal sealed class TopIntervals
{
    private readonly int _limit;
    private readonly PriorityQueue<IntervalRecord, (long Total, long NegatedTime)> _heap;

    public TopIntervals(int limit)
    {
        _limit = limit;
        _heap = new PriorityQueue<IntervalRecord, (long, long)>(limit + 1);
    }

    /// <summary>Whether a row with this many drops would be kept; ask before building its record.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Accepts(long totalDrops)
    {
        if (_limit == 0 || totalDrops <= 0)
        {
            return false;
        }

        // Rows come in time order, so a tie with the smallest kept is later and loses: earlier intervals rank first.
        return _heap.Count < _limit || (_heap.TryPeek(out _, out var smallest) && totalDrops > smallest.Total);
    }

    public void Add(IntervalRecord record)
    {
        _heap.Enqueue(record, (record.TotalDrops, -record.Timestamp.Seconds));
        if (_heap.Count > _limit)
        {
            _heap.Dequeue();
        }
    }

    /// <summary>Worst first; equal drops by time, then interface.</summary>
    public IReadOnlyList<IntervalRecord> ToList() =>
        [.. _heap.UnorderedItems.Select(item => item.Element)
            .OrderByDescending(r => r.TotalDrops)
            .ThenBy(r => r.Timestamp.Seconds)
            .ThenBy(r => r.Interface, StringComparer.Ordinal)];
}
