namespace NetDrop.Tests.TestSupport;

/// <summary>
/// What an inducer itself saw happen, per CSV column: sends the kernel refused, segments the receiver never took,
/// SYNs sent beyond a queue's capacity. <see cref="Unwitnessed"/> names columns the inducer also moves by an amount
/// it cannot know (the pressure counters of TCP pruning): those are checked kernel against NetDrop only.
/// </summary>
internal sealed record DropWitness(string Inducer, IReadOnlyDictionary<string, long> Counts, IReadOnlyList<string> Unwitnessed)
{
    public DropWitness(string inducer, IReadOnlyDictionary<string, long> counts)
        : this(inducer, counts, [])
    {
    }

    /// <summary>How the count was seen, for the test output.</summary>
    public string Detail { get; init; } = "";

    /// <summary>Raw kernel counters (oracle keys) the witness also pins, e.g. IPv4 and IPv6 apart.</summary>
    public IReadOnlyDictionary<string, long> RawCounts { get; init; } = new Dictionary<string, long>();

    public long this[string column] => Counts.TryGetValue(column, out long count) ? count : 0;

    public override string ToString() =>
        $"{Inducer}: {string.Join(", ", Counts.Select(pair => $"{pair.Key}={pair.Value}"))}" +
        (Detail.Length > 0 ? $" ({Detail})" : "") +
        (Unwitnessed.Count > 0 ? $"; also moves, uncounted: {string.Join(", ", Unwitnessed)}" : "");
}
