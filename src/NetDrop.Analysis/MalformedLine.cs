namespace NetDrop.Analysis;

/// <summary>A line that was skipped, where it is, and why, in words for the report.</summary>
internal sealed record MalformedLine(string File, long Line, string Reason);
