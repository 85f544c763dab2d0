using System.Text;

namespace NetDrop.Configuration;

/// <summary>
/// Writes the effective configuration as YAML that <c>--config</c> accepts back, each value followed by where it
/// came from, secrets redacted:
/// <code>
/// interval: 5s                              # default
/// otlp:
///   endpoint: http://collector:4317         # environment NETDROP_OTLP_ENDPOINT
///   headers: '***'                          # netdrop.yaml:14:12
/// </code>
/// </summary>
internal static class ConfigRenderer
{
    private const int CommentColumn = 44;

    private static readonly System.Buffers.SearchValues<char> s_needsQuotes = System.Buffers.SearchValues.Create("*?[]{}:#,&!|>'\"%@`");

    public static string Render(NetDropConfiguration configuration)
    {
        var text = new StringBuilder();
        text.Append("# NetDrop effective configuration: defaults < ")
            .Append(configuration.ConfigFile ?? "(no config file)")
            .Append(" < NETDROP_* environment < command line\n");
        string? section = null;
        foreach (ConfigEntry entry in configuration.Entries)
        {
            int dot = entry.Path.IndexOf('.', StringComparison.Ordinal);
            string? entrySection = dot < 0 ? null : entry.Path[..dot];
            if (entrySection != section && entrySection is not null)
            {
                text.Append(entrySection).Append(":\n");
            }

            section = entrySection;
            string key = dot < 0 ? entry.Path : "  " + entry.Path[(dot + 1)..];
            string line = $"{key}: {Value(entry)}";
            text.Append(line).Append(' ', Math.Max(1, CommentColumn - line.Length)).Append("# ").Append(entry.Origin).Append('\n');
        }

        return text.ToString();
    }

    private static string Value(ConfigEntry entry)
    {
        if (ConfigKeys.Find(entry.Path)?.Secret == true && entry.Text.Length > 0)
        {
            return "'***'";
        }

        if (entry.Items is not null)
        {
            return "[" + string.Join(", ", entry.Items.Select(Scalar)) + "]";
        }

        return Scalar(entry.Text);
    }

    // Quote what YAML would otherwise read differently: empty strings, globs, leading symbols, colons.
    private static string Scalar(string value) =>
        value.Length == 0 || value.AsSpan().ContainsAny(s_needsQuotes) || value != value.Trim()
            ? "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'"
            : value;
}
