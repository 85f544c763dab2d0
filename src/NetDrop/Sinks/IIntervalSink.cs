using NetDrop.Deltas;

namespace NetDrop.Sinks;

/// <summary>Receives each interval's report: the console, the CSV, later the telemetry exporter.</summary>
internal interface IIntervalSink
{
    void Write(IntervalReport report);
}
