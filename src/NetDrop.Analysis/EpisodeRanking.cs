namespace NetDrop.Analysis;

/// <summary>
/// Keeps what the report says about episodes without keeping them all: how many, the longest, and the N worst by
/// drops (a bounded min-heap, ties to the earlier episode).
/// </summary>
internal sealed class EpisodeRanking
{
    private readonly int _limit;
    private readonly PriorityQueue<DropEpisode, (long Total, long NegatedStart)> _worst;
    private long _count;
    private DropEpisode? _longest;

    public EpisodeRanking(int limit)
    {
        _limit = limit;
        _worst = new PriorityQueue<DropEpisode, (long, long)>(limit + 1);
    }

    public void Add(DropEpisode episode)
    {
        _count++;
        if (_longest is null || episode.DurationSeconds > _longest.DurationSeconds)
        {
            _longest = episode;
        }

        if (_limit == 0)
        {
            return;
        }

        _worst.Enqueue(episode, (episode.TotalDrops, -episode.Start.Seconds));
        if (_worst.Count > _limit)
        {
            _worst.Dequeue();
        }
    }

    public EpisodeSummary ToSummary()
    {
        List<DropEpisode> worst = [.. _worst.UnorderedItems.Select(item => item.Element)
            .OrderByDescending(e => e.TotalDrops).ThenBy(e => e.Start.Seconds).ThenBy(e => e.Interface, StringComparer.Ordinal)];
        return new EpisodeSummary(_count, worst, _longest);
    }
}
