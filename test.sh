#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what the tests need, builds with warnings as errors, runs
# every test (root-only network-namespace tests included: they fail, never skip, without root), checks the
# Native AOT publish is warning-free, and ends with one "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

need_apt=()
command -v ip >/dev/null || need_apt+=(iproute2)
command -v tc >/dev/null || need_apt+=(iproute2)
command -v awk >/dev/null || need_apt+=(gawk)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v ethtool >/dev/null || [ -x /usr/sbin/ethtool ] || need_apt+=(ethtool)   # an oracle for the ethtool ioctl tests
command -v cc >/dev/null || need_apt+=(gcc)                                         # compiles the UAPI layout probes
[ -f /usr/include/linux/rtnetlink.h ] || need_apt+=(linux-libc-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== installing test dependencies: ${need_apt[*]}"
  # A held dpkg lock (unattended-upgrades, another install) is waited for rather than failed on.
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
if [ -x eng/install-helm.sh ]; then eng/install-helm.sh; fi

echo "== restore (locked: every packages.lock.json must match the project's package graph)"
# Exported, so the build's, the tests' and the AOT publish's own restores are locked too: a dependency that drifted
# from its lock file fails here (NU1004) rather than building with something nobody reviewed.
export RestoreLockedMode=true
dotnet restore NetDropOtel.sln -nologo

echo "== format (the committed code is what dotnet format would write)"
dotnet format NetDropOtel.sln --verify-no-changes --no-restore

echo "== build (warnings are errors)"
dotnet build NetDropOtel.sln -c Release -warnaserror -nologo -clp:ErrorsOnly

echo "== test"
log=$(mktemp)
set +e
# Category=Capture re-captures fixtures from this host: a tool, not a test (see CaptureFactAttribute).
dotnet test NetDropOtel.sln -c Release --no-build -nologo --filter "Category!=Capture" 2>&1 | tee "$log"
test_status=${PIPESTATUS[0]}
set -e

echo "== Native AOT publish (no trim/AOT warnings allowed)"
aot_log=$(mktemp)
aot_status=0
# PublishAot comes from the project file: passed as -p it would reach the kernel library's restore too, whose lock
# (rightly) has no ILCompiler, and the locked restore would refuse it.
dotnet publish src/NetDrop -c Release -r linux-x64 -o artifacts/aot -nologo -warnaserror >"$aot_log" 2>&1 || aot_status=$?
if [ $aot_status -ne 0 ] || grep -qE 'warning (IL|AOT)[0-9]+' "$aot_log"; then
  grep -E 'warning|error' "$aot_log" | head -20
  echo "AOT publish failed or warned"
  aot_status=1
else
  artifacts/aot/netdrop lo 0.05 artifacts/aot-smoke.csv --count 2 >/dev/null
  echo "AOT binary: $(du -h artifacts/aot/netdrop | cut -f1), ran a 2-interval monitor"
fi

passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
[ $aot_status -eq 0 ] && passed=$((passed + 1)) || failed=$((failed + 1))
echo "$passed passed, $failed failed"
[ "$test_status" -eq 0 ] && [ "$aot_status" -eq 0 ]
