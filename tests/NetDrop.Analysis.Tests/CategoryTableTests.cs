using System.Globalization;
using System.Text.Json;
using NetDrop.Model;

namespace NetDrop.Analysis.Tests;

/// <summary>
/// Analysis reads a CSV by the category table it is handed, not by the product's static one: a row appended to the
/// table is a category of the report (JSON totals, the text table), while the same file read with the product's table
/// names the column as one this version does not know. NetDrop.Tests' CategoryRowTests drives the same row through
/// the monitor first.
/// </summary>
public sealed class CategoryTableTests
{
    private static readonly DropCategory s_timeouts = new(
        DropCategories.Table.Count, "tcp_timeouts", "TCP Retransmission Timeouts (test row)", CategoryKind.Drop,
        CounterFormula.Sum(KernelCounter.TcpExt("TCPTimeouts")),
        new("retransmission timeouts: check the path"));

    [Fact]
    public void Analyze_TableWithOneMoreRow_ReportsTheRowsColumn()
    {
        DropCategoryTable table = DropCategories.Table.Append(s_timeouts);
        string path = WriteLog(new CsvSchema(table), ("tcp_timeouts", 700), ("tcp_timeouts", 77));

        DropReport report = DropAnalyzer.Analyze(table, new AnalysisOptions([path], ReportFilter.None));

        // tcp_timeouts is a drop row: 700 + 77 written in its column, and total_drops is their sum as the monitor wrote it.
        using JsonDocument json = Render(report, ReportFormat.Json);
        Assert.Equal(777, json.RootElement.GetProperty("totals").GetProperty("tcp_timeouts").GetInt64());
        Assert.Equal(777, report.DropCategorySum);
        Assert.Matches(@"tcp_timeouts\s.*\b777\b", RenderText(report));
        Assert.DoesNotContain(report.Notes, note => note.Contains("does not know", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_ProductTable_TheUnknownColumnIsReadPastAndSaid()
    {
        string path = WriteLog(new CsvSchema(DropCategories.Table.Append(s_timeouts)), ("tcp_timeouts", 777));

        DropReport report = DropAnalyzer.Analyze(DropCategories.Table, new AnalysisOptions([path], ReportFilter.None));

        using JsonDocument json = Render(report, ReportFormat.Json);
        Assert.False(json.RootElement.GetProperty("totals").TryGetProperty("tcp_timeouts", out _));
        Assert.Contains(report.Notes, note => note.EndsWith("columns this version does not know were not read: tcp_timeouts.", StringComparison.Ordinal));
    }

    private static string WriteLog(CsvSchema schema, params (string Column, long Value)[] rows)
    {
        var lines = new List<string> { schema.Header };
        for (int i = 0; i < rows.Length; i++)
        {
            var cells = new string[schema.Columns.Length];
            for (int c = 0; c < cells.Length; c++)
            {
                cells[c] = schema.Columns[c] switch
                {
                    CsvSchema.Timestamp => new DateTime(2026, 2, 3, 11, 0, 0).AddSeconds(5 * i).ToString(CsvSchema.TimestampFormat, CultureInfo.InvariantCulture),
                    CsvSchema.Iteration => (i + 1).ToString(CultureInfo.InvariantCulture),
                    CsvSchema.Interface => "eth0",
                    CsvSchema.TotalDrops => rows[i].Value.ToString(CultureInfo.InvariantCulture),
                    CsvSchema.Severity => "CRIT",
                    CsvSchema.IntervalSeconds => "5.000",
                    CsvSchema.Unavailable => "",
                    string column when column == rows[i].Column => rows[i].Value.ToString(CultureInfo.InvariantCulture),
                    _ => "0",
                };
            }

            lines.Add(string.Join(',', cells));
        }

        return AnalyzeTestFiles.WriteTemp(string.Join('\n', lines) + "\n");
    }

    private static JsonDocument Render(DropReport report, ReportFormat format)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        ReportRenderer.Render(report, format, writer);
        return JsonDocument.Parse(writer.ToString());
    }

    private static string RenderText(DropReport report)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        ReportRenderer.Render(report, ReportFormat.Text, writer);
        return writer.ToString();
    }
}
