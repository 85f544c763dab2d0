namespace NetDrop.Cli;

/// <summary>The parsed command line of <c>netdrop analyze</c>, before validation.</summary>
internal sealed record AnalyzeRequest(
    IReadOnlyList<string> Files,
    string? Format,
    string? Output,
    int Top,
    int Last,
    string? Since,
    string? Until,
    IReadOnlyList<string> Interfaces,
    bool NoColor);
