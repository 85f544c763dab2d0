namespace NetDrop.Configuration;

/// <summary>A list of names or globs (a YAML sequence, or comma-separated in the environment); empty by default.</summary>
internal sealed record ListKey(string Path) : ConfigKey(Path)
{
    public override string DefaultText => "";
}
