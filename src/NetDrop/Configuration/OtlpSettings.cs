namespace NetDrop.Configuration;

/// <summary>
/// OTLP export settings from netdrop's own configuration. The standard <c>OTEL_EXPORTER_OTLP_*</c> variables still
/// work and take precedence over these (environment beats file, as for every other key).
/// </summary>
internal sealed class OtlpSettings
{
    /// <summary>Export is off when neither this nor <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary><c>grpc</c> or <c>http/protobuf</c>. The default value is grpc.</summary>
    public string Protocol { get; set; } = "grpc";

    /// <summary><c>key=value,key2=value2</c>; redacted in <c>config show</c>.</summary>
    public string Headers { get; set; } = "";

    /// <summary>Between 100 ms and 1 h. The default value is 10 seconds.</summary>
    public TimeSpan ExportInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Between 100 ms and 10 min. The default value is 10 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
