using Microsoft.Extensions.Logging;

namespace NetDrop.Sinks.Telemetry;

/// <summary>
/// Log event ids, grouped by area: 1xxx sampling, 2xxx sources, 3xxx export (4xxx configuration is reserved).
/// Operators alert on them: an id is never reused for another meaning, and a retired id stays listed here.
/// </summary>
internal static class LogEventIds
{
    public static readonly EventId Crit = new(1001, NetDropSemanticConventions.CritEventName);
    public static readonly EventId Recovered = new(1002, NetDropSemanticConventions.RecoveredEventName);

    /// <summary>Sampling stopped for good (the process exits 1).</summary>
    public static readonly EventId SamplingStopped = new(1003, "netdrop.sampling.stopped");

    public static readonly EventId SourceUnavailable = new(2001, "netdrop.source.unavailable");
    public static readonly EventId SourceRecovered = new(2002, "netdrop.source.recovered");
    public static readonly EventId SourceCircuitOpened = new(2003, "netdrop.source.circuit_opened");
    public static readonly EventId SourceCircuitClosed = new(2004, "netdrop.source.circuit_closed");

    /// <summary>Something about a source said once that is neither a failure nor a recovery (e.g. no ethtool).</summary>
    public static readonly EventId SourceNotice = new(2005, "netdrop.source.notice");

    public static readonly EventId ExportFailing = new(3001, "netdrop.export.failing");
    public static readonly EventId ExportRecovered = new(3002, "netdrop.export.recovered");

    /// <summary>Log records kept across a collector outage were dropped because the retention bound was reached.</summary>
    public static readonly EventId ExportRecordsDropped = new(3003, "netdrop.export.records_dropped");

    /// <summary>The CSV could not be written (disk full, read-only, directory gone); sampling and export go on.</summary>
    public static readonly EventId CsvFailing = new(4001, "netdrop.csv.failing");

    /// <summary>The CSV is being written again; the rows kept meanwhile follow.</summary>
    public static readonly EventId CsvRecovered = new(4002, "netdrop.csv.recovered");
}
