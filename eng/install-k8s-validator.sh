#!/usr/bin/env bash
# Installs the offline Kubernetes manifest validator into .tools/k8s-validator, idempotently:
# eng/k8s-validator/{package.json,package-lock.json,validate.mjs} + `npm ci` (versions and integrity pinned by the
# lock file). Run it as: node .tools/k8s-validator/validate.mjs FILE.yaml...
# Why this validator: no registry reachable here ships kubeconform or the raw Kubernetes JSON schemas; the npm
# package kubernetes-models carries the Kubernetes v1.36 OpenAPI schemas compiled to ajv validators, and its
# TypeScript types let the compiler reject unknown fields (see validate.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."

source_dir=eng/k8s-validator
dest=.tools/k8s-validator

up_to_date() {
  [ -d "$dest/node_modules/kubernetes-models" ] || return 1
  for file in package.json package-lock.json validate.mjs; do
    cmp -s "$source_dir/$file" "$dest/$file" || return 1
  done
}

if up_to_date; then
  exit 0
fi

if ! command -v npm >/dev/null; then
  echo "== installing nodejs and npm for eng/install-k8s-validator.sh"
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

echo "== installing the Kubernetes manifest validator (kubernetes-models + typescript) into $dest"
mkdir -p "$dest"
cp "$source_dir/package.json" "$source_dir/package-lock.json" "$dest/"
# kubernetes-models declares node >= 22; the code it ships is plain ES2022 and runs on Debian's node 18/20.
(cd "$dest" && npm ci --silent --no-audit --no-fund --engine-strict=false >/dev/null)
cp "$source_dir/validate.mjs" "$dest/validate.mjs"
echo "validator at $dest/validate.mjs"
