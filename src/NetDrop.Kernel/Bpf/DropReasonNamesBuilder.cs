namespace NetDrop.Kernel.Bpf;

/// <summary>Turns (value, name) pairs from tracefs or BTF into a <see cref="DropReasonNames"/>, refusing nonsense.</summary>
internal static class DropReasonNamesBuilder
{
    /// <summary>
    /// The largest core reason accepted. 6.18 ends at 128 (<c>SKB_DROP_REASON_MAX</c>); subsystem reasons
    /// (<c>SKB_DROP_REASON_SUBSYS_MASK</c>, 0xffff0000) are above it and are counted in the map's last slot.
    /// </summary>
    public const int MaxValue = 4096;

    private const string Prefix = "SKB_DROP_REASON_";

    public static DropReasonNames Build(IReadOnlyList<(int Value, string Name)> pairs, string source)
    {
        int count = 0;
        foreach ((int value, string _) in pairs)
        {
            count = Math.Max(count, value + 1);
        }

        if (pairs.Count == 0 || count > MaxValue + 1)
        {
            throw new DropReasonsUnavailableException(DropReasonsMissing.Format,
                $"The drop reasons in {source} are not understood: {pairs.Count} names up to value {count - 1}.");
        }

        string?[] names = new string?[count];
        foreach ((int value, string name) in pairs)
        {
            // NOTE: BTF spells SKB_DROP_REASON_NO_SOCKET, tracefs NO_SOCKET; SKB_NOT_DROPPED_YET and SKB_CONSUMED keep theirs.
            names[value] = name.StartsWith(Prefix, StringComparison.Ordinal) ? name[Prefix.Length..] : name;
        }

        return new DropReasonNames(names, source);
    }
}
