using YamlDotNet.RepresentationModel;

namespace NetDrop.Tests.Deploy;

/// <summary>
/// What the collector itself checks when it loads a configuration, as far as it can be checked without the binary:
/// every component's type is in the distribution (and is not a deprecated alias), every top-level key of the
/// components used is one that component has, every pipeline names declared components of the right section, and
/// every connector joins an exporter pipeline to a receiver pipeline of signals it supports.
/// </summary>
internal static class CollectorConfigCheck
{
    private static readonly (string Section, string Kind)[] s_sections =
        [("receivers", "receiver"), ("processors", "processor"), ("exporters", "exporter"), ("connectors", "connector"), ("extensions", "extension")];

    private static readonly string[] s_stages = ["receivers", "processors", "exporters"];

    private static readonly string[] s_signals = ["traces", "metrics", "logs", "profiles"];

    /// <summary>
    /// The top-level configuration keys of the components the shipped files use (each component's config.go at
    /// v0.159.0, as its README documents them). A component without an entry fails: add its keys when using it.
    /// </summary>
    private static readonly Dictionary<(string Kind, string Type), string[]> s_knownKeys = new()
    {
        [("receiver", "otlp")] = ["protocols"],
        [("processor", "memory_limiter")] = ["check_interval", "limit_mib", "spike_limit_mib", "limit_percentage", "spike_limit_percentage"],
        [("processor", "batch")] = ["timeout", "send_batch_size", "send_batch_max_size", "metadata_keys", "metadata_cardinality_limit"],
        [("processor", "filter")] = ["error_mode", "trace_conditions", "metric_conditions", "log_conditions", "profile_conditions"],
        [("processor", "transform")] = ["error_mode", "trace_statements", "metric_statements", "log_statements", "profile_statements", "flatten_data"],
        [("processor", "delta_to_cumulative")] = ["max_stale", "max_streams"],
        [("processor", "groupbyattrs")] = ["keys"],
        [("processor", "k8s_attributes")] =
        [
            "auth_type", "context", "passthrough", "extract", "filter", "pod_association", "exclude", "wait_for_metadata",
            "wait_for_metadata_timeout",
        ],
        [("connector", "count")] = ["spans", "spanevents", "metrics", "datapoints", "logs", "profiles"],
        [("exporter", "prometheus_remote_write")] =
        [
            "endpoint", "tls", "headers", "timeout", "compression", "auth", "proxy_url", "read_buffer_size", "write_buffer_size",
            "namespace", "external_labels", "resource_to_telemetry_conversion", "remote_write_queue", "retry_on_failure",
            "target_info", "add_metric_suffixes", "translation_strategy", "send_metadata", "max_batch_size_bytes",
            "max_batch_request_parallelism", "wal", "protobuf_message",
        ],
        [("exporter", "otlp_grpc")] = ["endpoint", "tls", "headers", "compression", "timeout", "sending_queue", "retry_on_failure", "auth", "balancer_name", "keepalive"],
        [("exporter", "otlp_http")] = ["endpoint", "traces_endpoint", "metrics_endpoint", "logs_endpoint", "tls", "headers", "compression", "timeout", "sending_queue", "retry_on_failure", "auth", "encoding"],
        [("extension", "health_check")] = ["endpoint", "path", "tls", "response_body", "check_collector_pipeline", "use_v2", "http", "grpc"],
    };

    /// <summary>Legacy forms a component still loads but its README tells users to replace.</summary>
    private static readonly Dictionary<(string Kind, string Type, string Key), string> s_legacyKeys = new()
    {
        [("processor", "filter", "logs")] = "log_conditions",
        [("processor", "filter", "metrics")] = "metric_conditions",
        [("processor", "filter", "traces")] = "trace_conditions",
    };

    /// <summary>Signals each connector type joins: (exporter pipeline signal, receiver pipeline signal).</summary>
    private static readonly Dictionary<string, Func<string, string, bool>> s_connectorSignals = new()
    {
        // count and signal_to_metrics turn any signal into metrics; forward and routing pass a signal on as itself.
        ["count"] = (from, to) => to == "metrics",
        ["signal_to_metrics"] = (from, to) => to == "metrics",
        ["forward"] = (from, to) => from == to,
        ["routing"] = (from, to) => from == to,
    };

