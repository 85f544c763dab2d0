using System.Diagnostics;
using System.Diagnostics.Metrics;
using NetDrop.Model;
using NetDrop.Sources;
using NetDrop.Deltas;

namespace NetDrop.Sinks.Telemetry;

/// <summary>
/// Publishes each interval's deltas as OpenTelemetry metrics. Policy: the engine's reset-corrected deltas are added
/// once per series per interval, so the sum of everything exported equals the sum of the CSV, exactly; the export
/// schedule and temporality are the SDK's.
/// </summary>
/// <remarks>
/// <para>
/// <c>netdrop.packet.dropped</c> and <c>netdrop.pressure</c> are observable counters over totals kept here
/// (<see cref="SeriesTotals"/>), so that another namespace's series ends with its namespace, whatever the temporality:
/// a synchronous counter's series would be exported until restart. The other counters have a fixed set of series
/// (sources, reasons that ever moved) and stay synchronous; <c>system.network.packet.dropped</c> carries pods'
/// interfaces, so it is observable too.
/// </para>
/// <para>
/// <c>netdrop.crit.intervals</c> is observable too, because it is what alerts read: a series must be exported at 0
/// before its first CRIT, or <c>increase(...[5m]) &gt; 0</c> sees a series born at 1 and misses that CRIT (after every
/// start, restart, or interface appearing). See <see cref="CritIntervalSeries"/>.
/// </para>
/// </remarks>
internal sealed class NetDropMetrics : IIntervalSink, IDisposable
{
    private readonly Meter _meter;
    private readonly SeriesTotals _dropped;
    private readonly SeriesTotals _systemDropped;
    private readonly SeriesTotals _pressure;
    private readonly Gauge<int> _severity;
    private readonly CritIntervalSeries _critIntervals = new();
    private readonly Histogram<double> _sampleDuration;
    private readonly Counter<long> _sourceErrors;
    private readonly Counter<long> _dropReason;
    private readonly InterfaceRegistry _registry;
    private readonly bool _perCpu;
    private readonly Func<double> _lastSampleSeconds;
    private readonly Func<SourceId, long> _sourceFailures;
    private readonly long[] _reportedFailures = new long[s_sources.Length];
    private readonly KeyValuePair<string, object?>[] _sourceTags;

    private static readonly SourceId[] s_sources = Enum.GetValues<SourceId>();

