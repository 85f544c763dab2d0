using Microsoft.Extensions.Logging;

namespace NetDrop.Telemetry;

/// <summary>
/// Log event ids, grouped by area (1xxx sampling; 2xxx sources, 3xxx export and 4xxx configuration are reserved). Operators alert on
/// them: an id is never reused for another meaning.
/// </summary>
internal static class LogEventIds
{
    public static readonly EventId Crit = new(1001, NetDropSemanticConventions.CritEventName);
    public static readonly EventId Recovered = new(1002, NetDropSemanticConventions.RecoveredEventName);
}
