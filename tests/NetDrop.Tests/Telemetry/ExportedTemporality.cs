namespace NetDrop.Tests.Telemetry;

/// <summary>OTLP's AggregationTemporality (opentelemetry-proto metrics.proto), plus Gauge for points that have none.</summary>
internal enum ExportedTemporality
{
    Gauge = 0,
    Delta = 1,
    Cumulative = 2,
}
