using NetDrop.Model;

namespace NetDrop.Analysis;

/// <summary>Turns a per-category array into the non-zero amounts, largest first (ties in catalogue order).</summary>
internal static class CategoryAmounts
{
    public static IReadOnlyList<CategoryAmount> NonZero(DropCategoryTable table, ReadOnlySpan<long> byCategory, ReadOnlySpan<int> present)
    {
        var amounts = new List<CategoryAmount>();
        foreach (int id in present)
        {
            if (byCategory[id] != 0)
            {
                amounts.Add(new CategoryAmount(table[id], byCategory[id]));
            }
        }

        Sort(amounts);
        return amounts;
    }

    /// <summary>Drops before pressure, then by size: "what dropped" is the question, pressure only explains it.</summary>
    public static void Sort(List<CategoryAmount> amounts) =>
        amounts.Sort(static (a, b) =>
            a.Category.IsDrop != b.Category.IsDrop ? (a.Category.IsDrop ? -1 : 1)
            : b.Amount != a.Amount ? b.Amount.CompareTo(a.Amount)
            : a.Category.Id.CompareTo(b.Category.Id));
}
