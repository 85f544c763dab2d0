using System.Diagnostics.Metrics;

namespace NetDrop.Sinks.Telemetry;

/// <summary>
/// The values behind the observable <c>netdrop.crit.intervals</c>: one cumulative count per interface label, each
/// series observed at 0 once before any CRIT it counted is shown, so every series is born at 0.
/// </summary>
/// <remarks>
/// A series appears when its label is first seen (the first interval after start, an interface appearing). If that
/// interval is already CRIT, adding 0 and then 1 before one export would still export a series born at 1, which a
/// Prometheus <c>increase()</c> reads as no increase; holding the count back for one collection makes the exports 0,
/// then 1. The cost is that the first CRIT of a new series shows one export interval later; every later CRIT shows at
/// the next export. The sampling thread only increments a field (no lock, no allocation) except when a label is new.
/// </remarks>
internal sealed class CritIntervalSeries
{
    private readonly Lock _gate = new();
    private readonly List<Series> _all = [];
    private Series? _current;

    /// <summary>Called once per interval from the sampling thread.</summary>
    public void Count(string interfaceLabel, bool crit)
    {
        Series? series = _current;
        if (series is null || !ReferenceEquals(series.Label, interfaceLabel) && series.Label != interfaceLabel)
        {
            series = Find(interfaceLabel);
            _current = series;
        }

        if (crit)
        {
            Interlocked.Increment(ref series.Count);
        }
    }

    /// <summary>The observable counter's callback, on the export thread.</summary>
    public IEnumerable<Measurement<long>> Observe()
    {
        lock (_gate)
        {
            var measurements = new Measurement<long>[_all.Count];
            for (int i = 0; i < _all.Count; i++)
            {
                Series series = _all[i];
                long value = series.Observed ? Interlocked.Read(ref series.Count) : 0;
                series.Observed = true;
                measurements[i] = new Measurement<long>(value, series.Tag);
            }

            return measurements;
        }
    }

    private Series Find(string label)
    {
        lock (_gate)
        {
            foreach (Series existing in _all)
            {
                if (existing.Label == label)
                {
                    return existing;
                }
            }

            var series = new Series(label);
            _all.Add(series);
            return series;
        }
    }

    private sealed class Series
    {
        public long Count;
        public bool Observed;

        public Series(string label)
        {
            Label = label;
            Tag = new KeyValuePair<string, object?>(NetDropSemanticConventions.AttributeInterface, label);
        }

        public string Label { get; }

        public KeyValuePair<string, object?> Tag { get; }
    }
}