    public static IReadOnlyList<string> Problems(YamlMappingNode config, CollectorDistribution distribution)
    {
        var problems = new List<string>();
        string release = $"{distribution.Name} {distribution.Version}";

        foreach (string key in config.Keys().Where(key => !s_sections.Any(section => section.Section == key) && key != "service"))
        {
            problems.Add($"unknown top-level key '{key}'");
        }

        var declared = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach ((string section, string kind) in s_sections)
        {
            declared[section] = [];
            if (!config.Has(section))
            {
                continue;
            }

            foreach ((YamlNode idNode, YamlNode settings) in config.Map(section).Children)
            {
                string id = ((YamlScalarNode)idNode).Value!;
                declared[section].Add(id);
                string type = id.Split('/', 2)[0];
                if (distribution.ReplacementOf(kind, type) is { } replacement)
                {
                    problems.Add($"{kind} '{id}': '{type}' is the deprecated name of '{replacement}' in {release}");
                }
                else if (!distribution.Contains(kind, type))
                {
                    problems.Add($"{kind} '{id}': there is no {kind} '{type}' in {release} (or its type is not in the vendored list)");
                }
                else
                {
                    problems.AddRange(KeyProblems(kind, type, id, settings));
                }
            }
        }

        if (!config.Has("service"))
        {
            problems.Add("no service section");
            return problems;
        }

        YamlMappingNode service = config.Map("service");
        if (service.Has("extensions"))
        {
            problems.AddRange(service.Seq("extensions").Strings()
                .Where(extension => !declared["extensions"].Contains(extension))
                .Select(extension => $"service.extensions names undeclared extension '{extension}'"));
        }

        var connectorExporterSignals = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var connectorReceiverSignals = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach ((YamlNode nameNode, YamlNode pipelineNode) in service.Map("pipelines").Children)
        {
            string name = ((YamlScalarNode)nameNode).Value!;
            string signal = name.Split('/', 2)[0];
            if (!s_signals.Contains(signal))
            {
                problems.Add($"pipeline '{name}': '{signal}' is not a signal ({string.Join(", ", s_signals)})");
                continue;
            }

            var pipeline = (YamlMappingNode)pipelineNode;
            problems.AddRange(pipeline.Keys().Where(key => key is not ("receivers" or "processors" or "exporters"))
                .Select(key => $"pipeline '{name}': unknown key '{key}'"));
            if (!pipeline.Has("receivers") || !pipeline.Seq("receivers").Strings().Any())
            {
                problems.Add($"pipeline '{name}' has no receiver");
            }

            if (!pipeline.Has("exporters") || !pipeline.Seq("exporters").Strings().Any())
            {
                problems.Add($"pipeline '{name}' has no exporter");
            }

            foreach (string stage in s_stages.Where(pipeline.Has))
            {
                foreach (string id in pipeline.Seq(stage).Strings())
                {
                    if (declared[stage].Contains(id))
                    {
                        continue;
                    }

                    if (stage != "processors" && declared["connectors"].Contains(id))
                    {
                        (stage == "exporters" ? connectorExporterSignals : connectorReceiverSignals)
                            .TryAdd(id, []);
                        (stage == "exporters" ? connectorExporterSignals : connectorReceiverSignals)[id].Add(signal);
                        continue;
                    }

                    problems.Add($"pipeline '{name}' names undeclared {stage[..^1]} '{id}'");
                }
            }
        }

        foreach (string connector in declared["connectors"])
        {
            bool exported = connectorExporterSignals.TryGetValue(connector, out List<string>? from);
            bool received = connectorReceiverSignals.TryGetValue(connector, out List<string>? to);
            if (!exported || !received)
            {
                problems.Add($"connector '{connector}' must be an exporter of one pipeline and a receiver of another");
                continue;
            }

            string type = connector.Split('/', 2)[0];
            if (!s_connectorSignals.TryGetValue(type, out Func<string, string, bool>? supports))
            {
                problems.Add($"connector '{connector}': its supported signal pairs are not recorded in {nameof(CollectorConfigCheck)}");
                continue;
            }

            problems.AddRange(from!.SelectMany(exporterSignal => to!.Select(receiverSignal => (exporterSignal, receiverSignal)))
                .Where(pair => !supports(pair.exporterSignal, pair.receiverSignal))
                .Select(pair => $"connector '{connector}' cannot join a {pair.exporterSignal} pipeline to a {pair.receiverSignal} pipeline"));
        }

        return problems;
    }

    private static IEnumerable<string> KeyProblems(string kind, string type, string id, YamlNode settings)
    {
        if (settings is not YamlMappingNode map)
        {
            // `batch:` or `batch: {}`: the component's defaults.
            yield break;
        }

        if (!s_knownKeys.TryGetValue((kind, type), out string[]? known))
        {
            yield return $"{kind} '{id}': its configuration keys are not recorded in {nameof(CollectorConfigCheck)}";
            yield break;
        }

        foreach (string key in map.Keys())
        {
            if (s_legacyKeys.TryGetValue((kind, type, key), out string? replacement))
            {
                yield return $"{kind} '{id}': '{key}' is the legacy form; use '{replacement}'";
            }
            else if (!known.Contains(key))
            {
                yield return $"{kind} '{id}': unknown key '{key}'";
            }
        }
    }
}
