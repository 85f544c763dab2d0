using System.Globalization;
using NetDrop.Model;

namespace NetDrop.Analysis;

/// <summary>ANSI SGR sequences for the terminal report; <see cref="None"/> when colours are off.</summary>
internal sealed class TerminalStyle
{
    private TerminalStyle(string start)
    {
        Start = start;
    }

    public static TerminalStyle None { get; } = new("");

    public static TerminalStyle Bold { get; } = new("\u001b[1m");

    public static TerminalStyle Dim { get; } = new("\u001b[90m");

    public static TerminalStyle Red { get; } = new("\u001b[1;31m");

    public static TerminalStyle Yellow { get; } = new("\u001b[33m");

    public static TerminalStyle Green { get; } = new("\u001b[32m");

    public string Start { get; }

    public bool IsNone => Start.Length == 0;

    public static TerminalStyle Rgb((byte Red, byte Green, byte Blue) color) =>
        new(string.Create(CultureInfo.InvariantCulture, $"\u001b[38;2;{color.Red};{color.Green};{color.Blue}m"));

    public static TerminalStyle Of(DropCategory category) => Rgb(CategoryPalette.Rgb(category));

    public static TerminalStyle Of(IntervalSeverity severity) => severity switch
    {
        IntervalSeverity.Crit => Red,
        IntervalSeverity.Warn => Yellow,
        IntervalSeverity.Ok => Green,
        _ => None,
    };
}
