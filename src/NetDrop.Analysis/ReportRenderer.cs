namespace NetDrop.Analysis;

/// <summary>Renders a report in the format asked for; the command and the tests go through here.</summary>
internal static class ReportRenderer
{
    public static void Render(DropReport report, ReportFormat format, TextWriter writer, bool color = false, int width = TextReportRenderer.DefaultWidth)
    {
        switch (format)
        {
            case ReportFormat.Json:
                JsonReportRenderer.Render(report, writer);
                break;
            case ReportFormat.Markdown:
                MarkdownReportRenderer.Render(report, writer);
                break;
            case ReportFormat.Html:
                HtmlReportRenderer.Render(report, writer);
                break;
            default:
                TextReportRenderer.Render(report, writer, color, width);
                break;
        }
    }
}
