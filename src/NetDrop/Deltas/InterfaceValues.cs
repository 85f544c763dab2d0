using System.Runtime.CompilerServices;
using NetDrop.Model;

namespace NetDrop.Deltas;

/// <summary>
/// One interface's value for each interface category, indexed by <see cref="DropCategoryTable.InterfaceSlotOf"/>.
/// An inline array, so an interface's deltas live in the report's list without an allocation per sample.
/// </summary>
[InlineArray(DropCategoryTable.MaxInterfaceCategories)]
internal struct InterfaceValues
{
    private ulong _first;
}
