using System.Globalization;

namespace NetDrop.Configuration;

/// <summary>A whole number from <paramref name="Minimum"/> to <paramref name="Maximum"/>.</summary>
/// <param name="Default">Null for a key that is unset unless configured (a category's own threshold).</param>
internal sealed record IntegerKey(string Path, long? Default, long Minimum, long Maximum = long.MaxValue) : ConfigKey(Path)
{
    public override string DefaultText => Default is { } value ? value.ToString(CultureInfo.InvariantCulture) : "";

    /// <summary>"of 1 or more" when there is no upper bound to speak of, else "from 1 to 1000".</summary>
    public string RangeText => Maximum == long.MaxValue
        ? string.Create(CultureInfo.InvariantCulture, $"of {Minimum} or more")
        : string.Create(CultureInfo.InvariantCulture, $"from {Minimum} to {Maximum}");
}
