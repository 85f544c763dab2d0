#!/usr/bin/env bash
# bench/collector-outage.sh — CRIT records raised while the OpenTelemetry collector is down for 10 minutes are all
# delivered, once each and in order, when it comes back; the agent's memory stays bounded meanwhile. Run by hand as
# root (not part of the test suite: it takes ~11 minutes); TelemetryOutageTests is the short CI version.
#
#     sudo bench/collector-outage.sh                       # 10-minute outage, 1 s interval, a CRIT burst every 20 s
#     sudo OUTAGE_SECONDS=60 bench/collector-outage.sh     # a shorter one
#     sudo NETDROP=/tmp/aot/netdrop bench/collector-outage.sh   # an AOT binary instead of the Release build
#
# What it does: starts the agent on lo (--threshold 1) exporting OTLP/gRPC to a loopback port nobody listens on;
# floods an unread UDP socket on loopback every CRIT_EVERY seconds (udp_rcvbuf drops: a CRIT interval each); after
# OUTAGE_SECONDS starts the Aspire Dashboard (from the NuGet cache, as the tests do) on that port; waits until it
# holds as many netdrop.crit records of this run as the CSV has CRIT rows; stops the agent with SIGTERM; and compares
# the records, in the order the dashboard received them (aspire.log_id), with the CSV's CRIT rows (total_drops, row by
# row). Other traffic on lo can add CRIT intervals: they must be delivered too. Everything listens on 127.0.0.1 only,
# every loop is bounded, and everything started is stopped on exit. Prints the figures and exits 1 if any is wrong.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
OUTAGE_SECONDS=${OUTAGE_SECONDS:-600}
INTERVAL=${INTERVAL:-1}
CRIT_EVERY=${CRIT_EVERY:-20}
DASHBOARD=${DASHBOARD:-$HOME/.nuget/packages/aspire.dashboard.sdk.linux-x64/13.6.5/tools/Aspire.Dashboard}
NETDROP=${NETDROP:-}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

die() { printf 'bench/collector-outage.sh: %s\n' "$*" >&2; exit 1; }
log() { printf '== %s\n' "$*" >&2; }
[ "$(id -u)" -eq 0 ] || die "run as root (the agent reads every kernel counter)"
command -v python3 >/dev/null || die "python3 is needed for the UDP flood and the JSON comparison"
command -v curl >/dev/null || die "curl is needed to read the dashboard's API"
[ -x "$DASHBOARD" ] || die "no Aspire Dashboard at $DASHBOARD: restore tests/NetDrop.Tests (dotnet restore) or set DASHBOARD"

if [ -z "$NETDROP" ]; then
    dotnet build src/NetDrop -c Release -nologo -clp:ErrorsOnly >/dev/null || die "build failed"
    AGENT=(dotnet "$REPO/src/NetDrop/bin/Release/net10.0/netdrop.dll")
else
    AGENT=("$NETDROP")
fi

TMP=$(mktemp -d /tmp/netdrop-outage.XXXXXX)
AGENT_PID='' DASH_PID=''
cleanup() {
    [ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null || true
    [ -n "$DASH_PID" ] && kill "$DASH_PID" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
GRPC=$(free_port) FRONTEND=$(free_port) HTTP=$(free_port)
INSTANCE=outage-$(date +%s)-$$
CSV=$TMP/outage.csv

log "agent: ${AGENT[*]} on lo every ${INTERVAL}s, exporting to 127.0.0.1:$GRPC (nothing listens there)"
env OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$GRPC" OTEL_RESOURCE_ATTRIBUTES="service.instance.id=$INSTANCE" \
    OTEL_METRIC_EXPORT_INTERVAL=5000 \
    "${AGENT[@]}" monitor -i lo --interval "$INTERVAL" --threshold 1 --csv "$CSV" --no-color >"$TMP/agent.out" 2>"$TMP/agent.err" &
AGENT_PID=$!

rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$AGENT_PID/status"; }
crit_rows() { [ -f "$CSV" ] && awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "severity") s = i; next } $s == "CRIT"' "$CSV" | wc -l || echo 0; }
sleep 3
kill -0 "$AGENT_PID" 2>/dev/null || { cat "$TMP/agent.err"; die "the agent did not start"; }
RSS_START=$(rss) RSS_MAX=$RSS_START

log "outage: ${OUTAGE_SECONDS}s, a flood of 200 datagrams into an unread socket every ${CRIT_EVERY}s"
started=$SECONDS
while [ $((SECONDS - started)) -lt "$OUTAGE_SECONDS" ]; do
    python3 - <<'PY'
import socket, time
receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
receiver.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1)   # the kernel's minimum: a few datagrams
receiver.bind(("127.0.0.1", 0))
sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
deadline = time.monotonic() + 5
for _ in range(200):                                          # bounded in count and time
    if time.monotonic() > deadline:
        break
    sender.sendto(b"x" * 64, receiver.getsockname())
PY
    now=$(rss); [ "$now" -gt "$RSS_MAX" ] && RSS_MAX=$now
    echo "$((SECONDS - started)) $now" >>"$TMP/rss.txt"
    sleep "$CRIT_EVERY"
