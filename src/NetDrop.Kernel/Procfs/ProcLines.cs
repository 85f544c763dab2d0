namespace NetDrop.Kernel.Procfs;

/// <summary>
/// The non-empty lines of a procfs file, in order, without allocating: procfs always ends lines with <c>\n</c>
/// (never the host's <c>Environment.NewLine</c>). A last line without one is still returned, but
/// <see cref="CurrentIsTerminated"/> says so: the kernel's <c>seq_printf</c> formats always end a record with
/// <c>\n</c>, so an unterminated last line is a cut-off read whose last number may have lost digits.
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

    /// <summary>Whether <see cref="Current"/> ended with <c>\n</c>; false only for a truncated last line.</summary>
    public bool CurrentIsTerminated { get; private set; }

    public readonly ProcLines GetEnumerator() => this;

    public bool MoveNext()
    {
        while (!_rest.IsEmpty)
        {
            int newline = _rest.IndexOf((byte)'\n');
            Current = newline < 0 ? _rest : _rest[..newline];
            CurrentIsTerminated = newline >= 0;
            _rest = newline < 0 ? default : _rest[(newline + 1)..];
            if (!Current.IsEmpty)
            {
                return true;
            }
        }

        return false;
    }
}
