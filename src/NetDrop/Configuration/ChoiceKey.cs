namespace NetDrop.Configuration;

/// <summary>One of a fixed set of words; <paramref name="Default"/> is one of <paramref name="Choices"/>.</summary>
internal sealed record ChoiceKey(string Path, string Default, string[] Choices) : ConfigKey(Path)
{
    public override string DefaultText => Default;
}
