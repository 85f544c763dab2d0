namespace NetDrop.Analysis;

/// <summary>What the operator asked to keep; both bounds inclusive.</summary>
internal sealed record ReportFilter(LocalTimestamp? Since, LocalTimestamp? Until, IReadOnlyList<string> Interfaces)
{
    public static ReportFilter None { get; } = new(null, null, []);

    public bool IsEmpty => Since is null && Until is null && Interfaces.Count == 0;
}
