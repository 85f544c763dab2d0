namespace NetDrop.Analysis;

/// <summary>Counts skipped lines over every input and keeps the first few, which is what a person can act on.</summary>
internal sealed class MalformedLineLog
{
    public const int DefaultExampleLimit = 10;

    private readonly List<MalformedLine> _examples = [];
    private readonly int _exampleLimit;

    public MalformedLineLog(int exampleLimit = DefaultExampleLimit)
    {
        _exampleLimit = exampleLimit;
    }

    public long Count { get; private set; }

    public IReadOnlyList<MalformedLine> Examples => _examples;

    public void Add(string file, long line, string reason)
    {
        Count++;
        if (_examples.Count < _exampleLimit)
        {
            _examples.Add(new MalformedLine(file, line, reason));
        }
    }
}
