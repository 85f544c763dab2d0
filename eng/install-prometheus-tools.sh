#!/usr/bin/env bash
# Installs promtool and amtool into .tools/prometheus/bin, idempotently, to check k8s/alerting's rule file and
# Alertmanager configuration with the projects' own parsers. They come from Debian's prometheus and
# prometheus-alertmanager packages, unpacked with dpkg-deb rather than installed: installing would also start
# (or enable) the Prometheus and Alertmanager daemons on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."

dest=.tools/prometheus
if [ -x "$dest/bin/promtool" ] && [ -x "$dest/bin/amtool" ]; then
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "== fetching promtool and amtool (Debian packages prometheus, prometheus-alertmanager)"
if ! (cd "$work" && apt-get download -q prometheus prometheus-alertmanager >/dev/null 2>&1); then
  apt-get update -qq
  (cd "$work" && apt-get download -q prometheus prometheus-alertmanager >/dev/null)
fi
mkdir -p "$work/root" "$dest/bin"
for deb in "$work"/*.deb; do
  dpkg-deb -x "$deb" "$work/root"
done
install -m 0755 "$work/root/usr/bin/promtool" "$dest/bin/promtool"
install -m 0755 "$work/root/usr/bin/amtool" "$dest/bin/amtool"
"$dest/bin/promtool" --version 2>&1 | head -1
"$dest/bin/amtool" --version 2>&1 | head -1
