namespace NetDrop.Analysis;

/// <summary>All episodes counted, the worst kept.</summary>
/// <param name="Worst">The episodes with the most drops, worst first, at most <c>--top</c>.</param>
/// <param name="Longest">The longest episode, which may not be among the worst by drops.</param>
internal sealed record EpisodeSummary(long Count, IReadOnlyList<DropEpisode> Worst, DropEpisode? Longest);
