using NetDrop.Model;

namespace NetDrop.Deltas;

/// <summary>
/// One row of the detail CSV before it is formatted: a non-zero series of one interval. The <c>key</c> cell is
/// <see cref="Parent"/><c>/</c><see cref="Name"/> when there is a parent (a bond's slave), else <see cref="Name"/>,
/// else <see cref="Number"/> (a CPU): strings the report already holds, so enumerating rows allocates nothing.
/// </summary>
internal readonly record struct DetailRow(DetailCsvScope Scope, string? Parent, string? Name, long Number, DropCategory Category, ulong Value);
