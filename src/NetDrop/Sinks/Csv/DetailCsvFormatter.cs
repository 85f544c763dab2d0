using System.Globalization;
using System.Text;
using NetDrop.Deltas;
using NetDrop.Model;

namespace NetDrop.Sinks.Csv;

/// <summary>
/// Formats one interval's detail rows (<see cref="IntervalReport.VisitDetail"/>) as a block of detail CSV lines
/// (<see cref="DetailCsvSchema"/>) into a reused UTF-8 buffer: invariant culture, RFC 4180 quoting of a key that needs
/// it (an interface name may hold a comma), LF line ends, nothing allocated per interval once the buffer is large
/// enough.
/// </summary>
internal sealed class DetailCsvFormatter : IDetailRowVisitor
{
    private readonly byte[] _prefix = new byte[64]; // "timestamp,iteration," of the interval, repeated on every row
    private byte[] _own = new byte[1024];
    private byte[] _buffer = [];
    private int _length;
    private int _prefixLength;

    /// <summary>Rows in the block formatted last.</summary>
    public int Rows { get; private set; }

    /// <summary>Formats the interval into the formatter's own buffer (valid until the next call); empty when no series moved.</summary>
    public ReadOnlySpan<byte> Format(IntervalReport report)
    {
        int length = Format(report, ref _own);
        return _own.AsSpan(0, length);
    }

    /// <summary>
    /// Formats every detail row of the interval into <paramref name="destination"/> (a queue's entry buffer), replacing
    /// it with a longer one if they do not fit, and returns the block's length: 0 when the interval has no row.
    /// </summary>
    public int Format(IntervalReport report, ref byte[] destination)
    {
        report.Timestamp.TryFormat(_prefix, out int written, CsvSchema.TimestampFormat, CultureInfo.InvariantCulture);
        _prefix[written++] = (byte)',';
        ((ulong)report.Iteration).TryFormat(_prefix.AsSpan(written), out int digits, default, CultureInfo.InvariantCulture);
        written += digits;
        _prefix[written++] = (byte)',';
        _prefixLength = written;

        _buffer = destination;
        _length = 0;
        Rows = 0;
        report.VisitDetail(this);
        destination = _buffer;
        _buffer = [];
        return _length;
    }

    public void Visit(in DetailRow row)
    {
        Append(_prefix.AsSpan(0, _prefixLength));
        AppendAscii(DetailCsvSchema.ScopeName(row.Scope));
        Append(","u8);
        AppendKey(row);
        Append(","u8);
        AppendAscii(row.CategoryCell);
        Append(","u8);
        Ensure(20);
        row.Value.TryFormat(_buffer.AsSpan(_length), out int written, default, CultureInfo.InvariantCulture);
        _length += written;
        Append("\n"u8);
        Rows++;
    }

    private void AppendKey(in DetailRow row)
    {
        if (row.Name is null)
        {
            Ensure(20);
            row.Number.TryFormat(_buffer.AsSpan(_length), out int written, default, CultureInfo.InvariantCulture);
            _length += written;
            return;
        }

        bool quoted = NeedsQuotes(row.Parent) || NeedsQuotes(row.Name);
        if (quoted)
        {
            Append("\""u8);
        }

        if (row.Parent is not null)
        {
            AppendText(row.Parent, quoted);
            Append([(byte)DetailCsvSchema.SlaveSeparator]);
        }

        AppendText(row.Name, quoted);
        if (quoted)
        {
            Append("\""u8);
        }
    }

    private static bool NeedsQuotes(string? text) => text is not null && text.AsSpan().IndexOfAny(",\"\r\n") >= 0;

    // RFC 4180: inside a quoted cell a quote is written twice.
    private void AppendText(string text, bool quoted)
    {
        ReadOnlySpan<char> rest = text;
        while (true)
        {
            int quote = quoted ? rest.IndexOf('"') : -1;
            ReadOnlySpan<char> part = quote < 0 ? rest : rest[..(quote + 1)];
            Ensure(Encoding.UTF8.GetMaxByteCount(part.Length));
            _length += Encoding.UTF8.GetBytes(part, _buffer.AsSpan(_length));
            if (quote < 0)
            {
                return;
            }

            Append("\""u8);
            rest = rest[(quote + 1)..];
        }
    }

    private void AppendAscii(string text)
    {
        Ensure(text.Length);
        _length += Encoding.ASCII.GetBytes(text, _buffer.AsSpan(_length));
    }

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
