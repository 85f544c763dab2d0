namespace NetDrop.Tests.Telemetry;

/// <summary>
/// One number data point of an OTLP metrics export as it arrived on the wire: which export request (in arrival order)
/// carried it, the metric's name, the point's attributes (values as text), its value and the Sum's temporality.
/// </summary>
internal sealed record ExportedDataPoint(
    int Export,
    string Metric,
    IReadOnlyDictionary<string, string> Attributes,
    long Value,
    ExportedTemporality Temporality)
{
    public string? AttributeOrNull(string key) => Attributes.TryGetValue(key, out string? value) ? value : null;
}
