using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;
using NetDrop.Model;

namespace NetDrop.Analysis;

/// <summary>
/// Streams the rows of one NetDrop or seed CSV (plain or gzip-compressed, as logrotate's <c>compress</c> leaves it)
/// into a reused <see cref="DropSample"/>:
/// <code>
/// timestamp,iteration,interface,total_drops,nic_rx,nic_tx,nic_missed,qdisc,softirq,...,severity[,...]
/// 2026-02-03 11:23:50,124,eth0,523,0,0,0,0,500,0,23,0,0,0,0,CRIT[,...]
/// </code>
/// Bytes are read in large chunks and each line is parsed in place: no string per line or per cell, and a quoted
/// cell (RFC 4180, for interface names with commas) takes a slower path only on lines that contain a quote.
/// Lines that do not parse are counted in <see cref="MalformedLineLog"/> and skipped, never thrown.
/// </summary>
internal sealed class CsvSampleReader : IDisposable
{
    private const int ChunkSize = 1 << 20;

    private static readonly byte[] s_ok = "OK"u8.ToArray();
    private static readonly byte[] s_warn = "WARN"u8.ToArray();
    private static readonly byte[] s_crit = "CRIT"u8.ToArray();

    private readonly Stream _stream;
    private readonly InterfaceTable _interfaces;
    private readonly MalformedLineLog _malformed;
    private readonly List<string> _notes = [];
    private byte[] _buffer = new byte[ChunkSize];
    private int _start;
    private int _end;
    private bool _endOfStream;
    private bool _skippingLongLine;
    private long _lineNumber;

    // PERF: consecutive rows almost always repeat the interface and unavailable cells; compare bytes, decode only on change.
    private byte[] _lastInterface = new byte[64];
    private int _lastInterfaceLength = -1;
    private int _lastInterfaceId;
    private byte[] _lastUnavailable = new byte[64];
    private int _lastUnavailableLength = -1;
    private uint _lastUnavailableMask;
    private readonly byte[] _lastDate = new byte[10];
    private long _lastDayStart = -1;

    // Scratch for the quoted-line path: unescaped cell bytes and their ranges.
    private byte[] _quotedScratch = new byte[256];
    private readonly List<Range> _quotedCells = [];

    private CsvSampleReader(Stream stream, string path, int fileIndex, bool compressed, InterfaceTable interfaces, MalformedLineLog malformed)
    {
        _stream = stream;
        Path = path;
        FileIndex = fileIndex;
        Compressed = compressed;
        _interfaces = interfaces;
        _malformed = malformed;
        Current = new DropSample { FileIndex = fileIndex };
    }

    public string Path { get; }

    public int FileIndex { get; }

    public bool Compressed { get; }

    /// <summary>The columns of this file; <c>null</c> only for an empty file.</summary>
    public CsvColumnMap? Map { get; private set; }

    /// <summary>The row <see cref="MoveNext"/> parsed last; overwritten by the next call.</summary>
    public DropSample Current { get; }

    /// <summary>Rows parsed successfully so far.</summary>
    public long Rows { get; private set; }

    /// <summary>True when the file has no line that is not blank: no header, no rows.</summary>
    public bool IsEmptyFile { get; private set; }

    /// <summary>What a person should know about this file that is not an error (header-less, repeated headers, ...).</summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>The first row's timestamp, read when the file is opened; <c>null</c> when the file has no row.</summary>
    public LocalTimestamp? FirstTimestamp { get; private set; }

