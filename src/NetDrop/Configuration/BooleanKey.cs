namespace NetDrop.Configuration;

/// <summary>true or false (also yes/no, on/off, as YAML 1.1 writes them).</summary>
internal sealed record BooleanKey(string Path, bool Default) : ConfigKey(Path)
{
    public override string DefaultText => Default ? "true" : "false";
}
