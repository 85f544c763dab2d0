using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NetDrop.Configuration;
using NetDrop.Monitoring;
using NetDrop.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace NetDrop.Hosting;

/// <summary>
/// Builds the host around a checked <see cref="MonitorSession"/>: the sampling service, systemd notify integration,
/// and — only when an OTLP endpoint or a Prometheus listen address is configured — the OpenTelemetry metrics (OTLP
/// push, Prometheus pull, or both) and, with OTLP, the CRIT-log pipeline.
/// </summary>
internal static class NetDropHost
{
    /// <summary>How long SIGTERM may take: the interval in progress, the CSV flush and the exporter's last push.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);

    public static IHost Build(MonitorSession session, System.Collections.IDictionary environment)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());

        // Order matters: netdrop's own otlp.* keys first, then the process environment, so a standard OTEL_*
        // variable overrides the file (environment beats file, as for every NetDrop key).
        builder.Configuration.AddInMemoryCollection(OtlpEnvironment(session.Options.Otlp));
        builder.Configuration.AddEnvironmentVariables();

        builder.Services.AddSingleton(session);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SamplingService>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<SamplingService>());
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = ShutdownTimeout);
        builder.Services.Configure<ConsoleLifetimeOptions>(options => options.SuppressStatusMessages = true);
        builder.Services.AddSystemd();
        builder.Logging.ClearProviders();

        bool exportEnabled = IsExportEnabled(session.Options.Otlp, environment);
        PrometheusListenAddress? prometheus = session.Options.PrometheusListen;
        if (exportEnabled || prometheus is not null)
        {
            AddTelemetry(builder, exportEnabled, prometheus);
        }

        IHost host = builder.Build();
        if (exportEnabled || prometheus is not null)
        {
            session.AddSink(new NetDropMetrics(
                host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
                session.Registry,
                session.Options.PerCpu,
                () => session.LastSampleSeconds,
                () => session.Health.FailureCount));
        }

        if (exportEnabled)
        {
            session.AddSink(new CritEventLogger(
                host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("NetDrop"),
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

    private static void AddTelemetry(HostApplicationBuilder builder, bool exportOtlp, PrometheusListenAddress? prometheus)
    {
        OpenTelemetryBuilder telemetry = builder.Services.AddOpenTelemetry()
            // Later detectors win: OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME (a pod's k8s.* and service.instance.id
            // from the downward API) must override what NetDrop fills in itself, so they are applied last.
            .ConfigureResource(resource => resource
                .AddService(NetDropSemanticConventions.ServiceName, serviceVersion: VersionInfo.Version)
                .AddAttributes([new("host.name", Environment.MachineName)])
                .AddEnvironmentVariableDetector())
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(NetDropSemanticConventions.MeterName);
                if (prometheus is not null)
                {
                    AddPrometheus(metrics, prometheus);
                }
            });

        if (exportOtlp)
        {
            builder.Logging.AddOpenTelemetry(options =>
            {
                options.IncludeFormattedMessage = true;
                options.IncludeScopes = false;
            });
            builder.Logging.AddFilter<OpenTelemetryLoggerProvider>("NetDrop", LogLevel.Information);
            builder.Logging.AddFilter<OpenTelemetryLoggerProvider>("Microsoft", LogLevel.Warning);
            telemetry.WithLogging().UseOtlpExporter();
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
