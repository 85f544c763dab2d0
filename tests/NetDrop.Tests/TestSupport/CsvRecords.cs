using System.Text;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// A small RFC 4180 reader for the monitor's CSV (quoted fields may hold commas, quotes and line breaks), written
/// here rather than borrowed from NetDrop so the ground truth does not trust the code under test.
/// </summary>
internal static class CsvRecords
{
    /// <summary>Every complete record; a final line without its newline is still being written and is left out.</summary>
    public static List<string[]> Parse(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c != '"')
                {
                    field.Append(c);
                }
                else if (i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    records.Add([.. fields]);
                    fields.Clear();
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }

        return records;
    }

    /// <summary>
    /// Each count column's sum over every complete row, by header name: every column after the first four (timestamp,
    /// iteration, interface, total_drops) but severity, interval_s and unavailable.
    /// </summary>
    public static Dictionary<string, long> ColumnSums(string text)
    {
        List<string[]> records = Parse(text);
        string[] header = records[0];
        var sums = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int column = 4; column < header.Length; column++)
        {
            if (header[column] is not ("severity" or "interval_s" or "unavailable"))
            {
                sums[header[column]] = records.Skip(1).Sum(record => long.Parse(record[column], System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return sums;
    }
}
