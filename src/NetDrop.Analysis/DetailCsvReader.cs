using System.Globalization;
using System.IO.Compression;
using System.Text;
using NetDrop.Model;

namespace NetDrop.Analysis;

/// <summary>
/// Reads a detail CSV (<see cref="DetailCsvSchema"/>, plain or gzip-compressed) into a <see cref="DetailAccumulator"/>:
/// <code>
/// timestamp,iteration,scope,key,category,value
/// 2026-02-03 11:23:50,124,interface,eth0,nic_rx,30
/// </code>
/// A file is a detail file when its first line is that header. Rows that do not parse are counted as malformed, a
/// scope this version does not know is read past. <c>reason</c> rows are summed apart from the others. Not on the seed CSV's speed path: detail files hold only the
/// intervals that dropped, and this reads them line by line.
/// </summary>
internal static class DetailCsvReader
{
    /// <summary>Whether the file's first line is the detail header (standard input, <c>-</c>, is never one).</summary>
    public static bool IsDetailFile(string path)
    {
        if (path == "-" || !File.Exists(path))
        {
            return false;
        }

        using StreamReader reader = OpenText(path);
        string? first = reader.ReadLine();
        return first is not null && first.TrimStart('\uFEFF').TrimEnd('\r') == DetailCsvSchema.Header;
    }

    public static void Read(string path, ReportFilter filter, DetailAccumulator accumulator, MalformedLineLog malformed)
    {
        accumulator.AddFile(path);
        using StreamReader reader = OpenText(path);
        var cells = new List<string>(6);
        long lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (lineNumber == 1 || line.Length == 0 || line.TrimEnd('\r') == DetailCsvSchema.Header)
            {
                continue;
            }

            if (!TrySplit(line.TrimEnd('\r'), cells) || cells.Count != DetailCsvSchema.Columns.Length)
            {
                malformed.Add(path, lineNumber, $"a detail row needs {DetailCsvSchema.Columns.Length} fields");
                continue;
            }

            if (!LocalTimestamp.TryParse(Encoding.ASCII.GetBytes(cells[0]), out LocalTimestamp timestamp)
                || !long.TryParse(cells[5], NumberStyles.None, CultureInfo.InvariantCulture, out long value))
            {
                malformed.Add(path, lineNumber, "a detail row's timestamp or value does not parse");
                continue;
            }

            if (!DetailCsvSchema.TryParseScope(cells[2], out DetailCsvScope scope)
                || (filter.Since is { } since && timestamp < since) || (filter.Until is { } until && timestamp > until)
                || !KeepsInterface(filter, scope, cells[3]))
            {
                continue;
            }

            if (scope != DetailCsvScope.Reason)
            {
                accumulator.Add(scope, cells[3], cells[4], value);
                continue;
            }

            // A reason row: key NAME or OWNER/NAME, category cell its kind (DetailCsvSchema).
            if (!long.TryParse(cells[1], NumberStyles.None, CultureInfo.InvariantCulture, out long iteration)
                || !DetailReasonKinds.TryParse(cells[4], out DetailReasonKind kind) || cells[3].Length == 0
                || cells[3].EndsWith(DetailCsvSchema.ReasonOwnerSeparator))
            {
                malformed.Add(path, lineNumber, $"a reason row needs an iteration, a reason name and the category {DetailCsvSchema.ReasonLoss}, {DetailCsvSchema.ReasonUnspecified} or {DetailCsvSchema.ReasonNotLoss}");
                continue;
            }

            accumulator.AddReason(timestamp, iteration, cells[3], kind, value);
        }
    }

    // --interface keeps that interface's rows and its slaves' (bond0/eth1 for bond0 or eth1); other scopes are not
    // per interface and are kept.
    private static bool KeepsInterface(ReportFilter filter, DetailCsvScope scope, string key)
    {
        if (filter.Interfaces.Count == 0 || scope is not (DetailCsvScope.Interface or DetailCsvScope.Slave))
        {
            return true;
        }

        return filter.Interfaces.Any(name => key == name || (scope == DetailCsvScope.Slave && key.Split(DetailCsvSchema.SlaveSeparator).Contains(name)));
    }

    private static StreamReader OpenText(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Span<byte> magic = stackalloc byte[2];
        int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        Stream stream = read == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(file, CompressionMode.Decompress) : file;
        return new StreamReader(stream, Encoding.UTF8);
    }

    // RFC 4180: a cell in quotes may hold commas, and a quote written twice.
    private static bool TrySplit(string line, List<string> cells)
    {
        cells.Clear();
        var cell = new StringBuilder();
        int i = 0;
        while (true)
        {
            cell.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        return false;
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            cell.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    cell.Append(line[i++]);
                }

                if (i < line.Length && line[i] != ',')
                {
                    return false;
                }
            }
            else
            {
                int comma = line.IndexOf(',', i);
                int end = comma < 0 ? line.Length : comma;
                cell.Append(line, i, end - i);
                i = end;
            }

            cells.Add(cell.ToString());
            if (i >= line.Length)
            {
                return true;
            }

            i++; // the comma
        }
    }
}