    /// <param name="meterFactory">The host's meter factory.</param>
    /// <param name="registry">Interface names by series.</param>
    /// <param name="perCpu">Whether softirq drops are split by CPU.</param>
    /// <param name="lastSampleSeconds">How long the last sample took.</param>
    /// <param name="sourceFailures">Failed reads so far, by source.</param>
    /// <param name="readers">How many metric readers collect (OTLP, Prometheus): a dead namespace's series is dropped once each saw its final total.</param>
    public NetDropMetrics(IMeterFactory meterFactory, InterfaceRegistry registry, bool perCpu, Func<double> lastSampleSeconds, Func<SourceId, long> sourceFailures, int readers = 1)
    {
        _meter = meterFactory.Create(new MeterOptions(NetDropSemanticConventions.MeterName)
        {
            Version = VersionInfo.Version,
            TelemetrySchemaUrl = NetDropSemanticConventions.SchemaUrl,
        });
        _registry = registry;
        _perCpu = perCpu;
        _lastSampleSeconds = lastSampleSeconds;
        _sourceFailures = sourceFailures;
        _dropped = new SeriesTotals(readers);
        _pressure = new SeriesTotals(readers);
        _meter.CreateObservableCounter(NetDropSemanticConventions.PacketDropped, _dropped.Observe, NetDropSemanticConventions.UnitPacket,
            "Packets the kernel dropped, by drop category (the CSV column names) and, for interface categories, interface.");
        _systemDropped = new SeriesTotals(readers);
        _meter.CreateObservableCounter(NetDropSemanticConventions.SystemPacketDropped, _systemDropped.Observe, NetDropSemanticConventions.UnitPacket,
            "Packets dropped by a network interface, by direction (rtnl rx_dropped / tx_dropped).");
        _meter.CreateObservableCounter(NetDropSemanticConventions.Pressure, _pressure.Observe, NetDropSemanticConventions.UnitEvent,
            "Signs of pressure that are not drops (TCP collapse, softnet time squeeze, prune calls, SYN cookies).");
        _severity = _meter.CreateGauge<int>(NetDropSemanticConventions.IntervalSeverity, unit: null,
            "Severity of the last interval: 0 OK, 1 WARN, 2 CRIT.");
        _meter.CreateObservableCounter(NetDropSemanticConventions.CritIntervals, _critIntervals.Observe, NetDropSemanticConventions.UnitInterval,
            "Intervals whose drops reached the CRIT threshold; alert on any increase.");

        // The SDK's default buckets (0, 5, 10, ... 10000) would put every sample, ~100 µs, in the first one.
        _sampleDuration = _meter.CreateHistogram(NetDropSemanticConventions.SampleDuration, NetDropSemanticConventions.UnitSecond,
            "Time one sample of every kernel source took.", tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = NetDropSemanticConventions.SampleDurationBuckets });
        _sourceErrors = _meter.CreateCounter<long>(NetDropSemanticConventions.SourceErrors, NetDropSemanticConventions.UnitError,
            "Kernel source reads that failed, by source.");
        _dropReason = _meter.CreateCounter<long>(NetDropSemanticConventions.DropReason, NetDropSemanticConventions.UnitPacket,
            "Packets the kernel freed, by kernel drop reason (opt-in, --drop-reasons); the same packets as netdrop.packet.dropped, never to be added to it.");
        _sourceTags = [.. s_sources.Select(source => new KeyValuePair<string, object?>(NetDropSemanticConventions.AttributeSource, SourceName(source)))];
    }

    public void Write(IntervalReport report)
    {
        foreach (DropCategory category in report.Table)
        {
            if (report.IsUnavailable(category))
            {
                continue;
            }

            if (category.Scope == CategoryScope.Interface)
            {
                WriteInterfaceCategory(report, category);
            }
            else if (category.Counters.IsPerCpu && category.IsDrop && _perCpu)
            {
                // Per-CPU detail is for the softirq drops (which CPU's backlog overflowed); the squeeze stays one series.
                foreach (SoftnetDelta cpu in report.Cpus)
                {
                    var key = new SeriesKey(category.Id, null, cpu.Cpu, 0);
                    long value = (long)IntervalReport.ValueOf(cpu, category);
                    if (!_dropped.TryAdd(key, value))
                    {
                        _dropped.Create(key, value, [CategoryTag(category), new(NetDropSemanticConventions.AttributeCpu, cpu.Cpu)]);
                    }
                }
            }
            else if (category.Scope == CategoryScope.Namespace && report.Namespaces.Count > 0)
            {
                WriteNamespaceCategory(report, category);
            }
            else
            {
                AddNodeSeries(category, (long)report[category]);
            }
        }

        foreach (ulong gone in report.EndedNamespaces)
        {
            _dropped.RetireNamespace(gone);
            _pressure.RetireNamespace(gone);
            _systemDropped.RetireNamespace(gone);
        }

        WriteDropReasons(report);
        _severity.Record((int)report.Severity, new KeyValuePair<string, object?>(NetDropSemanticConventions.AttributeInterface, report.InterfaceLabel));
        _critIntervals.Count(report.InterfaceLabel, report.Severity == Severity.Crit);

        _sampleDuration.Record(_lastSampleSeconds());
        for (int i = 0; i < s_sources.Length; i++)
        {
            long failures = _sourceFailures(s_sources[i]);
            // Added every interval, 0 included: each source's series exists from the first export, so a rule on
            // increase(netdrop_source_errors_total[5m]) sees a source's first failure too.
            _sourceErrors.Add(failures - _reportedFailures[i], _sourceTags[i]);
            _reportedFailures[i] = failures;
        }
    }

    /// <summary>The <c>netdrop.source</c> value of a source: its id in lower case (<c>netstat</c>, <c>qdisc</c>, ...).</summary>
    public static string SourceName(SourceId source) => source.ToString().ToLowerInvariant();

    public void Dispose() => _meter.Dispose();

    // Only reasons that moved: ~130 reasons (and a new series per kernel that adds one) would otherwise each be a
    // series at 0 on every node.
    private void WriteDropReasons(IntervalReport report)
    {
        if (report.DropReasons is not { Available: true } reasons)
        {
            return;
        }

        WriteDropReasons(reasons, reasons.Loss);
        WriteDropReasons(reasons, reasons.NotLoss);
        int unspecified = reasons.Names.ValueOf(DropReasonKinds.NotSpecified);
        if (unspecified >= 0 && reasons.Unspecified > 0)
        {
            WriteDropReasons(reasons, [unspecified]);
        }
    }

    private void WriteDropReasons(DropReasonDeltas reasons, ReadOnlySpan<int> slots)
    {
        foreach (int slot in slots)
        {
            _dropReason.Add((long)reasons.DeltaOf(slot), new TagList
            {
                { NetDropSemanticConventions.AttributeDropReason, reasons.NameOf(slot) },
                { NetDropSemanticConventions.AttributeDropReasonKind, DropReasonKinds.AttributeValue(reasons.KindOf(slot)) },
            });
        }
    }

    /// <summary>
    /// A socket-layer category: the node's own namespace on the series without owner attributes, every other namespace
    /// that dropped on a series of its own (<c>k8s.pod.uid</c>, else <c>container.id</c>, else <c>process.pid</c> +
    /// <c>process.executable.name</c>). Summed over series, the category's value, each drop once. A namespace's series
    /// is created by its first drop and ends after its namespace's last interval (<see cref="SeriesTotals"/>).
    /// </summary>
    private void WriteNamespaceCategory(IntervalReport report, DropCategory category)
    {
        AddNodeSeries(category, (long)report.NodeOwnValueOf(category));
        SeriesTotals totals = category.IsDrop ? _dropped : _pressure;
        foreach (NamespaceDelta delta in report.Namespaces)
        {
            long value = (long)IntervalReport.ValueOf(delta, category);
            var key = new SeriesKey(category.Id, null, -1, delta.NamespaceId);
            if (!totals.TryAdd(key, value) && value != 0)
            {
                var tags = new TagList { CategoryTag(category) };
                AddOwner(ref tags, delta.Owner);
                totals.Create(key, value, [.. tags]);
            }
        }
    }

    private void AddNodeSeries(DropCategory category, long value)
    {
        SeriesTotals totals = category.IsDrop ? _dropped : _pressure;
        var key = new SeriesKey(category.Id, null, -1, 0);
        if (!totals.TryAdd(key, value))
        {
            totals.Create(key, value, [CategoryTag(category)]);
        }
    }

    private static KeyValuePair<string, object?> CategoryTag(DropCategory category) => new(NetDropSemanticConventions.AttributeCategory, category.Column);

    private static KeyValuePair<string, object?> DirectionTag(DropCategory category) => new(NetDropSemanticConventions.AttributeDirection,
        category.Direction == NetworkIoDirection.Receive ? NetDropSemanticConventions.DirectionReceive : NetDropSemanticConventions.DirectionTransmit);

    /// <summary>The attributes that name a namespace's owner, as on metric series and CRIT records.</summary>
    internal static void AddOwner(ref TagList tags, Kernel.Namespaces.NamespaceOwner owner)
    {
        if (owner.PodUid is { } pod)
        {
            tags.Add(NetDropSemanticConventions.AttributePodUid, pod);
        }
        else if (owner.ContainerId is { } container)
        {
            tags.Add(NetDropSemanticConventions.AttributeContainerId, container);
        }
        else
        {
            tags.Add(NetDropSemanticConventions.AttributeProcessPid, owner.Pid);
            tags.Add(NetDropSemanticConventions.AttributeProcessName, owner.Comm);
        }
    }

    private void WriteInterfaceCategory(IntervalReport report, DropCategory category)
    {
        foreach (InterfaceDelta delta in report.Interfaces)
        {
            ulong value = report.ValueOf(delta, category);
            string name = _registry.NameOf(delta.Series);
            SeriesTotals totals = category.IsDrop ? _dropped : _pressure;
            var key = new SeriesKey(category.Id, name, -1, 0);
            if (!totals.TryAdd(key, (long)value))
            {
                totals.Create(key, (long)value, [CategoryTag(category), new(NetDropSemanticConventions.AttributeInterface, name)]);
            }

            if (category.Direction != NetworkIoDirection.None)
            {
                // Semantic conventions measure system.network.packet.dropped as /proc/net/dev's drop columns, which
                // dev_seq_printf_stats() prints as rx_dropped + rx_missed_errors and tx_dropped (net/core/net-procfs.c):
                // only the rtnl link-field part of a row, never the driver ring-full or qdisc counters rtnl lacks.
                var systemKey = new SeriesKey((int)category.Direction, name, -1, 0);
                long part = (long)report.LinkFieldPartOf(delta, category);
                if (!_systemDropped.TryAdd(systemKey, part))
                {
                    _systemDropped.Create(systemKey, part, [new(NetDropSemanticConventions.AttributeInterface, name), DirectionTag(category)]);
                }
            }
        }

        // Other namespaces' interfaces (the pod side of each veth): one series per interface that dropped, named by its
        // owner as the socket-layer shares are, so "eth0" of two pods and the node's eth0 stay apart. Every value is a
        // net/dev drop column, so it is the system.network.packet.dropped measure as it stands.
        foreach (PodInterfaceDelta delta in report.PodInterfaces)
        {
            long value = (long)report.ValueOf(delta, category);
            SeriesTotals totals = category.IsDrop ? _dropped : _pressure;
            var key = new SeriesKey(category.Id, delta.Name, -1, delta.NamespaceId);
            if (!totals.TryAdd(key, value) && value != 0)
            {
                var tags = new TagList { CategoryTag(category), { NetDropSemanticConventions.AttributeInterface, delta.Name } };
                AddOwner(ref tags, delta.Owner);
                totals.Create(key, value, [.. tags]);
            }

            if (category.Direction != NetworkIoDirection.None)
            {
                var systemKey = new SeriesKey((int)category.Direction, delta.Name, -1, delta.NamespaceId);
                if (!_systemDropped.TryAdd(systemKey, value) && value != 0)
                {
                    var system = new TagList { { NetDropSemanticConventions.AttributeInterface, delta.Name }, DirectionTag(category) };
                    AddOwner(ref system, delta.Owner);
                    _systemDropped.Create(systemKey, value, [.. system]);
                }
            }
        }
    }
}
