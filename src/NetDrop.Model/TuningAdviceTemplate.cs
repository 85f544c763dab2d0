using System.Text;

namespace NetDrop.Model;

/// <summary>
/// A category's tuning advice, written once for both of its readers: the CRIT log records, which quote the live value
/// of every setting they name, and <c>analyze</c>, which runs later and names the settings only. The text is plain
/// with three kinds of placeholder:
/// <code>
/// {IF}                          the interface ("IF" when unknown)
/// {net.core.somaxconn}          a sysctl: "net.core.somaxconn (now 4096)" live, `net.core.somaxconn` offline
/// {txqueuelen=IF/tx_queue_len}  a label and its live source, here /sys/class/net/IF/tx_queue_len
/// </code>
/// Backticks mark commands and names; the report formats show them as code, the plain-text log records drop them.
/// </summary>
internal sealed class TuningAdviceTemplate
{
    private const string InterfacePlaceholder = "IF";
    private const string InterfaceSourcePrefix = "IF/";

    private readonly Part[] _parts;

    public TuningAdviceTemplate(string template)
    {
        Template = template;
        _parts = Parse(template);
    }

    /// <summary>The template as written, placeholders included.</summary>
    public string Template { get; }

    /// <summary>The advice for a report read later, without live values: settings are named, in backticks.</summary>
    /// <param name="interfaceName">The interface when the report knows a single one; otherwise "IF" is written.</param>
    public string RenderOffline(string? interfaceName = null)
    {
        var text = new StringBuilder();
        foreach (Part part in _parts)
        {
            switch (part.Kind)
            {
                case PartKind.Text:
                    text.Append(part.Value);
                    break;
                case PartKind.Interface:
                    text.Append(interfaceName ?? InterfacePlaceholder);
                    break;
                default:
                    text.Append('`').Append(part.Value).Append('`');
                    break;
            }
        }

        return text.ToString();
    }

    /// <summary>The advice with the live value of every setting it names, for a log record (plain text, no backticks).</summary>
    public string RenderLive(string interfaceName, ILiveSettings settings)
    {
        var text = new StringBuilder();
        foreach (Part part in _parts)
        {
            switch (part.Kind)
            {
                case PartKind.Text:
                    text.Append(part.Value.Replace("`", "", StringComparison.Ordinal));
                    break;
                case PartKind.Interface:
                    text.Append(interfaceName);
                    break;
                case PartKind.Sysctl:
                    text.Append(part.Value).Append(" (now ").Append(settings.Sysctl(part.Source)).Append(')');
                    break;
                default:
                    text.Append(part.Value).Append(" (now ").Append(settings.InterfaceAttribute(interfaceName, part.Source)).Append(')');
                    break;
            }
        }

        return text.ToString();
    }

    public override string ToString() => Template;

    private static Part[] Parse(string template)
    {
        var parts = new List<Part>();
        int start = 0;
        while (start < template.Length)
        {
            int open = template.IndexOf('{', start);
            if (open < 0)
            {
                parts.Add(new Part(PartKind.Text, template[start..], ""));
                break;
            }

            int close = template.IndexOf('}', open);
            if (close < 0)
            {
                throw new ArgumentException($"advice template has an unclosed '{{' at {open}: {template}", nameof(template));
            }

            if (open > start)
            {
                parts.Add(new Part(PartKind.Text, template[start..open], ""));
            }

            parts.Add(Placeholder(template[(open + 1)..close], template));
            start = close + 1;
        }

        return [.. parts];
    }

    private static Part Placeholder(string body, string template)
    {
        if (body == InterfacePlaceholder)
        {
            return new Part(PartKind.Interface, "", "");
        }

        int equals = body.IndexOf('=', StringComparison.Ordinal);
        string label = equals < 0 ? body : body[..equals];
        string source = equals < 0 ? body : body[(equals + 1)..];
        if (label.Length == 0 || source.Length == 0 || label.Contains('{', StringComparison.Ordinal))
        {
            throw new ArgumentException($"advice template has an empty or broken placeholder '{{{body}}}': {template}", nameof(template));
        }

        if (source.StartsWith(InterfaceSourcePrefix, StringComparison.Ordinal))
        {
            return new Part(PartKind.InterfaceAttribute, label, source[InterfaceSourcePrefix.Length..]);
        }

        // A sysctl's dotted name; "net.core.somaxconn" reads /proc/sys/net/core/somaxconn.
        if (!source.StartsWith("net.", StringComparison.Ordinal) && !source.StartsWith("vm.", StringComparison.Ordinal))
        {
            throw new ArgumentException($"advice template placeholder '{{{body}}}' is neither IF, IF/attribute nor a net. or vm. sysctl: {template}", nameof(template));
        }

        return new Part(PartKind.Sysctl, label, source);
    }

    private enum PartKind
    {
        Text,
        Interface,
        Sysctl,
        InterfaceAttribute,
    }

    /// <param name="Value">The text, or the label a setting is shown under.</param>
    /// <param name="Source">Where a setting's live value is read: the sysctl name or the interface attribute.</param>
    private readonly record struct Part(PartKind Kind, string Value, string Source);
}
