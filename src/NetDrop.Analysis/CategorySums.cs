using System.Globalization;
using System.Runtime.CompilerServices;
using NetDrop.Model;

namespace NetDrop.Analysis;

/// <summary>
/// Per-category sums over the kept rows, indexed by <see cref="DropCategory.Id"/> of the table the inputs were read
/// with: the total, the intervals with any, the intervals the monitor could not read it, and whether any input has
/// its column at all (a category no file has is left out of the report, not shown as 0).
/// </summary>
internal sealed class CategorySums
{
    private readonly DropCategoryTable _table;
    private readonly long[] _totals;
    private readonly long[] _intervalsWithAny;
    private readonly long[] _unavailable;
    private readonly bool[] _present;

    public CategorySums(DropCategoryTable table)
    {
        _table = table;
        _totals = new long[table.Count];
        _intervalsWithAny = new long[table.Count];
        _unavailable = new long[table.Count];
        _present = new bool[table.Count];
    }

    public void MarkPresent(ReadOnlySpan<int> ids)
    {
        foreach (int id in ids)
        {
            _present[id] = true;
        }
    }

    /// <summary>Adds one row's cells; true when any of them is not zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Add(DropSample sample, int[] present)
    {
        bool any = false;
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
                    any = true;
                }
            }
        }

        ulong unavailable = sample.UnavailableMask;
        while (unavailable != 0)
        {
            _unavailable[System.Numerics.BitOperations.TrailingZeroCount(unavailable)]++;
            unavailable &= unavailable - 1;
        }

        return any;
    }

    public long TotalOf(string column) => _table.Find(column) is { } category ? _totals[category.Id] : 0;

    /// <summary>The categories some input has a column for, in table order, and the sum of the drop (not pressure) ones.</summary>
    public List<CategoryTotal> ToTotals(out long dropCategorySum)
    {
        var categories = new List<CategoryTotal>();
        dropCategorySum = 0;
        for (int id = 0; id < _table.Count; id++)
        {
            if (_present[id])
            {
                categories.Add(new CategoryTotal(_table[id], _totals[id], _intervalsWithAny[id], _unavailable[id]));
                if (_table[id].IsDrop)
                {
                    dropCategorySum += _totals[id];
                }
            }
        }

        return categories;
    }

    public void AddUnavailableNotes(List<string> notes, long intervals)
    {
        for (int id = 0; id < _table.Count; id++)
        {
            if (_unavailable[id] > 0)
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"{_table[id].Column} could not be read by the monitor in {_unavailable[id]:N0} of {intervals:N0} intervals; its zeros there mean unknown."));
            }
        }
    }
}
