using System.Globalization;

namespace NetDrop.Configuration;

/// <summary>A duration (<c>5s</c>, <c>500ms</c>, <c>0.5</c>), accepted from <paramref name="Minimum"/> to <paramref name="Maximum"/>.</summary>
internal sealed record DurationKey(string Path, TimeSpan Default, TimeSpan Minimum, TimeSpan Maximum) : ConfigKey(Path)
{
    public override string DefaultText => DurationText.Format(Default);

    /// <summary>"from 0.01s to 3600s", in seconds as the seed's INTERVAL was.</summary>
    public string RangeText => string.Create(CultureInfo.InvariantCulture, $"from {Minimum.TotalSeconds}s to {Maximum.TotalSeconds}s");
}