done
CRIT_DURING=$(crit_rows)
FAILING_LINES=$(grep -c 'OTLP export of logs to .* is failing' "$TMP/agent.err" || true)
log "outage over: $CRIT_DURING CRIT intervals in the CSV; RSS ${RSS_START} -> max ${RSS_MAX} KiB"

log "collector up: the Aspire Dashboard on 127.0.0.1:$GRPC"
HOME_DIR=$TMP/home; mkdir -p "$HOME_DIR"
(cd "$(dirname "$DASHBOARD")" && exec env -i PATH="$PATH" HOME="$HOME_DIR" \
    ASPNETCORE_URLS="http://127.0.0.1:$FRONTEND" ASPNETCORE_ENVIRONMENT=Production \
    ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="http://127.0.0.1:$GRPC" ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL="http://127.0.0.1:$HTTP" \
    ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true Dashboard__Frontend__AuthMode=Unsecured Dashboard__Otlp__AuthMode=Unsecured \
    Dashboard__Api__Enabled=true Dashboard__Api__AuthMode=Unsecured "$DASHBOARD") >"$TMP/dashboard.out" 2>&1 &
DASH_PID=$!
UP=$SECONDS
logs() { curl -sf "http://127.0.0.1:$FRONTEND/api/telemetry/logs?limit=10000" || echo '{}'; }
count_crit() {
    python3 -c '
import json, sys
instance = sys.argv[1]
try:
    root = json.load(sys.stdin)
except ValueError:
    print(0); sys.exit()
n = 0
for rl in root.get("data", {}).get("resourceLogs", []):
    res = {a["key"]: a["value"].get("stringValue") for a in rl.get("resource", {}).get("attributes", [])}
    if res.get("service.instance.id") != instance:
        continue
    for sl in rl["scopeLogs"]:
        n += sum(1 for r in sl["logRecords"] if r.get("eventName") == "netdrop.crit")
print(n)' "$INSTANCE"
}
delivered=0
while [ $((SECONDS - UP)) -lt 120 ]; do
    delivered=$(logs | count_crit)
    [ "$delivered" -ge "$CRIT_DURING" ] && break
    sleep 1
done
DELIVERY_SECONDS=$((SECONDS - UP))

log "stopping the agent (SIGTERM)"
kill -TERM "$AGENT_PID"
for _ in $(seq 1 300); do kill -0 "$AGENT_PID" 2>/dev/null || break; sleep 0.1; done
wait "$AGENT_PID" && AGENT_EXIT=0 || AGENT_EXIT=$?
AGENT_PID=''
sleep 2   # the dashboard ingests the last push

logs >"$TMP/logs.json"
python3 - "$CSV" "$TMP/logs.json" "$INSTANCE" <<'PY' >"$TMP/verdict"
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1])))
header, rows = rows[0], rows[1:]
crit = [r[header.index("total_drops")] for r in rows if r[header.index("severity")] == "CRIT"]
records = []
for rl in json.load(open(sys.argv[2]))["data"]["resourceLogs"]:
    res = {a["key"]: a["value"].get("stringValue") for a in rl.get("resource", {}).get("attributes", [])}
    if res.get("service.instance.id") != sys.argv[3]:
        continue
    for sl in rl["scopeLogs"]:
        for r in sl["logRecords"]:
            if r.get("eventName") == "netdrop.crit":
                attrs = {a["key"]: a["value"].get("stringValue") for a in r["attributes"]}
                records.append((int(attrs["aspire.log_id"]), attrs["netdrop.total_drops"]))
records.sort()
delivered = [total for _, total in records]
print(len(crit), len(delivered), "yes" if delivered == crit else "no")
PY
read -r CRIT_ALL DELIVERED_ALL IN_ORDER <"$TMP/verdict"
RECOVERED_LINES=$(grep -c 'OTLP export of logs to .* recovered after' "$TMP/agent.err" || true)
DROPPED_LINES=$(grep -c 'log records' "$TMP/agent.err" || true)

cat <<EOF

collector outage: ${OUTAGE_SECONDS} s, interval ${INTERVAL} s, threshold 1
  CRIT intervals in the CSV during the outage   $CRIT_DURING
  CRIT intervals in the CSV, whole run          $CRIT_ALL
  netdrop.crit records delivered                $DELIVERED_ALL  (all of the outage's within ${DELIVERY_SECONDS} s of the collector starting)
  delivered once each, in the CSV's order       $IN_ORDER
  'export of logs ... is failing' lines         $FAILING_LINES
  'export of logs ... recovered' lines          $RECOVERED_LINES
  retention-overflow lines                      $DROPPED_LINES
  agent RSS                                     ${RSS_START} KiB at start, ${RSS_MAX} KiB at most during the outage
  agent RSS by minute of the outage (KiB)       $(awk '{ m = int($1 / 60); if (!(m in v)) { v[m] = $2; o[++n] = m } } END { for (i = 1; i <= n; i++) printf "%s ", v[o[i]] }' "$TMP/rss.txt")
  agent exit code after SIGTERM                 $AGENT_EXIT
EOF
[ "$IN_ORDER" = yes ] && [ "$CRIT_ALL" -eq "$DELIVERED_ALL" ] && [ "$CRIT_DURING" -gt 0 ] && [ "$FAILING_LINES" -eq 1 ] \
    && [ "$RECOVERED_LINES" -eq 1 ] && [ "$AGENT_EXIT" -eq 0 ] || die "a figure above is wrong"
