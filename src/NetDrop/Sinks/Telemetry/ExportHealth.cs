using System.Globalization;
using Microsoft.Extensions.Logging;

namespace NetDrop.Sinks.Telemetry;

/// <summary>
/// Whether one signal's export (logs or metrics) is getting through, told once when it starts failing and once when
/// it recovers, not once per attempt: a dead endpoint, a refused connection, a timeout or a rejection (an endpoint
/// answering 401 for a wrong token) all make the exporter return failure.
/// </summary>
/// <remarks>Each signal's outcomes come from one thread (its exporter's), so the state needs no lock.</remarks>
internal sealed class ExportHealth
{
    private readonly OperationalLog _log;
    private readonly string _signal;
    private readonly string _endpoint;
    private readonly TimeProvider _time;
    private bool _failing;
    private long _failuresInOutage;
    private long _failingSince;

    public ExportHealth(OperationalLog log, string signal, Uri endpoint, TimeProvider time)
    {
        _log = log;
        _signal = signal;
        _endpoint = endpoint.Scheme + "://" + endpoint.Authority + endpoint.AbsolutePath; // never user-info or a query
        _time = time;
    }

    /// <summary>True between a failed export and the next one that got through.</summary>
    public bool IsFailing => Volatile.Read(ref _failing);

    public void Report(bool delivered)
    {
        if (!delivered)
        {
            _failuresInOutage++;
            if (!_failing)
            {
                _failingSince = _time.GetTimestamp();
                Volatile.Write(ref _failing, true);
                _log.Write(LogLevel.Warning, LogEventIds.ExportFailing,
                    $"OTLP export of {_signal} to {_endpoint} is failing (the collector is unreachable, timed out, or rejected the request, e.g. 401 for a wrong token); sampling and the CSV go on, and this is said again when it recovers",
                    KeyValuePair.Create<string, object?>(NetDropSemanticConventions.AttributeSignal, _signal),
                    KeyValuePair.Create<string, object?>(NetDropSemanticConventions.AttributeEndpoint, _endpoint));
            }

            return;
        }

        if (_failing)
        {
            Volatile.Write(ref _failing, false);
            double seconds = _time.GetElapsedTime(_failingSince).TotalSeconds;
            _log.Write(LogLevel.Information, LogEventIds.ExportRecovered,
                string.Create(CultureInfo.InvariantCulture, $"OTLP export of {_signal} to {_endpoint} recovered after {_failuresInOutage} failed attempts over {seconds:0.#} s"),
                KeyValuePair.Create<string, object?>(NetDropSemanticConventions.AttributeSignal, _signal),
                KeyValuePair.Create<string, object?>(NetDropSemanticConventions.AttributeEndpoint, _endpoint),
                KeyValuePair.Create<string, object?>(NetDropSemanticConventions.AttributeFailedAttempts, _failuresInOutage));
            _failuresInOutage = 0;
        }
    }
}
