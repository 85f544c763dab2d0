namespace NetDrop.Telemetry;

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

    public const string UnitPacket = "{packet}";
    public const string UnitEvent = "{event}";
    public const string UnitInterval = "{interval}";
    public const string UnitError = "{error}";
    public const string UnitSecond = "s";

    public const string AttributeCategory = "netdrop.category";
    public const string AttributeInterface = "network.interface.name";
    public const string AttributeDirection = "network.io.direction";
    public const string AttributeCpu = "cpu.logical_number";
    public const string AttributeSource = "netdrop.source";

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

    /// <summary>Per-category drops on a CRIT record: <c>netdrop.drops.softirq</c>, <c>netdrop.drops.accept_queue</c>, ...</summary>
    public const string AttributeDropsPrefix = "netdrop.drops.";

    /// <summary>The resource's <c>service.name</c>.</summary>
    public const string ServiceName = "netdrop";
}
