using Microsoft.Extensions.Logging;
using NetDrop.Deltas;

namespace NetDrop.Sinks.Telemetry;

/// <summary>
/// Turns the CSV's failing and recovering into operational log records (4001, 4002), once per change, so a full disk
/// on a node can be alerted on from the log backend. The CSV sink says the same on stderr itself; this only watches its
/// state once per interval, on the sampling thread, and allocates only when the state changes.
/// </summary>
internal sealed class CsvHealthEvents : IIntervalSink
{
    private readonly Func<bool> _isFailing;
    private readonly string _path;
    private readonly OperationalLog _log;
    private bool _failing;

    public CsvHealthEvents(Func<bool> isFailing, string path, OperationalLog log)
    {
        _isFailing = isFailing;
        _path = path;
        _log = log;
    }

    public void Write(IntervalReport report)
    {
        bool failing = _isFailing();
        if (failing == _failing)
        {
            return;
        }

        _failing = failing;
        KeyValuePair<string, object?> path = new(NetDropSemanticConventions.AttributeFilePath, _path);
        if (failing)
        {
            _log.Log(LogLevel.Warning, LogEventIds.CsvFailing, $"csv: cannot write {_path}; monitoring goes on and the file is tried again every interval", path);
        }
        else
        {
            _log.Log(LogLevel.Information, LogEventIds.CsvRecovered, $"csv: writing {_path} again", path);
        }
    }
}
