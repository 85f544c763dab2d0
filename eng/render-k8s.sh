#!/usr/bin/env bash
# Regenerates k8s/netdrop.yaml, the plain manifests, from the chart with its default values. A test fails when the
# committed file differs from this output, so run this after any chart change and commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
eng/install-helm.sh
export HELM_CACHE_HOME="$PWD/.tools/helm-home/cache" HELM_CONFIG_HOME="$PWD/.tools/helm-home/config" HELM_DATA_HOME="$PWD/.tools/helm-home/data"
# --skip-tests: the helm test pod is for `helm test`, not for kubectl apply.
.tools/helm/helm template netdrop helm/netdrop --namespace netdrop --skip-tests > k8s/netdrop.yaml
echo "k8s/netdrop.yaml rendered from helm/netdrop"
