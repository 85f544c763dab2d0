namespace NetDrop.Analysis;

/// <summary>One line of the report's answer to "what dropped, where, when": a short label and a sentence.</summary>
internal sealed record ReportFinding(string Label, string Text);
