namespace NetDrop.Analysis;

/// <summary>Lines, styled when colours are on, wrapped to the layout width.</summary>
internal sealed class TextReportWriter(TextWriter output, bool color, int width)
{
    public int Width { get; } = width;

    public void Line(string text = "", TerminalStyle? style = null)
    {
        bool styled = color && style is { IsNone: false } && text.Length > 0;
        output.Write(styled ? style!.Start + text + TextReportRenderer.Reset : text);
        output.Write('\n');
    }

    public void Table(TerminalTable table)
    {
        table.Write(output, Width, color);
        Line();
    }

    /// <summary>Text after a first-line prefix, continuation lines indented.</summary>
    public void Wrapped(string text, string prefix, string indent, TerminalStyle style)
    {
        List<string> lines = TerminalTable.Wrap(text, Math.Max(20, Width - prefix.Length));
        for (int i = 0; i < lines.Count; i++)
        {
            output.Write(i == 0 ? prefix : indent);
            Line(lines[i], style);
        }
    }

    /// <summary>An aligned two-column list: labels padded to the longest, values wrapped beside them.</summary>
    /// <param name="coloredValues">Values already painted with several colours, by key; used instead of the plain value when colours are on.</param>
    public void KeyValues(IReadOnlyList<(string Key, string Value, TerminalStyle Style)> rows, bool boldKeys = false, Dictionary<string, string>? coloredValues = null)
    {
        int keyWidth = rows.Select(r => r.Key.Length).DefaultIfEmpty(0).Max();
        string indent = new(' ', keyWidth + 5);
        foreach ((string key, string value, TerminalStyle style) in rows)
        {
            List<string> lines = TerminalTable.Wrap(value, Math.Max(20, Width - indent.Length));
            output.Write("  ");
            output.Write(color && boldKeys ? TerminalStyle.Bold.Start + key + TextReportRenderer.Reset : key);
            output.Write(new string(' ', keyWidth - key.Length + 3));
            if (color && coloredValues is not null && coloredValues.TryGetValue(key, out string? painted))
            {
                output.Write(painted);
                output.Write('\n');
                continue;
            }

            Line(lines[0], style);
            foreach (string more in lines.Skip(1))
            {
                output.Write(indent);
                Line(more, style);
            }
        }
    }
}
