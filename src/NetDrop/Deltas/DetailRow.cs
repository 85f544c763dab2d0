using NetDrop.Model;

namespace NetDrop.Deltas;

/// <summary>
/// One row of the detail CSV before it is formatted: a non-zero series of one interval. The <c>key</c> cell is
/// <see cref="Parent"/><c>/</c><see cref="Name"/> when there is a parent (a bond's slave, a reason's namespace owner),
/// else <see cref="Name"/>, else <see cref="Number"/> (a CPU); the <c>category</c> cell is <see cref="CategoryCell"/>:
/// strings the report already holds, so enumerating rows allocates nothing.
/// </summary>
/// <param name="Category">The drop category; null for a <see cref="DetailCsvScope.Reason"/> row, which has none.</param>
/// <param name="ReasonKind">A reason row's kind cell (<see cref="DetailCsvSchema.ReasonLoss"/>, ...); null otherwise.</param>
internal readonly record struct DetailRow(DetailCsvScope Scope, string? Parent, string? Name, long Number, DropCategory? Category, ulong Value, string? ReasonKind = null)
{
    /// <summary>The <c>category</c> cell: the category's CSV column, or a reason row's kind.</summary>
    public string CategoryCell => Category?.Column ?? ReasonKind ?? throw new InvalidOperationException("A detail row needs a category or a reason kind.");
}