    /// <summary>
    /// Opens a file (or <c>-</c> for standard input), detects gzip by its magic bytes, and reads the first line to learn
    /// the columns. Throws <see cref="AnalyzeInputException"/> when the file is missing or not a NetDrop/seed CSV.
    /// </summary>
    public static CsvSampleReader Open(string path, int fileIndex, InterfaceTable interfaces, MalformedLineLog malformed)
    {
        Stream stream = OpenStream(path, out bool compressed);
        var reader = new CsvSampleReader(stream, path, fileIndex, compressed, interfaces, malformed);
        try
        {
            reader.ReadFirstLine();
            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    public void Dispose() => _stream.Dispose();

    /// <summary>Parses the next well-formed row into <see cref="Current"/>; false at the end of the file.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool MoveNext()
    {
        if (_pendingFirstRow)
        {
            _pendingFirstRow = false;
            return true;
        }

        while (TryReadLine(out ReadOnlySpan<byte> line, out bool terminated))
        {
            if (TryTakeRow(line, terminated))
            {
                return true;
            }
        }

        return false;
    }

    private bool _pendingFirstRow;

    private static Stream OpenStream(string path, out bool compressed)
    {
        compressed = false;
        if (path == "-")
        {
            return Console.OpenStandardInput();
        }

        if (Directory.Exists(path))
        {
            throw new AnalyzeInputException($"{path}: is a directory, not a CSV log.");
        }

        FileStream file;
        try
        {
            // NOTE: the monitor may be appending while we read; share everything so neither side is blocked.
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.SequentialScan);
        }
        catch (FileNotFoundException ex)
        {
            throw new AnalyzeInputException($"{path}: no such file.", ex);
        }
        catch (DirectoryNotFoundException ex)
        {
            throw new AnalyzeInputException($"{path}: no such file.", ex);
        }

        Span<byte> magic = stackalloc byte[2];
        int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        if (read == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            compressed = true;
            return new GZipStream(file, CompressionMode.Decompress, leaveOpen: false);
        }

        return file;
    }

    private void ReadFirstLine()
    {
        bool terminated;
        ReadOnlySpan<byte> line;
        do
        {
            if (!TryReadLine(out line, out terminated))
            {
                IsEmptyFile = true;
                return;
            }
        }
        while (IsBlank(line));

        if (line.StartsWith("\uFEFF"u8))
        {
            line = line[3..];
        }

        if (line.IndexOf((byte)0) >= 0)
        {
            throw NotACsv("it holds binary data");
        }

        if (CsvColumnMap.LooksLikeHeader(line))
        {
            Map = MapHeader(line);
            return;
        }

        // No header: an SRE handing us `tail -n 1000 network_drops.log` or a file logrotate truncated under a running
        // monitor expects the data to be read. Accept it only if the first line really is a seed data row.
        int fields = CountFields(line);
        if (fields < CsvColumnMap.SeedColumnCount)
        {
            throw NotACsv($"line {_lineNumber} is neither the NetDrop/seed header nor a data row of at least {CsvColumnMap.SeedColumnCount} fields");
        }

        Map = CsvColumnMap.ForHeaderless(fields);
        if (!TryParseRow(line, out string? reason))
        {
            throw NotACsv($"it has no header line and line {_lineNumber} is not a NetDrop/seed data row ({reason})");
        }

        _notes.Add(Map.Layout == CsvInputLayout.HeaderlessNetDrop
            ? $"{Path} has no header line; its {fields}-field rows were read with NetDrop's own columns."
            : $"{Path} has no header line; its rows were read with the seed's {CsvColumnMap.SeedColumnCount} columns (timestamp,iteration,interface,total_drops,...,severity){(fields > CsvColumnMap.SeedColumnCount ? $" and {fields - CsvColumnMap.SeedColumnCount} further columns were not read" : "")}.");
        FinishRow();
        _pendingFirstRow = true;
    }

    private CsvColumnMap MapHeader(ReadOnlySpan<byte> line)
    {
        List<string> names = SplitHeader(line);
        CsvColumnMap? map = CsvColumnMap.FromHeader(names, out string? missing);
        if (map is null)
        {
            throw NotACsv($"its header on line {_lineNumber} has no '{missing}' column");
        }

        if (map.IgnoredColumns.Count > 0)
        {
            _notes.Add($"{Path}: columns this version does not know were not read: {string.Join(", ", map.IgnoredColumns)}.");
        }

        return map;
    }

    private AnalyzeInputException NotACsv(string why) =>
        new($"{Path}: not a NetDrop/seed CSV: {why}.");

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryTakeRow(ReadOnlySpan<byte> line, bool terminated)
    {
        // PERF: a data row starts with the timestamp's first digit; only other lines need the checks below.
        if (!line.IsEmpty && (uint)(line[0] - '0') <= 9 && Map is not null)
        {
            return TryRow(line, terminated);
        }

        if (IsBlank(line))
        {
            return false;
        }

        if (Map is null)
        {
            // The file began with blank lines only up to here; cannot happen after ReadFirstLine, kept for safety.
            _malformed.Add(Path, _lineNumber, "a row before any header");
            return false;
        }

        if (CsvColumnMap.LooksLikeHeader(line))
        {
            // Files joined with `cat` carry a header per part; the columns may even differ between them.
            CsvColumnMap? map = CsvColumnMap.FromHeader(SplitHeader(line), out string? missing);
            if (map is null)
            {
                _malformed.Add(Path, _lineNumber, $"a header line without the '{missing}' column");
                return false;
            }

            Map = map;
            _notes.Add($"{Path}: line {_lineNumber} is a further header line (files joined together?); the rows after it were read with its columns.");
            return false;
        }

        return TryRow(line, terminated);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryRow(ReadOnlySpan<byte> line, bool terminated)
    {
        if (TryParseRow(line, out string? reason))
        {
            FinishRow();
            return true;
        }

        _malformed.Add(Path, _lineNumber, terminated ? reason! : $"{reason}; it is the last line and has no line end, so the file was probably cut off while being written");
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FinishRow()
    {
        Current.Line = _lineNumber;
        FirstTimestamp ??= Current.Timestamp;
        Rows++;
    }

    // ---- lines ----

    /// <summary>The next line without its <c>\n</c> (and <c>\r</c>), or false at the end of the stream.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryReadLine(out ReadOnlySpan<byte> line, out bool terminated)
    {
        while (true)
        {
            int newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                int lineStart = _start;
                _start += newline + 1;
                if (_skippingLongLine)
                {
                    _skippingLongLine = false;
                    continue;
                }

                _lineNumber++;
                line = TrimCarriageReturn(_buffer.AsSpan(lineStart, newline));
                terminated = true;
                return true;
            }

            if (_endOfStream)
            {
                if (_start == _end || _skippingLongLine)
                {
                    line = default;
                    terminated = false;
                    return false;
                }

                _lineNumber++;
                line = TrimCarriageReturn(_buffer.AsSpan(_start, _end - _start));
                _start = _end;
                terminated = false;
                return true;
            }

            Fill();
        }
    }

    private void Fill()
    {
        int remaining = _end - _start;
        if (remaining == _buffer.Length)
        {
            // A whole chunk without a line end is not a CSV row of ours; report it and drop bytes up to the next '\n'.
            if (!_skippingLongLine)
            {
                _lineNumber++;
                _malformed.Add(Path, _lineNumber, $"a line longer than {ChunkSize / 1024} KiB");
                _skippingLongLine = true;
            }

            _start = _end = remaining = 0;
        }
        else if (_start > 0)
        {
            _buffer.AsSpan(_start, remaining).CopyTo(_buffer);
            _start = 0;
            _end = remaining;
        }

        int read;
        try
        {
            read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        }
        catch (InvalidDataException ex)
        {
            // A .gz cut short (copied while logrotate was compressing) still holds good rows before the damage.
            _notes.Add($"{Path}: the compressed data is damaged after line {_lineNumber} ({ex.Message.TrimEnd('.')}); the rows before it were read.");
            read = 0;
        }

        if (read == 0)
        {
            _endOfStream = true;
        }

        _end += read;
    }

    private static ReadOnlySpan<byte> TrimCarriageReturn(ReadOnlySpan<byte> line) =>
        !line.IsEmpty && line[^1] == (byte)'\r' ? line[..^1] : line;

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim((byte)' ').IsEmpty;

    // ---- rows ----

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

    private const CsvColumnRole LastIntegerRole = CsvColumnRole.Iteration;

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
    private uint UnavailableMaskOf(ReadOnlySpan<byte> cell)
    {
        if (cell.IsEmpty)
        {
            return 0;
        }

        if (_lastUnavailableLength == cell.Length && cell.SequenceEqual(_lastUnavailable.AsSpan(0, _lastUnavailableLength)))
        {
            return _lastUnavailableMask;
        }

        uint mask = 0;
        foreach (string name in Encoding.UTF8.GetString(cell).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (DropCategories.Find(name) is { } category)
            {
                mask |= 1u << category.Id;
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
