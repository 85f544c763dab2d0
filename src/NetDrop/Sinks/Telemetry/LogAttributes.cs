using System.Collections;

namespace NetDrop.Sinks.Telemetry;

/// <summary>
/// A log record's state: the attributes with their dotted OpenTelemetry names (which <c>[LoggerMessage]</c> templates
/// cannot spell) plus the <c>{OriginalFormat}</c> entry the logging infrastructure expects.
/// </summary>
internal sealed class LogAttributes : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly List<KeyValuePair<string, object?>> _attributes = [];

    public LogAttributes(string body)
    {
        Body = body;
    }

    public string Body { get; }

    public int Count => _attributes.Count + 1;

    public KeyValuePair<string, object?> this[int index] =>
        index < _attributes.Count ? _attributes[index] : new("{OriginalFormat}", Body);

    public LogAttributes Add(string key, object? value)
    {
        _attributes.Add(new(key, value));
        return this;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (int i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => Body;
}
