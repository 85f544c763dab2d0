#!/usr/bin/env bash
# Installs the checkers the deployment tests run, idempotently:
#  - systemd-analyze (Debian's systemd package) for `systemd-analyze verify` on deploy/systemd/*;
#  - promtool and amtool (Debian's prometheus and prometheus-alertmanager) for k8s/alerting/, and the Prometheus
#    server itself, which scrapes a real agent and evaluates the shipped rules and dashboard queries;
#  - logrotate (Debian's logrotate) for `logrotate --debug` on deploy/logrotate/netdrop.
# The last three are unpacked into .tools/deploy-tools with dpkg-deb rather than installed: installing them
# would also start or enable the Prometheus and Alertmanager daemons and a logrotate timer on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_updated=0
apt_update_once() {
  if [ $apt_updated -eq 0 ]; then
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    apt_updated=1
  fi
}

# A held dpkg lock (unattended-upgrades, another run's install) is waited for, not failed on.
apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@" >/dev/null
}

if ! command -v systemd-analyze >/dev/null; then
  echo "== installing systemd (for systemd-analyze)"
  apt_update_once
  apt_install systemd
fi

# The unpacked logrotate links against libpopt, which a minimal image lacks; the library alone starts nothing.
if ! ldconfig -p | grep -q 'libpopt\.so\.0'; then
  echo "== installing libpopt0 (for the unpacked logrotate)"
  apt_update_once
  apt_install libpopt0
fi

dest=.tools/deploy-tools
if [ -x "$dest/bin/promtool" ] && [ -x "$dest/bin/prometheus" ] && [ -x "$dest/bin/amtool" ] && [ -x "$dest/bin/logrotate" ]; then
  exit 0
fi

packages=(prometheus prometheus-alertmanager logrotate)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "== fetching promtool, amtool and logrotate (Debian packages ${packages[*]})"
if ! (cd "$work" && apt-get download -q "${packages[@]}" >/dev/null 2>&1); then
  apt_update_once
  (cd "$work" && apt-get download -q "${packages[@]}" >/dev/null)
fi
mkdir -p "$work/root" "$dest/bin"
for deb in "$work"/*.deb; do
  dpkg-deb -x "$deb" "$work/root"
done
install -m 0755 "$work/root/usr/bin/promtool" "$dest/bin/promtool"
install -m 0755 "$work/root/usr/bin/prometheus" "$dest/bin/prometheus"
install -m 0755 "$work/root/usr/bin/amtool" "$dest/bin/amtool"
install -m 0755 "$work/root/usr/sbin/logrotate" "$dest/bin/logrotate"
"$dest/bin/promtool" --version 2>&1 | head -1
"$dest/bin/prometheus" --version 2>&1 | head -1
"$dest/bin/amtool" --version 2>&1 | head -1
"$dest/bin/logrotate" --version 2>&1 | head -1
