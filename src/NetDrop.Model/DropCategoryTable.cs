using System.Collections;

namespace NetDrop.Model;

/// <summary>
/// The categories in CSV order (<see cref="DropCategories.Table"/> is the product's; a test may append a row). The
/// seed's eleven come first, then the rest; a row's <see cref="DropCategory.Id"/> is its position, so existing
/// columns never move and new ones are appended.
/// </summary>
internal sealed class DropCategoryTable : IReadOnlyList<DropCategory>
{
    /// <summary>The seed's eleven, which stand between <c>total_drops</c> and <c>severity</c> in the CSV.</summary>
    public const int SeedCount = 11;

    /// <summary>Interface categories are held per interface in a fixed-size inline array (no allocation per sample).</summary>
    public const int MaxInterfaceCategories = 16;

    /// <summary>The unavailable mask of a report is one bit per category.</summary>
    public const int MaxCategories = 64;

    private readonly DropCategory[] _rows;
    private readonly int[] _interfaceSlots;

    public DropCategoryTable(params DropCategory[] rows)
    {
        if (rows.Length < SeedCount || rows.Length > MaxCategories)
        {
            throw new ArgumentException($"a category table holds the seed's {SeedCount} and at most {MaxCategories} rows, not {rows.Length}", nameof(rows));
        }

        _rows = rows;
        _interfaceSlots = new int[rows.Length];
        var columns = new HashSet<string>(StringComparer.Ordinal);
        for (int id = 0; id < rows.Length; id++)
        {
            DropCategory row = rows[id];
            if (row.Id != id || !columns.Add(row.Column))
            {
                throw new ArgumentException($"category {row.Column} must have id {id} and a column name of its own", nameof(rows));
            }

            _interfaceSlots[id] = row.Scope == CategoryScope.Interface ? InterfaceCategoryCount++ : -1;
        }

        if (InterfaceCategoryCount > MaxInterfaceCategories)
        {
            throw new ArgumentException($"at most {MaxInterfaceCategories} interface categories fit InterfaceValues", nameof(rows));
        }
    }

    public int Count => _rows.Length;

    /// <summary>How many rows have interface scope: the length of each interface's value array.</summary>
    public int InterfaceCategoryCount { get; }

    public DropCategory this[int id] => _rows[id];

    /// <summary>This table plus <paramref name="row"/> as the last column (its id must be <see cref="Count"/>).</summary>
    public DropCategoryTable Append(DropCategory row) => new([.. _rows, row]);

    /// <summary>The index of an interface category into <c>InterfaceValues</c> (in the agent); -1 for other scopes.</summary>
    public int InterfaceSlotOf(DropCategory category) => _interfaceSlots[category.Id];

    public DropCategory? Find(string column)
    {
        foreach (DropCategory category in _rows)
        {
            if (category.Column == column)
            {
                return category;
            }
        }

        return null;
    }

    /// <summary>PERF: a span enumerator, so the sinks' per-interval <c>foreach</c> over the table allocates nothing.</summary>
    public ReadOnlySpan<DropCategory>.Enumerator GetEnumerator() => new ReadOnlySpan<DropCategory>(_rows).GetEnumerator();

    IEnumerator<DropCategory> IEnumerable<DropCategory>.GetEnumerator() => ((IEnumerable<DropCategory>)_rows).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _rows.GetEnumerator();
}
