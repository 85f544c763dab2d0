using System.IO.Compression;
using System.Runtime.CompilerServices;
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
internal sealed partial class CsvSampleReader : IDisposable
{
    private const int ChunkSize = 1 << 20;

    /// <summary>Roles up to this one hold integers (see <see cref="CsvColumnRole"/>'s order).</summary>
    private const CsvColumnRole LastIntegerRole = CsvColumnRole.Iteration;

    private static readonly byte[] s_ok = "OK"u8.ToArray();
    private static readonly byte[] s_warn = "WARN"u8.ToArray();
    private static readonly byte[] s_crit = "CRIT"u8.ToArray();

    private readonly Stream _stream;
    private readonly CsvSchema _schema;
    private readonly InterfaceTable _interfaces;
    private readonly MalformedLineLog _malformed;
    private readonly List<string> _notes = [];
    private byte[] _buffer = new byte[ChunkSize];
    private int _start;
    private int _end;
    private bool _endOfStream;
    private bool _skippingLongLine;
    private long _lineNumber;

    // A header-less file's first line is already parsed when the columns are decided; MoveNext hands it out first.
    private bool _pendingFirstRow;

    // PERF: consecutive rows almost always repeat the interface and unavailable cells; compare bytes, decode only on change.
    private byte[] _lastInterface = new byte[64];
    private int _lastInterfaceLength = -1;
    private int _lastInterfaceId;
    private byte[] _lastUnavailable = new byte[64];
    private int _lastUnavailableLength = -1;
    private ulong _lastUnavailableMask;
    private readonly byte[] _lastDate = new byte[10];
    private long _lastDayStart = -1;

    // Scratch for the quoted-line path: unescaped cell bytes and their ranges.
    private byte[] _quotedScratch = new byte[256];
    private readonly List<Range> _quotedCells = [];

    private CsvSampleReader(Stream stream, string path, int fileIndex, bool compressed, CsvSchema schema, InterfaceTable interfaces, MalformedLineLog malformed)
    {
        _stream = stream;
        _schema = schema;
        Path = path;
        FileIndex = fileIndex;
        Compressed = compressed;
        _interfaces = interfaces;
        _malformed = malformed;
        Current = new DropSample(schema.Table.Count) { FileIndex = fileIndex };
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

    /// <summary>
    /// Opens a file (or <c>-</c> for standard input), detects gzip by its magic bytes, and reads the first line to learn
    /// the columns by name from <paramref name="schema"/> (a column whose name is no row of its table is read past).
    /// Throws <see cref="AnalyzeInputException"/> when the file is missing or not a NetDrop/seed CSV.
    /// </summary>
    public static CsvSampleReader Open(string path, int fileIndex, CsvSchema schema, InterfaceTable interfaces, MalformedLineLog malformed)
    {
        Stream stream = OpenStream(path, out bool compressed);
        var reader = new CsvSampleReader(stream, path, fileIndex, compressed, schema, interfaces, malformed);
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

        Map = CsvColumnMap.ForHeaderless(fields, _schema);
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
        CsvColumnMap? map = CsvColumnMap.FromHeader(names, _schema, out string? missing);
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
            CsvColumnMap? map = CsvColumnMap.FromHeader(SplitHeader(line), _schema, out string? missing);
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
        Rows++;
    }

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
}
