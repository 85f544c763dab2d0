namespace NetDrop.Kernel.Procfs;

/// <summary>
/// The non-empty lines of a procfs file, in order, without allocating: procfs always ends lines with <c>\n</c>
/// (never the host's <c>Environment.NewLine</c>), and a last line without one is still a line.
/// </summary>
internal ref struct ProcLines
{
    private ReadOnlySpan<byte> _rest;

    public ProcLines(ReadOnlySpan<byte> content)
    {
        _rest = content;
        Current = default;
    }

    public ReadOnlySpan<byte> Current { get; private set; }

    public readonly ProcLines GetEnumerator() => this;

    public bool MoveNext()
    {
        while (!_rest.IsEmpty)
        {
            int newline = _rest.IndexOf((byte)'\n');
            Current = newline < 0 ? _rest : _rest[..newline];
            _rest = newline < 0 ? default : _rest[(newline + 1)..];
            if (!Current.IsEmpty)
            {
                return true;
            }
        }

        return false;
    }
}
