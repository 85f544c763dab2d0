using System.Diagnostics;
using System.Diagnostics.Metrics;
using NetDrop.Model;
using NetDrop.Sources;
using NetDrop.Deltas;

namespace NetDrop.Sinks.Telemetry;

/// <summary>
/// Publishes each interval's deltas as OpenTelemetry metrics. Policy: synchronous counters that <c>Add</c> the
/// engine's reset-corrected deltas once per series per interval, so the sum of everything exported equals the sum of
/// the CSV, exactly; the SDK keeps the cumulative (or delta) totals and the export schedule is its own.
/// </summary>
/// <remarks>
/// <c>netdrop.crit.intervals</c> is the exception, an observable counter, because it is what alerts read: a series
/// must be exported at 0 before its first CRIT, or <c>increase(...[5m]) &gt; 0</c> sees a series born at 1 and misses
/// that CRIT (after every start, restart, or interface appearing). See <see cref="CritIntervalSeries"/>.
/// </remarks>
internal sealed class NetDropMetrics : IIntervalSink, IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _systemDropped;
    private readonly Counter<long> _pressure;
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

    public NetDropMetrics(IMeterFactory meterFactory, InterfaceRegistry registry, bool perCpu, Func<double> lastSampleSeconds, Func<SourceId, long> sourceFailures)
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
        _dropped = _meter.CreateCounter<long>(NetDropSemanticConventions.PacketDropped, NetDropSemanticConventions.UnitPacket,
            "Packets the kernel dropped, by drop category (the CSV column names) and, for interface categories, interface.");
        _systemDropped = _meter.CreateCounter<long>(NetDropSemanticConventions.SystemPacketDropped, NetDropSemanticConventions.UnitPacket,
            "Packets dropped by a network interface, by direction (rtnl rx_dropped / tx_dropped).");
        _pressure = _meter.CreateCounter<long>(NetDropSemanticConventions.Pressure, NetDropSemanticConventions.UnitEvent,
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
                    _dropped.Add((long)IntervalReport.ValueOf(cpu, category), new TagList
                    {
                        { NetDropSemanticConventions.AttributeCategory, category.Column },
                        { NetDropSemanticConventions.AttributeCpu, cpu.Cpu },
                    });
                }
            }
            else if (category.Scope == CategoryScope.Namespace && report.Namespaces.Count > 0)
            {
                WriteNamespaceCategory(report, category);
            }
            else
            {
                Counter<long> counter = category.IsDrop ? _dropped : _pressure;
                counter.Add((long)report[category], new KeyValuePair<string, object?>(NetDropSemanticConventions.AttributeCategory, category.Column));
            }
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
    /// that dropped this interval on a series of its own (<c>k8s.pod.uid</c>, else <c>container.id</c>, else
    /// <c>process.pid</c> + <c>process.executable.name</c>). Summed over series, the category's value, each drop once.
    /// NOTE: a series is created only by a namespace that dropped; with cumulative temporality (the default) the SDK
    /// keeps exporting a created series' total until the agent restarts, with delta it stops when the pod does.
    /// </summary>
    private void WriteNamespaceCategory(IntervalReport report, DropCategory category)
    {
        Counter<long> counter = category.IsDrop ? _dropped : _pressure;
        counter.Add((long)report.NodeOwnValueOf(category), new KeyValuePair<string, object?>(NetDropSemanticConventions.AttributeCategory, category.Column));
        foreach (NamespaceDelta delta in report.Namespaces)
        {
            ulong value = IntervalReport.ValueOf(delta, category);
            if (value == 0)
            {
                continue;
            }

            var tags = new TagList { { NetDropSemanticConventions.AttributeCategory, category.Column } };
            AddOwner(ref tags, delta.Owner);
            counter.Add((long)value, tags);
        }
    }

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
            (category.IsDrop ? _dropped : _pressure).Add((long)value, new TagList
            {
                { NetDropSemanticConventions.AttributeCategory, category.Column },
                { NetDropSemanticConventions.AttributeInterface, name },
            });
            if (category.Direction != NetworkIoDirection.None)
            {
                // Semantic conventions measure system.network.packet.dropped as /proc/net/dev's drop columns, which
                // dev_seq_printf_stats() prints as rx_dropped + rx_missed_errors and tx_dropped (net/core/net-procfs.c):
                // only the rtnl link-field part of a row, never the driver ring-full or qdisc counters rtnl lacks.
                _systemDropped.Add((long)report.LinkFieldPartOf(delta, category), new TagList
                {
                    { NetDropSemanticConventions.AttributeInterface, name },
                    { NetDropSemanticConventions.AttributeDirection, category.Direction == NetworkIoDirection.Receive ? NetDropSemanticConventions.DirectionReceive : NetDropSemanticConventions.DirectionTransmit },
                });
            }
        }

        // Other namespaces' interfaces (the pod side of each veth): one series per interface that dropped, named by its
        // owner as the socket-layer shares are, so "eth0" of two pods and the node's eth0 stay apart. Every value is a
        // net/dev drop column, so it is the system.network.packet.dropped measure as it stands.
        foreach (PodInterfaceDelta delta in report.PodInterfaces)
        {
            ulong value = report.ValueOf(delta, category);
            if (value == 0)
            {
                continue;
            }

            var tags = new TagList
            {
                { NetDropSemanticConventions.AttributeCategory, category.Column },
                { NetDropSemanticConventions.AttributeInterface, delta.Name },
            };
            AddOwner(ref tags, delta.Owner);
            (category.IsDrop ? _dropped : _pressure).Add((long)value, tags);
            if (category.Direction != NetworkIoDirection.None)
            {
                var system = new TagList
                {
                    { NetDropSemanticConventions.AttributeInterface, delta.Name },
                    { NetDropSemanticConventions.AttributeDirection, category.Direction == NetworkIoDirection.Receive ? NetDropSemanticConventions.DirectionReceive : NetDropSemanticConventions.DirectionTransmit },
                };
                AddOwner(ref system, delta.Owner);
                _systemDropped.Add((long)value, system);
            }
        }
    }
}
