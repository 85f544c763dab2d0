using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace NetDrop.Analysis;

/// <summary>
/// The cells of one row: found at the next comma (or, on the rare line with a quote, unescaped by RFC 4180 first), each
/// stored by its column's role, and the words used when a cell is wrong.
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
        sample.AnyCategory = false;

        int fields;
        if (line.IndexOf((byte)'"') < 0)
        {
            // Almost every line: each cell is read where it lies, an integer cell in the same pass that finds its end.
            fields = 0;
            int start = 0;
            while (true)
            {
                if (fields == map.ColumnCount)
                {
                    reason = WrongFieldCount(CountFields(line), map);
                    return false;
                }

                ReadOnlySpan<byte> rest = line[start..];
                CsvColumnRole role = map.Roles[fields];
                int length;
                if (role <= LastIntegerRole && rest.Length > 1 && rest[0] == (byte)'0' && rest[1] == (byte)',')
                {
                    // PERF: most cells of a healthy host's log are a lone 0 (the store is still needed: the sample is reused).
                    StoreInteger(role, fields, 0, sample);
                    length = 1;
                }
                else if (role <= LastIntegerRole)
                {
                    if (!CsvNumbers.TryParseIntegerPrefix(rest, out long value, out length) || (length < rest.Length && rest[length] != (byte)','))
                    {
                        int comma = rest.IndexOf((byte)',');
                        reason = NotANumber(map, fields, comma < 0 ? rest : rest[..comma]);
                        return false;
                    }

                    StoreInteger(role, fields, value, sample);
                }
                else
                {
                    length = rest.IndexOf((byte)',');
                    length = length < 0 ? rest.Length : length;
                    if (!TryStoreText(role, fields, rest[..length], sample, out reason))
                    {
                        return false;
                    }
                }

                fields++;
                if (length == rest.Length)
                {
                    break;
                }

                start += length + 1;
            }
        }
        else
        {
            // NOTE: only a line with a quoted cell (RFC 4180: an interface name with a comma) is unescaped first.
            if (!SplitQuoted(line, out reason))
            {
                return false;
            }

            fields = _quotedCells.Count;
            for (int column = 0; column < fields && column < map.ColumnCount; column++)
            {
                ReadOnlySpan<byte> cell = _quotedScratch.AsSpan()[_quotedCells[column]];
                CsvColumnRole role = map.Roles[column];
                if (role > LastIntegerRole)
                {
                    if (!TryStoreText(role, column, cell, sample, out reason))
                    {
                        return false;
                    }
                }
                else if (CsvNumbers.TryParseIntegerPrefix(cell, out long value, out int length) && length == cell.Length)
                {
                    StoreInteger(role, column, value, sample);
                }
                else
                {
                    reason = NotANumber(map, column, cell);
                    return false;
                }
            }
        }

        if (fields != map.ColumnCount)
        {
            reason = WrongFieldCount(fields, map);
            return false;
        }

        reason = null;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void StoreInteger(CsvColumnRole role, int column, long value, DropSample sample)
    {
        if (role == CsvColumnRole.Category)
        {
            sample.Categories[Map!.CategoryIds[column]] = value;
            sample.AnyCategory |= value != 0;
        }
        else if (role == CsvColumnRole.TotalDrops)
        {
            sample.TotalDrops = value;
        }

        if (value < 0)
        {
            sample.NegativeCells++;
        }
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
                if (!CsvNumbers.TryParseMilliseconds(cell, out long milliseconds))
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
