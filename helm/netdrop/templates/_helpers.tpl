{{/* Chart name, truncated to the 63 characters a label value allows. */}}
{{- define "netdrop.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name: the release name alone when it already contains the chart name. */}}
{{- define "netdrop.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* The namespace of every object: namespaceOverride (for umbrella charts), else the release's. */}}
{{- define "netdrop.namespace" -}}
{{- default .Release.Namespace .Values.namespaceOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "netdrop.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels for the objects themselves. */}}
{{- define "netdrop.labels" -}}
helm.sh/chart: {{ include "netdrop.chart" . }}
{{ include "netdrop.selectorLabels" . }}
app.kubernetes.io/component: agent
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Selector labels, which are also the pod-template labels: no chart or app version here, so that a chart-only
upgrade does not restart the agent on every node (an image change still rolls the pods, through the image field).
*/}}
{{- define "netdrop.selectorLabels" -}}
app.kubernetes.io/name: {{ include "netdrop.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "netdrop.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "netdrop.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
[registry/]repository:tag, or [registry/]repository@digest when a digest is given. global.imageRegistry (an
umbrella chart's mirror) wins over image.registry. A repository whose first component is a host, as Docker reads it
(has a "." or ":", or is localhost: registry.example.com/netdrop), already names its registry and is used as it is.
*/}}
{{- define "netdrop.image" -}}
{{- $registry := .Values.image.registry }}
{{- with .Values.global }}{{ with .imageRegistry }}{{ $registry = . }}{{ end }}{{ end }}
{{- $repository := .Values.image.repository }}
{{- $first := first (splitList "/" $repository) }}
{{- $namesRegistry := and (contains "/" $repository) (or (contains "." $first) (contains ":" $first) (eq "localhost" $first)) }}
{{- if and $registry (not $namesRegistry) }}
{{- $repository = printf "%s/%s" (trimSuffix "/" $registry) $repository }}
{{- end }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" $repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" $repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* Where the CSV directory is mounted inside the container (the hostPath may differ). */}}
{{- define "netdrop.csvDirectory" -}}
/var/log/netdrop
{{- end }}

{{/* The OTLP endpoint: the user's, or the node-local collector on the node's IP ($(HOST_IP) is expanded by the kubelet). */}}
{{- define "netdrop.otlpEndpoint" -}}
{{- if .Values.otlp.endpoint }}
{{- .Values.otlp.endpoint }}
{{- else if eq .Values.otlp.protocol "http/protobuf" }}
{{- print "http://$(HOST_IP):4318" }}
{{- else }}
{{- print "http://$(HOST_IP):4317" }}
{{- end }}
{{- end }}

{{/* The container-level hardening shared by the agent and the test pod: securityContext (values.yaml). */}}
{{- define "netdrop.containerSecurityContext" -}}
{{- toYaml .Values.securityContext }}
{{- end }}

{{/*
The agent container's security context: securityContext, and with dropReasons.enabled exactly CAP_BPF and
CAP_PERFMON added and uid 0. A non-root container cannot use an added capability (Kubernetes sets no ambient
capabilities, so execve(2) of a file without file capabilities clears them), hence root, with every other
capability still dropped. The test pod's containers never count reasons and keep securityContext as it is.
*/}}
{{- define "netdrop.agentSecurityContext" -}}
{{- $context := deepCopy .Values.securityContext }}
{{- if .Values.dropReasons.enabled }}
{{- $capabilities := deepCopy (default (dict) $context.capabilities) }}
{{- $_ := set $capabilities "add" (concat (default (list) $capabilities.add) (list "BPF" "PERFMON") | uniq) }}
{{- $_ = set $context "capabilities" $capabilities }}
{{- $_ = set $context "runAsUser" 0 }}
{{- $_ = set $context "runAsNonRoot" false }}
{{- end }}
{{- toYaml $context }}
{{- end }}

{{/* The pod-level security context shared by the DaemonSet and the test pod: podSecurityContext (values.yaml). */}}
{{- define "netdrop.podSecurityContext" -}}
{{- toYaml .Values.podSecurityContext }}
{{- end }}

{{/*
uid:gid the init container hands the CSV directory to: the agent's runAsUser/runAsGroup (container level, else pod
level). Without a fixed uid (OpenShift assigns one at admission) there is nothing to chown to: fail with the fix.
*/}}
{{- define "netdrop.csvOwner" -}}
{{- $user := coalesce .Values.securityContext.runAsUser .Values.podSecurityContext.runAsUser }}
{{- $group := coalesce .Values.securityContext.runAsGroup .Values.podSecurityContext.runAsGroup $user }}
{{- if .Values.dropReasons.enabled }}
{{- /* The agent is uid 0 without CAP_DAC_OVERRIDE: it can write a 0755 directory only as its owner. */}}
{{- $user = 0 }}
{{- $group = coalesce $group 0 }}
{{- else if not $user }}
{{- fail "csv.fixOwnership needs a fixed uid (securityContext.runAsUser or podSecurityContext.runAsUser) to chown the CSV directory to; where the platform assigns the uid (OpenShift), set csv.fixOwnership=false and provision the directory, or csv.enabled=false" }}
{{- end }}
{{- printf "%v:%v" $user $group }}
{{- end }}

{{/* OTEL_RESOURCE_ATTRIBUTES: the downward-API identity of this pod, then the user's extra attributes (sorted). */}}
{{- define "netdrop.resourceAttributes" -}}
{{- $attributes := list
  "k8s.node.name=$(K8S_NODE_NAME)"
  "k8s.pod.name=$(K8S_POD_NAME)"
  "k8s.pod.uid=$(K8S_POD_UID)"
  "k8s.namespace.name=$(K8S_NAMESPACE)"
  (printf "k8s.daemonset.name=%s" (include "netdrop.fullname" .))
  "k8s.container.name=netdrop" -}}
{{- range $key, $value := .Values.resourceAttributes }}
{{- $attributes = append $attributes (printf "%s=%v" $key $value) }}
{{- end }}
{{- join "," $attributes }}
{{- end }}

{{/* The exec probe: the binary itself, since the image has no shell. A JSON list on one line. */}}
{{- define "netdrop.healthCommand" -}}
{{- toJson (list "/app/netdrop" "health" "--heartbeat-file" "/tmp/netdrop.heartbeat" "--max-age" (toString .Values.health.maxAgeSeconds)) }}
{{- end }}
