namespace NetDrop.Configuration;

/// <summary>One configured value and where it came from, so an error can point at the exact place to fix.</summary>
/// <param name="Origin">"netdrop.yaml:12:3", "environment NETDROP_INTERVAL" or "--interval".</param>
/// <param name="Items">The elements when the value is a list; null for a scalar.</param>
internal sealed record ConfigEntry(string Path, string Text, IReadOnlyList<string>? Items, string Origin);
