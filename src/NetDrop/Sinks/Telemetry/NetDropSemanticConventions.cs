namespace NetDrop.Sinks.Telemetry;

/// <summary>
/// Every instrument name, unit and attribute key NetDrop exports, in one place. Semantic-convention names are used
/// where they exist (<c>system.network.packet.dropped</c>, <c>network.interface.name</c>, <c>network.io.direction</c>,
/// <c>cpu.logical_number</c>); everything else lives under <c>netdrop.</c>.
/// </summary>
internal static class NetDropSemanticConventions
{
    public const string MeterName = "NetDrop";

    /// <summary>Semantic conventions version the names above follow.</summary>
    public const string SchemaUrl = "https://opentelemetry.io/schemas/1.37.0";

    public const string PacketDropped = "netdrop.packet.dropped";
    public const string SystemPacketDropped = "system.network.packet.dropped";
    public const string Pressure = "netdrop.pressure";
    public const string IntervalSeverity = "netdrop.interval.severity";
    public const string CritIntervals = "netdrop.crit.intervals";
    public const string SampleDuration = "netdrop.sample.duration";
    public const string SourceErrors = "netdrop.source.errors";

    /// <summary>Packets the kernel freed, per <c>enum skb_drop_reason</c> (opt-in); beside <see cref="PacketDropped"/>, never summed with it.</summary>
    public const string DropReason = "netdrop.drop.reason";

    public const string UnitPacket = "{packet}";
    public const string UnitEvent = "{event}";
    public const string UnitInterval = "{interval}";
    public const string UnitError = "{error}";
    public const string UnitSecond = "s";

    public const string AttributeCategory = "netdrop.category";
    public const string AttributeInterface = "network.interface.name";
    public const string AttributeDirection = "network.io.direction";
    public const string AttributeCpu = "cpu.logical_number";
    /// <summary>The kernel source a self-metric or operational event is about: <c>netstat</c>, <c>snmp</c>, <c>links</c>, ...</summary>
    public const string AttributeSource = "netdrop.source";

    /// <summary>The kernel's drop reason without <c>SKB_DROP_REASON_</c>: <c>NO_SOCKET</c>, <c>TCP_LISTEN_OVERFLOW</c>, ...</summary>
    public const string AttributeDropReason = "netdrop.drop_reason";

    /// <summary><c>loss</c>, <c>unspecified</c> (NOT_SPECIFIED) or <c>not_loss</c> (a close, a purge, a duplicate): filter on <c>loss</c> to count lost packets.</summary>
    public const string AttributeDropReasonKind = "netdrop.drop_reason_kind";
    /// <summary>
    /// On namespace-scope series and CRIT records: the pod whose network namespace dropped (semantic conventions'
    /// <c>k8s.pod.uid</c>); the collector's <c>k8sattributes</c> turns it into pod name and namespace.
    /// </summary>
    public const string AttributePodUid = "k8s.pod.uid";

    /// <summary>The container whose own network namespace dropped (plain Docker), semantic conventions' <c>container.id</c>.</summary>
    public const string AttributeContainerId = "container.id";

    /// <summary>A namespace that is neither a pod's nor a container's: its representative task (<c>process.pid</c>, <c>process.executable.name</c>).</summary>
    public const string AttributeProcessPid = "process.pid";

    public const string AttributeProcessName = "process.executable.name";

    /// <summary>Semantic conventions' <c>file.path</c>: the CSV an operational event is about.</summary>
    public const string AttributeFilePath = "file.path";

    /// <summary>Buckets of <c>netdrop.sample.duration</c>, in seconds: a warm sample takes ~100 µs, a cold or loaded one up to tens of ms.</summary>
    public static readonly double[] SampleDurationBuckets =
        [0.00005, 0.000075, 0.0001, 0.00015, 0.0002, 0.0003, 0.0005, 0.00075, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1];

    public const string DirectionReceive = "receive";
    public const string DirectionTransmit = "transmit";

    // Log record attributes of netdrop.crit / netdrop.recovered.
    public const string CritEventName = "netdrop.crit";
    public const string RecoveredEventName = "netdrop.recovered";
    public const string AttributeTotalDrops = "netdrop.total_drops";
    public const string AttributeDominantCategory = "netdrop.dominant_category";
    public const string AttributeEpisodeId = "netdrop.episode.id";
    public const string AttributeEpisodeIntervals = "netdrop.episode.intervals";
    public const string AttributeEpisodePeak = "netdrop.episode.peak_drops";
    public const string AttributeIntervalSeconds = "netdrop.interval_s";
    public const string AttributeThreshold = "netdrop.threshold";
    public const string AttributeAdvice = "netdrop.advice";

    /// <summary>On CRIT records with drop reasons on: the interval's top loss reasons, <c>NO_SOCKET 812, TCP_LISTEN_OVERFLOW 32</c>.</summary>
    public const string AttributeDropReasonsTop = "netdrop.drop_reasons.top";

    /// <summary>
    /// On CRIT records: <c>critical</c>, the severity label the alert routes promise (the record's own severity text is the
    /// SDK's <c>Error</c>). The collector's alertmanager exporter takes the label from the attribute its
    /// <c>severity_attribute</c> names.
    /// </summary>
    public const string AttributeAlertSeverity = "netdrop.alert.severity";
    public const string AlertSeverityCritical = "critical";

    // Operational events (LogEventIds 2xxx, 3xxx).
    public const string AttributeSignal = "netdrop.export.signal";
    public const string AttributeEndpoint = "netdrop.export.endpoint";
    public const string AttributeFailedAttempts = "netdrop.export.failed_attempts";
    public const string AttributeDroppedRecords = "netdrop.export.dropped_records";
    public const string AttributeRetentionCapacity = "netdrop.export.retention_capacity";

    /// <summary>Resource attribute (semantic conventions): see <see cref="ServiceInstanceId"/>.</summary>
    public const string ResourceServiceInstanceId = "service.instance.id";

    /// <summary>Per-category drops on a CRIT record: <c>netdrop.drops.softirq</c>, <c>netdrop.drops.accept_queue</c>, ...</summary>
    public const string AttributeDropsPrefix = "netdrop.drops.";

    /// <summary>The resource's <c>service.name</c>.</summary>
    public const string ServiceName = "netdrop";
}
