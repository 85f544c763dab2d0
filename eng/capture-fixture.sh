#!/usr/bin/env bash
# Captures this host's procfs and sysfs drop-counter files into a fixture root for the parser tests:
#   eng/capture-fixture.sh tests/NetDrop.Kernel.Tests/Fixtures/kernels/<distro>-<kernel>-<arch>-<nic> [IFACE...]
# The tree mirrors absolute paths (proc/net/snmp, sys/class/net/eth0/statistics/rx_dropped), so a fixture folder
# is a drop-in --proc-root/--sys-root. Files are copied as they are: no MACs or hostnames live in these files.
set -euo pipefail
dest=${1:?usage: capture-fixture.sh DEST [IFACE...]}
shift
ifaces=("$@")
[ ${#ifaces[@]} -gt 0 ] || ifaces=(eth0 lo)
mkdir -p "$dest/proc/net"
for f in netstat snmp snmp6 softnet_stat dev; do
  [ -r "/proc/net/$f" ] && cat "/proc/net/$f" > "$dest/proc/net/$f"
done
for i in "${ifaces[@]}"; do
  d="$dest/sys/class/net/$i"
  mkdir -p "$d/statistics"
  cat "/sys/class/net/$i/ifindex" > "$d/ifindex"
  cat "/sys/class/net/$i/operstate" > "$d/operstate"
  for s in /sys/class/net/$i/statistics/*; do cat "$s" > "$d/statistics/$(basename "$s")"; done
done
driver=$(basename "$(readlink -f /sys/class/net/${ifaces[0]}/device/driver 2>/dev/null)" 2>/dev/null || echo none)
cat > "$dest/FIXTURE.md" <<MD
# $(basename "$dest")

- Kernel: $(uname -r) ($(uname -m))
- Distribution: $(. /etc/os-release && echo "$PRETTY_NAME")
- Interfaces: ${ifaces[*]} (driver of ${ifaces[0]}: $driver)
- CPUs: $(nproc)
- Captured: $(date -u +%Y-%m-%d) with \`eng/capture-fixture.sh $dest ${ifaces[*]}\`
- Scrubbed: nothing (these files hold counters only)
MD
echo "captured into $dest"
