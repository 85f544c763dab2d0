using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using NetDrop.Model;

namespace NetDrop.Analysis;

/// <summary>
/// The cells of one row: the fast path for lines without quotes (integers parsed where they lie, text cells found
/// with a vectorised search), the RFC 4180 path for lines with a quoted cell, and the words used when a cell is wrong.
/// </summary>
internal sealed partial class CsvSampleReader
{
    // PERF: AggressiveOptimization skips tier-0 code, which would run for most of a one-second analysis under the JIT
    // (Native AOT compiles everything fully optimised anyway).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryParseRow(ReadOnlySpan<byte> line, out string? reason)
    {
        CsvColumnMap map = Map!;
        DropSample sample = Current;
        sample.NegativeCells = 0;
        sample.UnavailableMask = 0;
        sample.IntervalMilliseconds = 0;

        CsvColumnRole[] roles = map.Roles;
        int[] categoryIds = map.CategoryIds;
        long[] categories = sample.Categories;
        int length = line.Length;
        int negatives = 0;
        bool nonZero = false;
        int column = 0;
        int i = 0;
        while (true)
        {
            if ((uint)column >= (uint)roles.Length)
            {
                reason = WrongFieldCount(CountFields(line), map);
                return false;
            }

            CsvColumnRole role = roles[column];
            if (role <= LastIntegerRole)
            {
                // PERF: most cells of a healthy host's log are a lone "0"; the write is still needed (the sample is reused).
                if ((uint)(i + 1) < (uint)length && line[i] == (byte)'0' && line[i + 1] == (byte)',')
                {
                    if (role == CsvColumnRole.Category)
                    {
                        categories[categoryIds[column]] = 0;
                    }
                    else if (role == CsvColumnRole.TotalDrops)
                    {
                        sample.TotalDrops = 0;
                    }

                    column++;
                    i += 2;
                    continue;
                }

                // The integer is parsed in the loop itself: no call, no slice per cell.
                int cellStart = i;
                bool negative = (uint)i < (uint)length && line[i] == (byte)'-';
                if (negative)
                {
                    i++;
                }

                int digitsStart = i;
                ulong accumulated = 0;
                while ((uint)i < (uint)length)
                {
                    uint digit = (uint)(line[i] - '0');
                    if (digit > 9)
                    {
                        break;
                    }

                    accumulated = (accumulated * 10) + digit;
                    i++;
                }

                int digits = i - digitsStart;
                if ((uint)i < (uint)length && line[i] == (byte)'"')
                {
                    return TryParseQuotedRow(line, out reason);
                }

                if (((uint)i < (uint)length && line[i] != (byte)',')
                    || (negative && digits == 0)
                    || (digits > 18 && !FitsInInt64(line.Slice(digitsStart, digits))))
                {
                    int comma = line[cellStart..].IndexOf((byte)',');
                    reason = NotANumber(map, column, comma < 0 ? line[cellStart..] : line.Slice(cellStart, comma));
                    return false;
                }

                long value = negative ? -(long)accumulated : (long)accumulated;
                if (role == CsvColumnRole.Category)
                {
                    categories[categoryIds[column]] = value;
                    nonZero |= value != 0;
                }
                else if (role == CsvColumnRole.TotalDrops)
                {
                    sample.TotalDrops = value;
                }

                if (negative && value != 0)
                {
                    negatives++;
                }
            }
            else
            {
                if ((uint)i < (uint)length && line[i] == (byte)'"')
                {
                    // NOTE: only lines with a quoted cell (an interface name with a comma) take the RFC 4180 path.
                    return TryParseQuotedRow(line, out reason);
                }

                int end;
                if (role == CsvColumnRole.Timestamp && i + LocalTimestamp.Length <= length
                    && (i + LocalTimestamp.Length == length || line[i + LocalTimestamp.Length] == (byte)','))
                {
                    end = i + LocalTimestamp.Length;
                }
                else
                {
                    int comma = line[i..].IndexOf((byte)',');
                    end = comma < 0 ? length : i + comma;
                }

                if (role != CsvColumnRole.Ignored && !TryStoreText(role, column, line[i..end], sample, out reason))
                {
                    return false;
                }

                i = end;
            }

            column++;
            if (i >= length)
            {
                break;
            }

            i++; // the comma
        }

        if (column != roles.Length)
        {
            reason = WrongFieldCount(column, map);
            return false;
        }

        sample.NegativeCells = negatives;
        sample.AnyCategory = nonZero;
        reason = null;
        return true;
    }

    private bool TryParseQuotedRow(ReadOnlySpan<byte> line, out string? reason)
    {
        CsvColumnMap map = Map!;
        Current.NegativeCells = 0;
        Current.AnyCategory = true;   // the rare quoted line takes the thorough path in the analyzer
        if (!SplitQuoted(line, out reason))
        {
            return false;
        }

        if (_quotedCells.Count != map.ColumnCount)
        {
            reason = WrongFieldCount(_quotedCells.Count, map);
            return false;
        }

        for (int column = 0; column < _quotedCells.Count; column++)
        {
            ReadOnlySpan<byte> cell = _quotedScratch.AsSpan()[_quotedCells[column]];
            CsvColumnRole role = map.Roles[column];
            if (role <= LastIntegerRole)
            {
                if (ParseInteger(cell, out long value) != cell.Length)
                {
                    reason = NotANumber(map, column, cell);
                    return false;
                }

                Store(role, column, value, Current);
            }
            else if (!TryStoreText(role, column, cell, Current, out reason))
            {
                return false;
            }
        }

        reason = null;
        return true;
    }

