using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NetDrop.Configuration;
using NetDrop.Sinks.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace NetDrop.Agent;

/// <summary>
/// Builds the host around a checked <see cref="MonitorSession"/>: the sampling service, systemd notify integration,
/// and — only when an OTLP endpoint is configured — the OpenTelemetry metrics and CRIT-log pipeline.
/// </summary>
internal static class NetDropHost
{
    /// <summary>How long SIGTERM may take: the interval in progress, the CSV flush and the exporter's last push.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);

    public static IHost Build(MonitorSession session, System.Collections.IDictionary environment)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());

        // Order matters: netdrop's own otlp.* keys first, then the process environment, so a standard OTEL_*
        // variable overrides the file (environment beats file, as for every NetDrop key). The environment is the one
        // passed in (the process's, from MonitorCommand), the same the export switch below reads, so a test can give it.
        builder.Configuration.AddInMemoryCollection(OtlpEnvironment(session.Options.Otlp));
        builder.Configuration.AddInMemoryCollection(ConfigurationEntries(environment));

        builder.Services.AddSingleton(session);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SamplingService>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<SamplingService>());
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = ShutdownTimeout);
        builder.Services.Configure<ConsoleLifetimeOptions>(options => options.SuppressStatusMessages = true);
        builder.Services.AddSystemd();
        builder.Logging.ClearProviders();

        var operational = new OperationalLog(Console.Error);
        builder.Services.AddSingleton(operational);
        bool exportEnabled = IsExportEnabled(session.Options.Otlp, environment);
        PrometheusListenAddress? prometheus = session.Options.PrometheusListen;
        if (exportEnabled || prometheus is not null)
        {
            AddTelemetry(builder, session, environment["OTEL_RESOURCE_ATTRIBUTES"] as string, exportEnabled, prometheus);
        }

        IHost host = builder.Build();
        if (exportEnabled || prometheus is not null)
        {
            session.AddSink(new NetDropMetrics(
                host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
                session.Registry,
                session.Options.PerCpu,
                () => session.LastSampleSeconds,
                session.Health.FailureCountOf,
                readers: (exportEnabled ? 1 : 0) + (prometheus is not null ? 1 : 0)));
        }

        if (exportEnabled)
        {
            ILogger logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("NetDrop");
            operational.Attach(logger);
            session.Health.Observer = operational.Source;
            if (session.Csv is { } csv)
            {
                session.AddSink(new CsvHealthEvents(() => csv.IsFailing, csv.Path, operational));
            }

            session.AddSink(new CritEventLogger(
                logger,
                new TuningAdvice(session.Options.ProcRoot, session.Options.SysRoot),
                session.Options.Threshold,
                TimeProvider.System));
        }

        return host;
    }

    public static bool IsExportEnabled(OtlpSettings otlp, System.Collections.IDictionary environment) =>
        otlp.Endpoint is not null ||
        !string.IsNullOrEmpty(environment["OTEL_EXPORTER_OTLP_ENDPOINT"] as string) ||
        !string.IsNullOrEmpty(environment["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] as string) ||
        !string.IsNullOrEmpty(environment["OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"] as string);

    // Why not UseOtlpExporter(): NetDrop builds both exporters itself, the log one behind a processor that keeps CRIT
    // records across a collector outage, the metric one behind a reader that says when export fails or recovers.
    // OtlpExporterSettings reads the OTEL_EXPORTER_OTLP_* keys as UseOtlpExporter would. The Prometheus endpoint is
    // one more reader of the same instruments, with or without OTLP.
    private static void AddTelemetry(
        HostApplicationBuilder builder, MonitorSession session, string? resourceAttributes, bool exportOtlp, PrometheusListenAddress? prometheus)
    {
        IConfiguration configuration = builder.Configuration;
        string instanceId = ServiceInstanceId.Create(resourceAttributes, "/etc/machine-id", Environment.MachineName, session.Options.Interfaces);
        if (exportOtlp)
        {
            builder.Logging.AddOpenTelemetry(options =>
            {
                options.IncludeFormattedMessage = true;
                options.IncludeScopes = false;
            });
            builder.Logging.AddFilter<OpenTelemetryLoggerProvider>("NetDrop", LogLevel.Information);
            builder.Logging.AddFilter<OpenTelemetryLoggerProvider>("Microsoft", LogLevel.Warning);
        }

        OpenTelemetryBuilder telemetry = builder.Services.AddOpenTelemetry()
            // Later detectors win: OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME (a pod's k8s.* and service.instance.id
            // from the downward API) must override what NetDrop fills in itself, so they are applied last.
            .ConfigureResource(resource => resource
                .AddService(NetDropSemanticConventions.ServiceName, serviceVersion: VersionInfo.Version, autoGenerateServiceInstanceId: false)
                .AddAttributes([
                    new("host.name", Environment.MachineName),
                    new(NetDropSemanticConventions.ResourceServiceInstanceId, instanceId)])
                .AddEnvironmentVariableDetector())
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(NetDropSemanticConventions.MeterName);
                if (exportOtlp)
                {
                    metrics.AddReader(services => CreateMetricReader(configuration, services.GetRequiredService<OperationalLog>()));
                }

                if (prometheus is not null)
                {
                    AddPrometheus(metrics, prometheus);
                }
            });

        if (exportOtlp)
        {
            telemetry.WithLogging(logging => logging
                .AddProcessor(services => CreateLogProcessor(configuration, services.GetRequiredService<OperationalLog>())));
        }
    }

    /// <summary>
    /// The OpenTelemetry Prometheus exporter's own HttpListener (cumulative, whatever the OTLP temporality is): the
    /// same instruments, named by the OpenTelemetry→Prometheus rules (<c>netdrop.packet.dropped</c> becomes
    /// <c>netdrop_packet_dropped_total</c>). A scrape collects the current sums; nothing is computed per scrape
    /// beyond formatting. The node's identity is on every series (<c>host_name</c>, <c>k8s_node_name</c>) so an alert
    /// can name it without a <c>target_info</c> join; every resource attribute is in <c>target_info</c> too.
    /// </summary>
    private static void AddPrometheus(MeterProviderBuilder metrics, PrometheusListenAddress address) =>
        metrics.AddPrometheusHttpListener(options =>
        {
            options.Host = address.Host;
            options.Port = address.Port;
            options.ScrapeEndpointPath = "/metrics";
            options.ScopeInfoEnabled = false; // one meter: otel_scope_* labels on every series would only add noise
            options.ResourceConstantLabels = key => key is "host.name" or "k8s.node.name";
        });

    private static RetainingLogRecordProcessor CreateLogProcessor(IConfiguration configuration, OperationalLog operational)
    {
        OtlpExporterOptions options = OtlpExporterSettings.For(configuration, OtlpExporterSettings.Logs);
        var health = new ExportHealth(operational, OtlpExporterSettings.Logs, options.Endpoint, TimeProvider.System);
        return new RetainingLogRecordProcessor(new OtlpLogExporter(options), health, operational);
    }

    private static ObservedMetricReader CreateMetricReader(IConfiguration configuration, OperationalLog operational)
    {
        OtlpExporterOptions options = OtlpExporterSettings.For(configuration, OtlpExporterSettings.Metrics);
        var health = new ExportHealth(operational, OtlpExporterSettings.Metrics, options.Endpoint, TimeProvider.System);
        var reader = new ObservedMetricReader(
            new OtlpMetricExporter(options),
            health,
            Milliseconds(configuration["OTEL_METRIC_EXPORT_INTERVAL"], 60_000),
            Milliseconds(configuration["OTEL_METRIC_EXPORT_TIMEOUT"], 30_000));
        if (Enum.TryParse(configuration["OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"], ignoreCase: true, out MetricReaderTemporalityPreference temporality))
        {
            reader.TemporalityPreference = temporality;
        }

        return reader;
    }

    // The configuration layer has checked these (and fills OTEL_METRIC_EXPORT_INTERVAL from otlp.export_interval);
    // the spec's defaults stand for anything else.
    private static int Milliseconds(string? value, int fallback) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int milliseconds) && milliseconds > 0
            ? milliseconds
            : fallback;

    // As AddEnvironmentVariables() maps them: "__" separates configuration sections.
    private static IEnumerable<KeyValuePair<string, string?>> ConfigurationEntries(System.Collections.IDictionary environment)
    {
        foreach (System.Collections.DictionaryEntry entry in environment)
        {
            if (entry.Key is string key)
            {
                yield return new(key.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal), entry.Value as string);
            }
        }
    }

    // The OTLP exporter reads its settings from configuration under the standard environment-variable names.
    private static Dictionary<string, string?> OtlpEnvironment(OtlpSettings otlp)
    {
        var values = new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = otlp.Protocol,
            ["OTEL_EXPORTER_OTLP_TIMEOUT"] = ((long)otlp.Timeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OTEL_METRIC_EXPORT_INTERVAL"] = ((long)otlp.ExportInterval.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (otlp.Endpoint is not null)
        {
            values["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp.Endpoint.ToString();
        }

        if (otlp.Headers.Length > 0)
        {
            values["OTEL_EXPORTER_OTLP_HEADERS"] = otlp.Headers;
        }

        return values;
    }
}
