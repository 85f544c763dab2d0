using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetDrop.Sources;

namespace NetDrop.Sinks.Telemetry;

/// <summary>
/// The agent's operational events (a source unavailable or back, a circuit opened or closed, export failing or
/// recovered, records lost to the retention bound, a fatal stop): each is one line on stderr, always, and one log
/// record with a stable event id (<see cref="LogEventIds"/>) once an <see cref="ILogger"/> is attached, so it reaches
/// OTLP and can be alerted on.
/// </summary>
/// <remarks>
/// The logger is attached after the host is built (the OpenTelemetry logger provider exists only then); an event
/// raised before that, or with export off, goes to stderr only.
/// </remarks>
internal sealed class OperationalLog
{
    private readonly TextWriter _stderr;
    private ILogger _logger = NullLogger.Instance;

    public OperationalLog(TextWriter stderr)
    {
        _stderr = stderr;
    }

    public void Attach(ILogger logger) => Volatile.Write(ref _logger, logger);

    /// <summary>Writes <c>netdrop: message</c> to stderr and logs the record with its attributes.</summary>
    public void Write(LogLevel level, EventId eventId, string message, params ReadOnlySpan<KeyValuePair<string, object?>> attributes)
    {
        _stderr.WriteLine("netdrop: " + message);
        Record(level, eventId, message, attributes);
    }

    /// <summary>Logs a message a component has already written to stderr itself (the CSV's own lines).</summary>
    public void Log(LogLevel level, EventId eventId, string message, params ReadOnlySpan<KeyValuePair<string, object?>> attributes) =>
        Record(level, eventId, message, attributes);

    /// <summary>
    /// Logs a source's operational message, which <see cref="SourceHealth"/> has already written to stderr, with the
    /// event id of its kind and the source as <c>netdrop.source</c>.
    /// </summary>
    public void Source(SourceEvent kind, string source, string message)
    {
        (LogLevel level, EventId eventId) = kind switch
        {
            SourceEvent.Unavailable => (LogLevel.Warning, LogEventIds.SourceUnavailable),
            SourceEvent.Recovered => (LogLevel.Information, LogEventIds.SourceRecovered),
            SourceEvent.CircuitOpened => (LogLevel.Warning, LogEventIds.SourceCircuitOpened),
            SourceEvent.CircuitClosed => (LogLevel.Information, LogEventIds.SourceCircuitClosed),
            _ => (LogLevel.Information, LogEventIds.SourceNotice),
        };
        Record(level, eventId, message, [KeyValuePair.Create<string, object?>(NetDropSemanticConventions.AttributeSource, source)]);
    }

    private void Record(LogLevel level, EventId eventId, string message, ReadOnlySpan<KeyValuePair<string, object?>> attributes)
    {
        ILogger logger = Volatile.Read(ref _logger);
        if (!logger.IsEnabled(level))
        {
            return;
        }

        var state = new LogAttributes(message);
        foreach (KeyValuePair<string, object?> attribute in attributes)
        {
            state.Add(attribute.Key, attribute.Value);
        }

        logger.Log(level, eventId, state, null, static (s, _) => s.Body);
    }
}
