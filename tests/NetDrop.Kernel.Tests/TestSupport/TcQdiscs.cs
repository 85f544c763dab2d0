using System.Globalization;
using System.Text.Json;

namespace NetDrop.Kernel.Tests.TestSupport;

/// <summary>
/// The oracle for qdisc statistics: <c>tc -s -j qdisc show invisible</c> (iproute2), parsed from its JSON. Handles are
/// converted back to the kernel's 32-bit major:minor form.
/// </summary>
internal static class TcQdiscs
{
    public const string Command = "tc -s -j qdisc show invisible";

    public static List<TcQdisc> Parse(string json)
    {
        var result = new List<TcQdisc>();
        using var document = JsonDocument.Parse(json);
        foreach (JsonElement qdisc in document.RootElement.EnumerateArray())
        {
            bool root = qdisc.TryGetProperty("root", out JsonElement isRoot) && isRoot.GetBoolean();
            uint parent = root ? 0xFFFFFFFF : ParseHandle(qdisc.GetProperty("parent").GetString()!);
            result.Add(new TcQdisc(
                qdisc.GetProperty("dev").GetString()!,
                qdisc.GetProperty("kind").GetString()!,
                ParseHandle(qdisc.GetProperty("handle").GetString()!),
                parent,
                qdisc.GetProperty("bytes").GetUInt64(),
                qdisc.GetProperty("packets").GetUInt64(),
                qdisc.GetProperty("drops").GetUInt64(),
                qdisc.GetProperty("overlimits").GetUInt64(),
                qdisc.GetProperty("requeues").GetUInt64(),
                qdisc.GetProperty("backlog").GetUInt64(),
                qdisc.GetProperty("qlen").GetUInt64()));
        }

        return result;
    }

    /// <summary>"1:" → 0x00010000, "ffff:fff1" → 0xFFFFFFF1, as tc prints them (hex, minor omitted when 0).</summary>
    public static uint ParseHandle(string text)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        uint major = uint.Parse(text.AsSpan(0, colon), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        ReadOnlySpan<char> minorText = text.AsSpan(colon + 1);
        uint minor = minorText.IsEmpty
            ? 0
            : uint.Parse(minorText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        return (major << 16) | minor;
    }
}
