namespace NetDrop.Analysis;

/// <summary>What to analyse and how much to keep.</summary>
/// <param name="Files">Paths in any order (rotated and compressed ones included); <c>-</c> is standard input.</param>
/// <param name="Top">Worst intervals and worst episodes to list. The seed listed 10.</param>
/// <param name="Last">Latest intervals to list. The seed listed 20.</param>
internal sealed record AnalysisOptions(IReadOnlyList<string> Files, ReportFilter Filter, int Top = AnalysisOptions.DefaultTop, int Last = AnalysisOptions.DefaultLast)
{
    public const int DefaultTop = 10;
    public const int DefaultLast = 20;
}
