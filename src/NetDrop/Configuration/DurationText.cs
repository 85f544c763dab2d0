using System.Globalization;

namespace NetDrop.Configuration;

/// <summary>Durations as people write them: <c>5</c> or <c>0.5</c> (seconds, as the seed's INTERVAL), <c>500ms</c>, <c>5s</c>, <c>1m</c>, <c>1h</c>.</summary>
internal static class DurationText
{
    /// <summary>The longest duration parsed at all (about 31 years); every key's own range is far shorter.</summary>
    public const double MaxSeconds = 1e9;

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        ReadOnlySpan<char> span = text.AsSpan().Trim();
        double scale = 1;
        if (span.EndsWith("ms", StringComparison.Ordinal))
        {
            span = span[..^2];
            scale = 0.001;
        }
        else if (span.EndsWith('s'))
        {
            span = span[..^1];
        }
        else if (span.EndsWith('m'))
        {
            span = span[..^1];
            scale = 60;
        }
        else if (span.EndsWith('h'))
        {
            span = span[..^1];
            scale = 3600;
        }

        // Beyond MaxSeconds no setting makes sense, and TimeSpan.FromSeconds throws on anything past ~29,000 years
        // ("99999999999h"): refuse it here, so the caller's range check names the key.
        if (!double.TryParse(span, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value) ||
            !double.IsFinite(value) || value * scale > MaxSeconds)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(value * scale);
        return true;
    }

    public static string Format(TimeSpan duration) =>
        duration.TotalMilliseconds < 1000 && duration.TotalMilliseconds % 1 == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:0}ms")
            : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.###}s");
}
