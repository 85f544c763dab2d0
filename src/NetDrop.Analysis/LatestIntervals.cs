using System.Runtime.CompilerServices;
using NetDrop.Model;

namespace NetDrop.Analysis;

/// <summary>
/// A ring of the last N rows (the seed's "last 20 intervals"). Slots are preallocated and overwritten in place, so
/// keeping the tail of a month-long log costs a copy per row and nothing more.
/// </summary>
internal sealed class LatestIntervals
{
    private readonly DropCategoryTable _table;
    private readonly Slot[] _slots;
    private long _count;

    public LatestIntervals(int limit, DropCategoryTable table)
    {
        _table = table;
        _slots = new Slot[limit];
        for (int i = 0; i < limit; i++)
        {
            _slots[i] = new Slot(table.Count);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(DropSample sample)
    {
        if (_slots.Length == 0)
        {
            return;
        }

        Slot slot = _slots[_count % _slots.Length];
        slot.Timestamp = sample.Timestamp;
        slot.InterfaceId = sample.InterfaceId;
        slot.TotalDrops = sample.TotalDrops;
        slot.Severity = sample.Severity;
        slot.FileIndex = sample.FileIndex;
        slot.Line = sample.Line;
        if (sample.AnyCategory || slot.AnyCategory)
        {
            sample.Categories.CopyTo(slot.Categories, 0);
        }

        slot.AnyCategory = sample.AnyCategory;
        _count++;
    }

    /// <summary>Oldest first. <paramref name="present"/> gives, per file, the categories it has columns for.</summary>
    public IReadOnlyList<IntervalRecord> ToList(InterfaceTable interfaces, IReadOnlyList<string> files, IReadOnlyList<int[]> present)
    {
        int kept = (int)Math.Min(_count, _slots.Length);
        var records = new List<IntervalRecord>(kept);
        for (long i = _count - kept; i < _count; i++)
        {
            Slot slot = _slots[i % _slots.Length];
            records.Add(new IntervalRecord(
                slot.Timestamp,
                interfaces.NameOf(slot.InterfaceId),
                slot.TotalDrops,
                slot.Severity,
                CategoryAmounts.NonZero(_table, slot.Categories, present[slot.FileIndex]),
                files[slot.FileIndex],
                slot.Line));
        }

        return records;
    }

    private sealed class Slot
    {
        public Slot(int categoryCount)
        {
            Categories = new long[categoryCount];
        }

        public LocalTimestamp Timestamp { get; set; }

        public int InterfaceId { get; set; }

        public long TotalDrops { get; set; }

        public IntervalSeverity Severity { get; set; }

        public int FileIndex { get; set; }

        public long Line { get; set; }

        public long[] Categories { get; }

        public bool AnyCategory { get; set; }
    }
}
