using System.Globalization;
using System.Text;
using NetDrop.Model;
using NetDrop.Deltas;

namespace NetDrop.Sinks.Csv;

/// <summary>
/// Formats one interval as a CSV row into a reused UTF-8 buffer: invariant culture, RFC 4180 quoting where a cell
/// needs it (interface names may hold commas or quotes), LF line ends, nothing allocated per row.
/// </summary>
internal sealed class CsvRowFormatter
{
    private byte[] _own = new byte[1024];
    private byte[] _buffer = [];
    private int _length;
    private string? _lastLabel;
    private byte[] _label = [];

    /// <summary>Formats the row into the formatter's own buffer (valid until the next call).</summary>
    public ReadOnlySpan<byte> Format(IntervalReport report)
    {
        int length = Format(report, ref _own);
        return _own.AsSpan(0, length);
    }

    /// <summary>
    /// Formats the row into <paramref name="destination"/> (a queue's entry buffer), replacing it with a longer one if
    /// the row does not fit, and returns the row's length.
    /// </summary>
    public int Format(IntervalReport report, ref byte[] destination)
    {
        _buffer = destination;
        _length = 0;
        AppendTimestamp(report.Timestamp);
        Comma();
        AppendNumber((ulong)report.Iteration);
        Comma();
        Append(EncodedLabel(report.InterfaceLabel));
        Comma();
        AppendNumber(report.TotalDrops);
        for (int i = 0; i < DropCategoryTable.SeedCount; i++)
        {
            Comma();
            AppendNumber(report[report.Table[i]]);
        }

        Comma();
        Append(SeverityNames.Utf8(report.Severity));
        for (int i = DropCategoryTable.SeedCount; i < report.Table.Count; i++)
        {
            Comma();
            AppendNumber(report[report.Table[i]]);
        }

        Comma();
        AppendSeconds(report.IntervalSeconds);
        Comma();
        AppendUnavailable(report);
        Append("\n"u8);
        destination = _buffer;
        _buffer = [];
        return _length;
    }

    /// <summary>Quotes a cell per RFC 4180 if it holds a comma, quote, CR or LF; otherwise returns it unchanged.</summary>
    public static string Quote(string cell)
    {
        if (cell.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            return cell;
        }

        return "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    // The label only changes when the monitored set does, so it is encoded once, not per row.
    private ReadOnlySpan<byte> EncodedLabel(string label)
    {
        if (!ReferenceEquals(label, _lastLabel))
        {
            _label = Encoding.UTF8.GetBytes(Quote(label));
            _lastLabel = label;
        }

        return _label;
    }

    private void AppendUnavailable(IntervalReport report)
    {
        bool first = true;
        foreach (DropCategory category in report.Table)
        {
            if (report.IsUnavailable(category))
            {
                if (!first)
                {
                    Append(";"u8);
                }

                AppendAscii(category.Column);
                first = false;
            }
        }
    }

    private void AppendTimestamp(DateTimeOffset timestamp)
    {
        Ensure(32);
        timestamp.TryFormat(_buffer.AsSpan(_length), out int written, CsvSchema.TimestampFormat, CultureInfo.InvariantCulture);
        _length += written;
    }

    private void AppendNumber(ulong value)
    {
        Ensure(20);
        value.TryFormat(_buffer.AsSpan(_length), out int written, default, CultureInfo.InvariantCulture);
        _length += written;
    }

    private void AppendSeconds(double seconds)
    {
        Ensure(32);
        seconds.TryFormat(_buffer.AsSpan(_length), out int written, "F3", CultureInfo.InvariantCulture);
        _length += written;
    }

    private void AppendAscii(string text)
    {
        Ensure(text.Length);
        _length += Encoding.ASCII.GetBytes(text, _buffer.AsSpan(_length));
    }

    private void Comma() => Append(","u8);

    private void Append(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Ensure(int extra)
    {
        if (_length + extra > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + extra));
        }
    }
}
