using NetDrop.Model;

namespace NetDrop.Analysis;

/// <summary>
/// What to look at first when a category dominates: the category's row of the advice table
/// (<see cref="DropCategory.Advice"/>, the same row the CRIT log records quote). <c>analyze</c> reads a log later,
/// perhaps on another host, so it names the settings without their values. Advice, not diagnosis.
/// </summary>
internal static class CategoryAdvice
{
    /// <param name="interfaceName">The interface the advice may name in commands; "IF" when the log has several.</param>
    public static string For(DropCategory category, string? interfaceName = null) => category.Advice.RenderOffline(interfaceName);
}
