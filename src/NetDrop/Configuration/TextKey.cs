namespace NetDrop.Configuration;

/// <summary>Free text (a path, a URL, an address); an empty default means "off".</summary>
/// <param name="IsSecret">Redacted by <c>config show</c> (see <see cref="ConfigKey.Secret"/>).</param>
internal sealed record TextKey(string Path, string Default, bool IsSecret = false) : ConfigKey(Path)
{
    public override string DefaultText => Default;

    public override bool Secret => IsSecret;
}
