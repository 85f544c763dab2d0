namespace NetDrop.Configuration;

/// <summary>
/// One configuration key: its dotted path in YAML, what it holds, its default and its allowed range. The subtypes
/// (<see cref="DurationKey"/>, <see cref="IntegerKey"/>, ...) carry the typed default and range, so the binder, the
/// options' initial values, <c>config show</c> and <c>--help</c> all read the same fact from <see cref="ConfigKeys"/>.
/// </summary>
/// <param name="Path">Dotted path, e.g. <c>csv.path</c>; the environment name is built from it (<see cref="EnvironmentName"/>).</param>
internal abstract record ConfigKey(string Path)
{
    /// <summary>The default as <c>config show</c> prints it and a YAML file would write it ("5s", "100", "" for none).</summary>
    public abstract string DefaultText { get; }

    /// <summary>Redacted by <c>config show</c> and in error messages (OTLP headers carry API keys).</summary>
    public virtual bool Secret => false;

    /// <summary><c>NETDROP_</c> and the path in capitals with <c>_</c> for <c>.</c>: <c>csv.max_files</c> is <c>NETDROP_CSV_MAX_FILES</c>.</summary>
    public string EnvironmentName => ConfigKeys.EnvironmentName(Path);
}
