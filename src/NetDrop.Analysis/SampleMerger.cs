using System.Runtime.CompilerServices;

namespace NetDrop.Analysis;

/// <summary>
/// Merges several files' rows into one stream in time order: rotated files (<c>.log</c>, <c>.log.1</c>,
/// <c>.log.2.gz</c>, in whatever order the shell globbed them) and per-interface logs interleave correctly. Each file
/// is assumed to be in time order itself, which the monitor guarantees; within a file, file order wins.
/// </summary>
internal sealed class SampleMerger
{
    private readonly List<CsvSampleReader> _active = [];
    private CsvSampleReader? _last;

    /// <param name="readers">In tie-break order: on equal timestamps, the earlier reader's row comes first.</param>
    public SampleMerger(IEnumerable<CsvSampleReader> readers)
    {
        foreach (CsvSampleReader reader in readers)
        {
            if (reader.MoveNext())
            {
                _active.Add(reader);
            }
        }
    }

    /// <summary>The reader whose <see cref="CsvSampleReader.Current"/> is the next row, or null when all are done.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public CsvSampleReader? Next()
    {
        if (_last is not null && !_last.MoveNext())
        {
            _active.Remove(_last);
        }

        _last = null;
        if (_active.Count == 0)
        {
            return null;
        }

        // PERF: a handful of files at most; a linear scan beats a heap's bookkeeping.
        CsvSampleReader next = _active[0];
        for (int i = 1; i < _active.Count; i++)
        {
            if (_active[i].Current.Timestamp < next.Current.Timestamp)
            {
                next = _active[i];
            }
        }

        _last = next;
        return next;
    }
}
