namespace NetDrop.Sinks;

/// <summary>The slow end of a <see cref="SinkQueue{T}"/> (a file, stdout): called only on the queue's own thread.</summary>
internal interface ISinkWriter<T>
{
    /// <summary>
    /// Writes one entry. False when it could not (the disk is full, the directory is gone): the entry stays first in
    /// the queue and is tried again when the next entry arrives, so a failing file is retried once per interval.
    /// </summary>
    bool TryWrite(ReadOnlySpan<T> entry);

    /// <summary>Entries were dropped because the queue was full: <paramref name="count"/> more since the last call.</summary>
    void OnDropped(long count);

    /// <summary>The queue is stopping and every entry that could be written was: flush; <paramref name="unwritten"/> were not.</summary>
    void OnStopped(long unwritten);
}
