namespace NetDrop.Configuration;

/// <summary>One configuration key: its dotted path in YAML, its kind, and how it is shown.</summary>
/// <param name="Path">Dotted path, e.g. <c>csv.path</c>; the environment name is <c>NETDROP_CSV_PATH</c>.</param>
/// <param name="Default">The value used when no source sets the key, as text.</param>
/// <param name="Choices">The allowed values of a <see cref="ConfigValueKind.Choice"/> key.</param>
/// <param name="Secret">Redacted by <c>config show</c> (OTLP headers carry API keys).</param>
internal sealed record ConfigKey(string Path, ConfigValueKind Kind, string Default, string[]? Choices = null, bool Secret = false)
{
    public string EnvironmentName => "NETDROP_" + Path.Replace('.', '_').ToUpperInvariant();
}
