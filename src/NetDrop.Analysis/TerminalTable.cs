using System.Text;

namespace NetDrop.Analysis;

/// <summary>
/// A box-drawn table for the terminal report: columns sized to their content, the widest wrappable column wrapped
/// at word boundaries when the table would not fit, ANSI styles applied per cell only when colours are on.
/// Written here rather than taken from a terminal library because under the JIT such a library's first render cost
/// more than analysing a month of log (see bench/analyze/README.md).
/// </summary>
internal sealed class TerminalTable
{
    private readonly List<Column> _columns = [];
    private readonly List<Cell[]?> _rows = [];

    public string? Caption { get; set; }

    public TerminalTable AddColumn(string header, bool rightAligned = false, bool wrap = false)
    {
        _columns.Add(new Column(header, rightAligned, wrap));
        return this;
    }

    public void AddRow(params Cell[] cells)
    {
        if (cells.Length != _columns.Count)
        {
            throw new ArgumentException($"{cells.Length} cells for {_columns.Count} columns", nameof(cells));
        }

        _rows.Add(cells);
    }

    /// <summary>A blank separator row.</summary>
    public void AddEmptyRow() => _rows.Add(null);

    public void Write(TextWriter output, int width, bool color)
    {
        int[] widths = new int[_columns.Count];
        for (int c = 0; c < _columns.Count; c++)
        {
            widths[c] = _columns[c].Header.Length;
            foreach (Cell[]? row in _rows)
            {
                if (row is not null)
                {
                    widths[c] = Math.Max(widths[c], row[c].Text.Length);
                }
            }
        }

        Fit(widths, width);
        string border = color ? TerminalStyle.Dim.Start : "";
        string reset = color ? "\u001b[0m" : "";

        Line(output, widths, '╭', '┬', '╮', border, reset);
        WriteCells(output, widths, [.. _columns.Select(c => new Cell(c.Header, TerminalStyle.Bold))], color, border, reset);
        Line(output, widths, '├', '┼', '┤', border, reset);
        foreach (Cell[]? row in _rows)
        {
            WriteCells(output, widths, row ?? [.. _columns.Select(_ => Cell.Empty)], color, border, reset);
        }

        Line(output, widths, '╰', '┴', '╯', border, reset);
        if (Caption is not null)
        {
            output.Write(color ? TerminalStyle.Dim.Start + Caption + reset : Caption);
            output.Write('\n');
        }
    }

    /// <summary>Shrinks wrappable columns, widest first, until the table fits in <paramref name="width"/>.</summary>
    private void Fit(int[] widths, int width)
    {
        // Each column costs its content plus a space either side and a border.
        int total = widths.Sum() + (3 * widths.Length) + 1;
        while (total > width)
        {
            int widest = -1;
            for (int c = 0; c < widths.Length; c++)
            {
                if (_columns[c].Wrap && widths[c] > 12 && (widest < 0 || widths[c] > widths[widest]))
                {
                    widest = c;
                }
            }

            if (widest < 0)
            {
                return;
            }

            int shrink = Math.Min(total - width, widths[widest] - 12);
            widths[widest] -= shrink;
            total -= shrink;
        }
    }

    private void WriteCells(TextWriter output, int[] widths, Cell[] cells, bool color, string border, string reset)
    {
        var wrapped = new List<string>[cells.Length];
        int height = 1;
        for (int c = 0; c < cells.Length; c++)
        {
            wrapped[c] = Wrap(cells[c].Text, widths[c]);
            height = Math.Max(height, wrapped[c].Count);
        }

        var line = new StringBuilder();
        for (int y = 0; y < height; y++)
        {
            line.Clear();
            line.Append(border).Append('│').Append(reset);
            for (int c = 0; c < cells.Length; c++)
            {
                string text = y < wrapped[c].Count ? wrapped[c][y] : "";
                int pad = widths[c] - text.Length;
                line.Append(' ');
                if (_columns[c].RightAligned)
                {
                    line.Append(' ', pad);
                }

                bool styled = color && !cells[c].Style.IsNone && text.Length > 0;
                line.Append(styled ? cells[c].Style.Start : "").Append(text).Append(styled ? "\u001b[0m" : "");
                if (!_columns[c].RightAligned)
                {
                    line.Append(' ', pad);
                }

                line.Append(' ').Append(border).Append('│').Append(reset);
            }

            output.Write(line.Append('\n').ToString());
        }
    }

    private static void Line(TextWriter output, int[] widths, char left, char middle, char right, string border, string reset)
    {
        var line = new StringBuilder(border).Append(left);
        for (int c = 0; c < widths.Length; c++)
        {
            line.Append('─', widths[c] + 2).Append(c == widths.Length - 1 ? right : middle);
        }

        output.Write(line.Append(reset).Append('\n').ToString());
    }

    /// <summary>Breaks text into lines of at most <paramref name="width"/> characters, at spaces where it can.</summary>
    internal static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        if (text.Length <= width)
        {
            lines.Add(text);
            return lines;
        }

        int start = 0;
        while (start < text.Length)
        {
            if (text.Length - start <= width)
            {
                lines.Add(text[start..]);
                break;
            }

            int cut = text.LastIndexOf(' ', start + width, width + 1);
            if (cut <= start)
            {
                cut = start + width;   // one word longer than the column: break it
                lines.Add(text[start..cut]);
                start = cut;
                continue;
            }

            lines.Add(text[start..cut].TrimEnd());
            start = cut + 1;
        }

        return lines;
    }

    private sealed record Column(string Header, bool RightAligned, bool Wrap);

    /// <summary>One table cell: plain text (its length is its width) and how to colour it.</summary>
    internal readonly record struct Cell(string Text, TerminalStyle Style)
    {
        public static Cell Empty { get; } = new("", TerminalStyle.None);

        public static implicit operator Cell(string text) => new(text, TerminalStyle.None);
    }
}
