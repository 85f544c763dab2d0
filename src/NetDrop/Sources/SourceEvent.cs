namespace NetDrop.Sources;

/// <summary>What an operational message about a kernel source says (each has its own log event id).</summary>
internal enum SourceEvent
{
    /// <summary>Reads started failing; the source's categories are marked unavailable.</summary>
    Unavailable,

    /// <summary>Reads succeed again.</summary>
    Recovered,

    /// <summary>The circuit breaker stopped reading the source for a while.</summary>
    CircuitOpened,

    /// <summary>The circuit breaker's probe read succeeded; the source is read every sample again.</summary>
    CircuitClosed,

    /// <summary>Anything else said once at start (e.g. ethtool statistics unavailable).</summary>
    Notice,
}
