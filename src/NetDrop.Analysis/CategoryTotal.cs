using NetDrop.Model;

namespace NetDrop.Analysis;

/// <summary>One category over the whole analysis.</summary>
/// <param name="Total">Sum of the column, as awk sums it.</param>
/// <param name="IntervalsWithAny">Intervals where the column was not zero.</param>
/// <param name="UnavailableIntervals">Intervals whose <c>unavailable</c> cell named this category (its source could not be read).</param>
internal sealed record CategoryTotal(DropCategory Category, long Total, long IntervalsWithAny, long UnavailableIntervals);