    /// <summary>RFC 4180 split into <see cref="_quotedScratch"/>: <c>"eth0,x"</c> is one cell, <c>""</c> inside quotes is a quote.</summary>
    private bool SplitQuoted(ReadOnlySpan<byte> line, out string? reason)
    {
        _quotedCells.Clear();
        if (_quotedScratch.Length < line.Length)
        {
            _quotedScratch = new byte[Math.Max(line.Length, _quotedScratch.Length * 2)];
        }

        int write = 0;
        int i = 0;
        while (true)
        {
            int cellStart = write;
            if (i < line.Length && line[i] == (byte)'"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        reason = $"a quoted field in column {_quotedCells.Count + 1} never closes";
                        return false;
                    }

                    if (line[i] == (byte)'"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == (byte)'"')
                        {
                            _quotedScratch[write++] = (byte)'"';
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    _quotedScratch[write++] = line[i++];
                }

                if (i < line.Length && line[i] != (byte)',')
                {
                    reason = $"text after the closing quote in column {_quotedCells.Count + 1}";
                    return false;
                }
            }
            else
            {
                while (i < line.Length && line[i] != (byte)',')
                {
                    if (line[i] == (byte)'"')
                    {
                        reason = $"a stray quote inside column {_quotedCells.Count + 1}";
                        return false;
                    }

                    _quotedScratch[write++] = line[i++];
                }
            }

            _quotedCells.Add(new Range(cellStart, write));
            if (i >= line.Length)
            {
                reason = null;
                return true;
            }

            i++; // the comma
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Store(CsvColumnRole role, int column, long value, DropSample sample)
    {
        if (value < 0)
        {
            sample.NegativeCells++;
        }

        if (role == CsvColumnRole.Category)
        {
            sample.Categories[Map!.CategoryIds[column]] = value;
        }
        else if (role == CsvColumnRole.TotalDrops)
        {
            sample.TotalDrops = value;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryStoreText(CsvColumnRole role, int column, ReadOnlySpan<byte> cell, DropSample sample, out string? reason)
    {
        reason = null;
        switch (role)
        {
            case CsvColumnRole.Timestamp:
                if (!TryParseTimestamp(cell, out LocalTimestamp timestamp))
                {
                    reason = $"the timestamp '{Show(cell)}' is not yyyy-MM-dd HH:mm:ss";
                    return false;
                }

                sample.Timestamp = timestamp;
                return true;

            case CsvColumnRole.Interface:
                sample.InterfaceId = InterfaceIdOf(cell);
                return true;

            case CsvColumnRole.Severity:
                sample.Severity = cell.SequenceEqual(s_ok) ? IntervalSeverity.Ok
                    : cell.SequenceEqual(s_warn) ? IntervalSeverity.Warn
                    : cell.SequenceEqual(s_crit) ? IntervalSeverity.Crit
                    : IntervalSeverity.Other;
                return true;

            case CsvColumnRole.IntervalSeconds:
                if (!TryParseMilliseconds(cell, out long milliseconds))
                {
                    reason = NotANumber(Map!, column, cell);
                    return false;
                }

                sample.IntervalMilliseconds = milliseconds;
                return true;

            case CsvColumnRole.Unavailable:
                sample.UnavailableMask = UnavailableMaskOf(cell);
                return true;

            default:
                return true;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryParseTimestamp(ReadOnlySpan<byte> cell, out LocalTimestamp timestamp)
    {
        // PERF: 17,280 rows a day share their date; parse it once per day, then only the time of day.
        if (cell.Length == LocalTimestamp.Length && _lastDayStart >= 0 && cell[..10].SequenceEqual(_lastDate)
            && (cell[10] == (byte)' ' || cell[10] == (byte)'T')
            && LocalTimestamp.TryParseTimeOfDay(cell[11..], out int secondsOfDay))
        {
            timestamp = new LocalTimestamp(_lastDayStart + secondsOfDay);
            return true;
        }

        if (!LocalTimestamp.TryParse(cell, out timestamp))
        {
            return false;
        }

        cell[..10].CopyTo(_lastDate);
        _lastDayStart = LocalTimestamp.FromDay(timestamp.Day).Seconds;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int InterfaceIdOf(ReadOnlySpan<byte> cell)
    {
        if (_lastInterfaceLength == cell.Length && cell.SequenceEqual(_lastInterface.AsSpan(0, _lastInterfaceLength)))
        {
            return _lastInterfaceId;
        }

        _lastInterfaceId = _interfaces.GetOrAdd(cell);
        if (_lastInterface.Length < cell.Length)
        {
            _lastInterface = new byte[cell.Length];
        }

        cell.CopyTo(_lastInterface);
        _lastInterfaceLength = cell.Length;
        return _lastInterfaceId;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ulong UnavailableMaskOf(ReadOnlySpan<byte> cell)
    {
        if (cell.IsEmpty)
        {
            return 0;
        }

        if (_lastUnavailableLength == cell.Length && cell.SequenceEqual(_lastUnavailable.AsSpan(0, _lastUnavailableLength)))
        {
            return _lastUnavailableMask;
        }

        ulong mask = 0;
        foreach (string name in Encoding.UTF8.GetString(cell).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (_schema.Table.Find(name) is { } category)
            {
                mask |= 1UL << category.Id;
            }
        }

        if (_lastUnavailable.Length < cell.Length)
        {
            _lastUnavailable = new byte[cell.Length];
        }

        cell.CopyTo(_lastUnavailable);
        _lastUnavailableLength = cell.Length;
        _lastUnavailableMask = mask;
        return mask;
    }

    /// <summary>
    /// Parses an optionally negative decimal integer at the start of <paramref name="text"/>. Returns the bytes consumed
    /// (0 for an empty cell, read as 0 as awk does), or -1 on overflow or a lone minus sign.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int ParseInteger(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        int i = 0;
        bool negative = false;
        if (!text.IsEmpty && text[0] == (byte)'-')
        {
            negative = true;
            i = 1;
        }

        int digitsStart = i;
        ulong accumulated = 0;
        while (i < text.Length)
        {
            uint digit = (uint)(text[i] - '0');
            if (digit > 9)
            {
                break;
            }

            accumulated = (accumulated * 10) + digit;
            i++;
        }

        int digits = i - digitsStart;
        if (digits == 0)
        {
            return negative ? -1 : i;
        }

        // PERF: no overflow check per digit; 18 digits always fit, longer runs are re-checked once.
        if (digits > 18 && !FitsInInt64(text.Slice(digitsStart, digits)))
        {
            return -1;
        }

        value = negative ? -(long)accumulated : (long)accumulated;
        return i;
    }

    private static bool FitsInInt64(ReadOnlySpan<byte> digits)
    {
        ReadOnlySpan<byte> max = "9223372036854775807"u8;
        int first = digits.IndexOfAnyExcept((byte)'0');
        if (first < 0)
        {
            return true;
        }

        ReadOnlySpan<byte> significant = digits[first..];
        return significant.Length < max.Length || (significant.Length == max.Length && significant.SequenceCompareTo(max) <= 0);
    }

    /// <summary><c>5</c>, <c>5.0</c>, <c>4.998</c> → milliseconds; empty → 0 (unknown).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryParseMilliseconds(ReadOnlySpan<byte> text, out long milliseconds)
    {
        milliseconds = 0;
        if (text.IsEmpty)
        {
            return true;
        }

        int dot = text.IndexOf((byte)'.');
        ReadOnlySpan<byte> whole = dot < 0 ? text : text[..dot];
        ReadOnlySpan<byte> fraction = dot < 0 ? default : text[(dot + 1)..];
        if (whole.IsEmpty || ParseInteger(whole, out long seconds) != whole.Length || seconds < 0)
        {
            return false;
        }

        long thousandths = 0;
        for (int i = 0; i < fraction.Length; i++)
        {
            uint digit = (uint)(fraction[i] - '0');
            if (digit > 9)
            {
                return false;
            }

            if (i < 3)
            {
                thousandths += digit * (i == 0 ? 100 : i == 1 ? 10 : 1);
            }
        }

        milliseconds = (seconds * 1000) + thousandths;
        return true;
    }

    private List<string> SplitHeader(ReadOnlySpan<byte> line)
    {
        if (line.StartsWith("\uFEFF"u8))
        {
            line = line[3..];
        }

        var names = new List<string>();
        if (line.IndexOf((byte)'"') >= 0 && SplitQuoted(line, out _))
        {
            foreach (Range cell in _quotedCells)
            {
                names.Add(Encoding.UTF8.GetString(_quotedScratch.AsSpan()[cell]));
            }

            return names;
        }

        foreach (Range cell in line.Split((byte)','))
        {
            names.Add(Encoding.UTF8.GetString(line[cell]));
        }

        return names;
    }

    private static int CountFields(ReadOnlySpan<byte> line) => line.Count((byte)',') + 1;

    private static string WrongFieldCount(int fields, CsvColumnMap map) =>
        string.Create(CultureInfo.InvariantCulture, $"{fields} fields where the header has {map.ColumnCount}");

    private static string NotANumber(CsvColumnMap map, int column, ReadOnlySpan<byte> cell) =>
        $"{map.Names[column]} is not a number: '{Show(cell)}'";

    /// <summary>A cell as it can be quoted in a one-line message: decoded, control characters replaced, at most 40 characters.</summary>
    private static string Show(ReadOnlySpan<byte> cell)
    {
        string text = Encoding.UTF8.GetString(cell.Length > 40 ? cell[..40] : cell);
        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        return cell.Length > 40 ? builder.Append('…').ToString() : builder.ToString();
    }
}
