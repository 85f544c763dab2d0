using System.Diagnostics.Metrics;

namespace NetDrop.Sinks.Telemetry;

/// <summary>
/// The values behind one observable counter (<c>netdrop.packet.dropped</c>, <c>netdrop.pressure</c>): a cumulative
/// total per series, to which the sink adds each interval's reset-corrected delta and which the SDK observes at each
/// collection. A series can end: once retired (its network namespace is gone) it is reported at its final total to
/// every metric reader once more, then no longer, so with cumulative temporality a dead pod's series goes away.
/// </summary>
/// <remarks>
/// <para>
/// Why observable and not <see cref="Counter{T}.Add(T)"/>: the SDK exports, with cumulative temporality, every
/// attribute set a synchronous counter was ever given, until the process ends; for an observable instrument it exports
/// only what the callback reported in that collection (OpenTelemetry .NET, "Observable instruments should not export
/// stale series", #6883, and docs/metrics). On a node where pods come and go, a synchronous counter would grow one
/// series per pod that ever dropped.
/// </para>
/// <para>
/// Each reader collects on its own schedule (the OTLP reader every export interval, the Prometheus endpoint at each
/// scrape) and each calls the callback, so a retired series stays until it was observed as many times as there are
/// readers. A series is never reported before a value was added, so totals match the CSV's sums exactly.
/// </para>
/// </remarks>
internal sealed class SeriesTotals
{
    private readonly Lock _gate = new();
    private readonly Dictionary<SeriesKey, Series> _series = [];
    private readonly int _readers;

    /// <param name="readers">How many metric readers observe the instrument (OTLP, Prometheus): at least 1.</param>
    public SeriesTotals(int readers) => _readers = Math.Max(1, readers);

    /// <summary>Series currently reported (retired ones not yet observed by every reader included).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _series.Count;
            }
        }
    }

    /// <summary>Adds <paramref name="value"/> to an existing series; false if the series does not exist yet (then <see cref="Create"/> it).</summary>
    public bool TryAdd(in SeriesKey key, long value)
    {
        lock (_gate)
        {
            if (!_series.TryGetValue(key, out Series? series))
            {
                return false;
            }

            series.Total += value;
            return true;
        }
    }

    /// <summary>Starts a series at <paramref name="value"/>, with the attributes it is exported with.</summary>
    public void Create(in SeriesKey key, long value, KeyValuePair<string, object?>[] tags)
    {
        lock (_gate)
        {
            _series[key] = new Series(tags) { Total = value };
        }
    }

    /// <summary>Ends every series of one network namespace: each is reported at its final total to every reader once more.</summary>
    public void RetireNamespace(ulong namespaceId)
    {
        lock (_gate)
        {
            foreach ((SeriesKey key, Series series) in _series)
            {
                if (key.NamespaceId == namespaceId)
                {
                    series.Retired = true;
                }
            }
        }
    }

    /// <summary>The observable counter's callback, on a reader's collection thread.</summary>
    public IEnumerable<Measurement<long>> Observe()
    {
        lock (_gate)
        {
            var measurements = new Measurement<long>[_series.Count];
            int i = 0;
            foreach ((SeriesKey key, Series series) in _series)
            {
                measurements[i++] = new Measurement<long>(series.Total, series.Tags);
                if (series.Retired && ++series.ObservationsSinceRetired >= _readers)
                {
                    _series.Remove(key); // allowed while enumerating since .NET Core 3.0
                }
            }

            return measurements;
        }
    }

    private sealed class Series(KeyValuePair<string, object?>[] tags)
    {
        public long Total;
        public bool Retired;
        public int ObservationsSinceRetired;

        public KeyValuePair<string, object?>[] Tags { get; } = tags;
    }
}
