namespace NetDrop.Configuration;

/// <summary>
/// OTLP export settings from netdrop's own configuration. The standard <c>OTEL_EXPORTER_OTLP_*</c> variables still
/// work and take precedence over these (environment beats file, as for every other key).
/// </summary>
internal sealed class OtlpSettings
{
    /// <summary>Export is off when neither this nor <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary><c>grpc</c> or <c>http/protobuf</c>; the default is <see cref="ConfigKeys.OtlpProtocol"/>'s.</summary>
    public string Protocol { get; set; } = ConfigKeys.OtlpProtocol.Default;

    /// <summary><c>key=value,key2=value2</c>; redacted in <c>config show</c>.</summary>
    public string Headers { get; set; } = "";

    /// <summary>Range and default: <see cref="ConfigKeys.OtlpExportInterval"/>.</summary>
    public TimeSpan ExportInterval { get; set; } = ConfigKeys.OtlpExportInterval.Default;

    /// <summary>Range and default: <see cref="ConfigKeys.OtlpTimeout"/>.</summary>
    public TimeSpan Timeout { get; set; } = ConfigKeys.OtlpTimeout.Default;
}
