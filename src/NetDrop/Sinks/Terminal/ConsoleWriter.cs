using System.Globalization;

namespace NetDrop.Sinks.Terminal;

/// <summary>
/// The stdout end of the console sink, on its own thread: a terminal on Ctrl+S or a log shipper that stopped reading
/// blocks this thread's write, never the sampling thread. Output errors (a closed pipe) are said once and the lines
/// are let go: retrying a console that went away helps nobody.
/// </summary>
internal sealed class ConsoleWriter : ISinkWriter<char>
{
    private readonly TextWriter _out;
    private readonly Action<string> _say;
    private bool _failed;

    public ConsoleWriter(TextWriter output, Action<string> say)
    {
        _out = output;
        _say = say;
    }

    public bool TryWrite(ReadOnlySpan<char> entry)
    {
        try
        {
            _out.Write(entry);
            _out.Flush();
            _failed = false;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            if (!_failed)
            {
                _say($"console: cannot write to stdout ({ex.Message}); sampling and the other outputs go on");
            }

            _failed = true;
        }

        return true;
    }

    public void OnDropped(long count) =>
        _say(string.Create(CultureInfo.InvariantCulture, $"console: {count} intervals were not printed: stdout was not being read (the queue holds {ConsoleSink.QueueCapacity} lines)"));

    public void OnStopped(long unwritten)
    {
        // Nothing to say: whoever would read it is not reading stdout either.
    }
}
