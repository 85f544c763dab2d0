namespace NetDrop.Sinks;

/// <summary>
/// Keeps a slow sink off the sampling thread: a bounded single-producer, single-consumer ring of pre-allocated entry
/// buffers, and a thread of its own that hands each entry, in order, to an <see cref="ISinkWriter{T}"/>. The sampling
/// thread formats straight into a free buffer and never waits for the writer: a blocked stdout or a hung NFS mount
/// stalls only this queue's thread.
/// </summary>
/// <remarks>
/// Overflow policy: when every buffer holds an entry not yet written, the newest entry is dropped (the producer never
/// blocks and never touches a buffer the writer may be reading); drops are counted and reported to the writer the
/// next time it writes, so it can say how many were lost. A writer that fails keeps its entry first and is retried
/// when the next entry arrives. PERF: nothing is allocated per entry; a buffer only grows when an entry is longer
/// than any it held before.
/// </remarks>
internal sealed class SinkQueue<T> : IDisposable
{
    private readonly T[][] _slots;
    private readonly int[] _lengths;
    private readonly long _mask;
    private readonly ISinkWriter<T> _writer;
    private readonly Thread _thread;

    // Set when something changed (an entry arrived, or stop was asked); the writer resets it, looks at the queue, and
    // sleeps on it when it has nothing to do. PERF: spinCount 0, because the next entry is an interval away: spinning
    // before blocking (SemaphoreSlim's default) burned more CPU per interval than the write itself. Set and a blocked
    // Wait are a Monitor pulse and wait underneath: no allocation.
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 0);
    private long _head; // next entry to write: advanced by the writer thread only
    private long _tail; // next buffer to fill: advanced by the producer only
    private long _dropped;
    private volatile bool _stopping;

    /// <param name="threadName">Names the writer thread (seen in <c>/proc/PID/task/*/comm</c> and debuggers).</param>
    /// <param name="capacity">Entries held while the writer is behind; rounded up to a power of two.</param>
    /// <param name="entryLength">Initial length of each buffer (they grow when an entry needs more).</param>
    public SinkQueue(string threadName, int capacity, int entryLength, ISinkWriter<T> writer)
    {
        int size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, capacity));
        _slots = new T[size][];
        for (int i = 0; i < size; i++)
        {
            _slots[i] = new T[entryLength];
        }

        _lengths = new int[size];
        _mask = size - 1;
        _writer = writer;
        _thread = new Thread(Run) { IsBackground = true, Name = threadName };
        _thread.Start();
    }

    public int Capacity => _slots.Length;

    /// <summary>Entries dropped so far because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Entries queued and not yet written.</summary>
    public long Pending => Volatile.Read(ref _tail) - Volatile.Read(ref _head);

    /// <summary>
    /// Producer: claims the next free buffer, or returns false (and counts a drop) when the queue is full or stopping.
    /// Fill <see cref="Entry"/> and call <see cref="Publish"/>.
    /// </summary>
    public bool TryReserve(out int slot)
    {
        if (_tail - Volatile.Read(ref _head) >= _slots.Length || _stopping)
        {
            Interlocked.Increment(ref _dropped);
            slot = -1;
            return false;
        }

        slot = (int)(_tail & _mask);
        return true;
    }

    /// <summary>The reserved buffer; the producer may replace it with a longer one.</summary>
    public ref T[] Entry(int slot) => ref _slots[slot];

    /// <summary>Producer: hands the reserved buffer's first <paramref name="length"/> elements to the writer.</summary>
    public void Publish(int slot, int length)
    {
        _lengths[slot] = length;
        Volatile.Write(ref _tail, _tail + 1); // publishes the buffer's contents with it
        Wake();
    }

    /// <summary>
    /// Stops taking entries, lets the writer write what is queued (a failing writer gets one more try), and waits up to
    /// <paramref name="timeout"/> for it. Returns false if the writer was still busy (blocked in a write) at the end.
    /// </summary>
    public bool Complete(TimeSpan timeout)
    {
        _stopping = true;
        Wake();
        return _thread.Join(timeout);
    }

    public void Dispose()
    {
        if (!Complete(TimeSpan.Zero))
        {
            return; // the writer is blocked in a write: it is a background thread, leave the semaphore to it
        }

        _wake.Dispose();
    }

    // NOTE: always Set, never "Set if not set": Set's interlocked update orders the entry's publication before it,
    // and the writer's Reset before its next look, so an entry is either seen by that look or wakes the next Wait.
    private void Wake() => _wake.Set();

    private void Run()
    {
        long reportedDrops = 0;
        long retryAfter = -1; // after a failed write: the tail it saw; tried again once a newer entry arrives
        while (true)
        {
            long head = _head;
            long tail = Volatile.Read(ref _tail);
            bool stopping = _stopping;
            if (head == tail || (retryAfter >= 0 && tail <= retryAfter && !stopping))
            {
                if (stopping && head == tail)
                {
                    break;
                }

                // Reset before looking again: an entry published after the look sets it again, so none is missed.
                _wake.Wait();
                _wake.Reset();
                continue;
            }

            int slot = (int)(head & _mask);
            if (_writer.TryWrite(_slots[slot].AsSpan(0, _lengths[slot])))
            {
                Volatile.Write(ref _head, head + 1);
                retryAfter = -1;
                long dropped = Dropped;
                if (dropped != reportedDrops)
                {
                    _writer.OnDropped(dropped - reportedDrops);
                    reportedDrops = dropped;
                }
            }
            else if (stopping)
            {
                break; // still failing at the end: what is queued cannot be written
            }
            else
            {
                retryAfter = tail;
            }
        }

        if (Dropped != reportedDrops)
        {
            _writer.OnDropped(Dropped - reportedDrops);
        }

        _writer.OnStopped(Volatile.Read(ref _tail) - _head);
    }
}
