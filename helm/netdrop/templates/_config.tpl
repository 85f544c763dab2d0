{{/*
The agent's netdrop.yaml. Its own template so that the pod's checksum/config annotation hashes the file alone:
hashing the whole ConfigMap would include its chart-version label and restart every node on a chart-only upgrade.
*/}}
{{- define "netdrop.configFile" -}}
# Rendered by the netdrop Helm chart; edit the chart's values, not this file.
interfaces: {{ toJson .Values.config.interfaces }}
exclude: {{ toJson .Values.config.exclude }}
interval: {{ .Values.config.interval }}
threshold: {{ .Values.config.threshold | int64 }}
thresholds: {{ toJson .Values.config.thresholds }}
# The host's procfs and sysfs, mounted read-only by the DaemonSet.
paths:
  proc: /host/proc
  sys: /host/sys
link_source: {{ .Values.config.linkSource }}
namespaces: {{ .Values.config.namespaces }}
namespace_interval: {{ .Values.config.namespaceInterval }}
csv:
  {{- if .Values.csv.enabled }}
  path: {{ printf "%s/%s" (include "netdrop.csvDirectory" .) .Values.csv.fileName | quote }}
  {{- else }}
  path: ""
  {{- end }}
  {{- if and .Values.csv.enabled .Values.csv.detailFileName }}
  detail_path: {{ printf "%s/%s" (include "netdrop.csvDirectory" .) .Values.csv.detailFileName | quote }}
  {{- else }}
  detail_path: ""
  {{- end }}
  max_size_mb: {{ .Values.csv.maxSizeMb | int64 }}
  max_files: {{ .Values.csv.maxFiles | int64 }}
console:
  color: never
otlp:
  # The endpoint and headers come from NETDROP_OTLP_ENDPOINT / NETDROP_OTLP_HEADERS in the DaemonSet: the
  # endpoint needs the node's IP and the headers live in a Secret.
  endpoint: ""
  protocol: {{ .Values.otlp.protocol }}
  headers: ""
  export_interval: {{ .Values.otlp.exportInterval }}
  timeout: {{ .Values.otlp.timeout }}
prometheus:
  # Set by NETDROP_PROMETHEUS_LISTEN in the DaemonSet when prometheus.enabled: it needs the node's IP.
  listen: ""
ethtool:
  enabled: {{ .Values.config.ethtool.enabled }}
per_cpu: {{ .Values.config.perCpu }}
# Touched after every sample; the exec probes (`netdrop health`) read it.
heartbeat_file: /tmp/netdrop.heartbeat
# The DaemonSet's agent adds --drop-reasons (and the capabilities it needs) when dropReasons.enabled; the test pod,
# which reads this file too, runs without them.
drop_reasons: off
{{- end }}
