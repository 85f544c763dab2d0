using Microsoft.Extensions.Logging;

namespace NetDrop.Telemetry;

/// <summary>
/// Log event ids, grouped by area (1xxx sampling, 2xxx sources, 3xxx export, 4xxx configuration). Operators alert on
/// them: an id is never reused for another meaning.
/// </summary>
internal static class LogEventIds
{
    public static readonly EventId Crit = new(1001, NetDropSemanticConventions.CritEventName);
    public static readonly EventId Recovered = new(1002, NetDropSemanticConventions.RecoveredEventName);
    public static readonly EventId InterfaceChanged = new(1003, "netdrop.interface.changed");
    public static readonly EventId SourceUnavailable = new(2001, "netdrop.source.unavailable");
    public static readonly EventId SourceRecovered = new(2002, "netdrop.source.recovered");
    public static readonly EventId Started = new(4001, "netdrop.started");
}
