namespace NetDrop.Analysis;

/// <summary>The <c>--format</c> of <c>netdrop analyze</c>.</summary>
internal enum ReportFormat
{
    Text,
    Json,
    Markdown,
    Html,
}
