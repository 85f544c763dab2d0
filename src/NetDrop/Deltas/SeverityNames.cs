namespace NetDrop.Deltas;

/// <summary>Severity as the seed wrote it in the CSV (<c>OK</c>, <c>WARN</c>, <c>CRIT</c>) and on the console.</summary>
internal static class SeverityNames
{
    public static string Text(Severity severity) => severity switch
    {
        Severity.Crit => "CRIT",
        Severity.Warn => "WARN",
        _ => "OK",
    };

    public static ReadOnlySpan<byte> Utf8(Severity severity) => severity switch
    {
        Severity.Crit => "CRIT"u8,
        Severity.Warn => "WARN"u8,
        _ => "OK"u8,
    };

    /// <summary>The seed's console marks: ✓ OK, ⚠ WARN, ✖ CRIT.</summary>
    public static string Symbol(Severity severity) => severity switch
    {
        Severity.Crit => "✖",
        Severity.Warn => "⚠",
        _ => "✓",
    };
}
