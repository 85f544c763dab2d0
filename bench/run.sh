#!/usr/bin/env bash
# bench/run.sh — what one NetDrop sample costs, next to the tools its users would otherwise run, on this machine, in
# one run. Run by hand as root (never part of the test suite: it takes ~10 minutes):
#
#     sudo bench/run.sh            # everything, BenchmarkDotNet included
#     sudo bench/run.sh --quick    # skip BenchmarkDotNet (the CPU-time harness still runs)
#
# Measures (bench/README.md explains each method):
#   1. BenchmarkDotNet: every kernel reader over fixtures and live, the delta engine, one full sample, the CSV row.
#   2. The CPU-time harness: the same operations in thread CPU time, the budget figures.
#   3. Whole-process CPU per sample: NetDrop (Native AOT, every source, every interface), the seed's approach
#      (bench/seed-monitor.sh: ethtool -S, tc -s qdisc, netstat -s, netstat -su, softnet_stat) and node_exporter
#      (netstat with every field, softnet, netdev, ethtool, qdisc, bonding; CPU per /metrics scrape on loopback).
#   4. Steady-state RSS: the AOT agent exporting OTLP to a local Aspire Dashboard, the agent without export, node_exporter.
#   5. Start-up: exec to first sample, to first reported interval, to exit.
# Writes bench/artifacts/results.md (gitignored) and prints it. Everything it starts listens on 127.0.0.1 only and is
# stopped on exit; every step is bounded by a timeout.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
OUT=${NDBENCH_OUT:-$REPO/bench/artifacts}
IFACE=${NDBENCH_INTERFACE:-eth0}
QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1
# NOTE: not NETDROP_*: the agent rejects any NETDROP_ variable that is not one of its configuration keys.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 NDBENCH_INTERFACE="$IFACE"

# Repetitions and sizes. Medians are taken over REPS runs of each whole-process measurement.
REPS=${NDBENCH_REPS:-5}
ND_SAMPLES=1000        # NetDrop intervals per run, at --interval 0.01
SEED_SAMPLES=100       # seed-approach samples per run, back to back
SCRAPES=300            # node_exporter scrapes per run
RSS_SECONDS=${NDBENCH_RSS_SECONDS:-60}   # how long the RSS runs last

log() { printf '\n== %s\n' "$*" >&2; }
die() { printf 'bench/run.sh: %s\n' "$*" >&2; exit 1; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
calc() { awk "BEGIN { printf \"%.${2:-2}f\", $1 }"; }

[ "$(id -u)" -eq 0 ] || die "run as root: ethtool statistics, perf and the kernel counters of every interface need it"
[ -e "/sys/class/net/$IFACE" ] || die "interface $IFACE not found; set NDBENCH_INTERFACE"

# ---------------------------------------------------------------------------------------------------------- tools
need=()
command -v perf >/dev/null || need+=(linux-perf)
command -v netstat >/dev/null || need+=(net-tools)
command -v ethtool >/dev/null || [ -x /usr/sbin/ethtool ] || need+=(ethtool)
command -v tc >/dev/null || [ -x /usr/sbin/tc ] || need+=(iproute2)
command -v curl >/dev/null || need+=(curl)
command -v cc >/dev/null || need+=(gcc)
[ -x /usr/bin/prometheus-node-exporter ] || need+=(prometheus-node-exporter)
if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# Debian's package enables and may start a node_exporter service on :9100; this script runs its own on loopback.
if command -v systemctl >/dev/null && systemctl is-enabled prometheus-node-exporter >/dev/null 2>&1; then
    systemctl disable --now prometheus-node-exporter >/dev/null 2>&1 || true
fi
PATH=$PATH:/usr/sbin:/sbin

mkdir -p "$OUT"
TMP=$(mktemp -d /tmp/netdrop-bench.XXXXXX)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
    rm -rf "$TMP"
}
trap cleanup EXIT

free_port() {
    local port
    for port in $(shuf -i 20000-60000 -n 100); do
        if ! ss -Hltn "sport = :$port" | grep -q .; then echo "$port"; return; fi
    done
    die "no free loopback port"
}

# CPU milliseconds (user + system, every thread and child) a command takes, from perf's task-clock. The commands run
# under `timeout`, whose own few hundred µs cancel out: every figure is a difference of two runs.
task_clock_ms() {
    perf stat -x, -e task-clock -o "$TMP/perf.txt" -- "$@" >/dev/null
    awk -F, '$3 ~ /^task-clock/ { print $1 }' "$TMP/perf.txt"
}

# utime + stime of a running process, in milliseconds (every thread, exited ones too).
process_cpu_ms() {
    local ticks
    ticks=$(sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }')
    calc "$ticks * 1000 / $(getconf CLK_TCK)" 1
}

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# ------------------------------------------------------------------------------------------------------ AOT build
log "Native AOT publish"
ND_DIR="$OUT/aot"
timeout 900 dotnet publish src/NetDrop -c Release -r linux-x64 -p:PublishAot=true -o "$ND_DIR" -nologo -clp:ErrorsOnly >"$TMP/publish.log" 2>&1 \
    || { cat "$TMP/publish.log"; die "AOT publish failed"; }
ND="$ND_DIR/netdrop"
ND_ARGS=(monitor -i '*' --no-color)   # every source on every interface (lo included)

# -------------------------------------------------------------------------------------------- in-process figures
log "BenchmarkDotNet and the CPU-time harness"
timeout 600 dotnet build bench/NetDrop.Benchmarks -c Release -nologo -clp:ErrorsOnly >"$TMP/build.log" 2>&1 \
    || { cat "$TMP/build.log"; die "benchmark build failed"; }
BENCH_DLL=bench/NetDrop.Benchmarks/bin/Release/net10.0/NetDrop.Benchmarks.dll
timeout 600 dotnet "$BENCH_DLL" cpu --rounds 31 --out "$OUT/cpu.csv" >&2
if [ "$QUICK" -eq 0 ]; then
    rm -rf "$OUT/bdn"
    timeout 1800 dotnet "$BENCH_DLL" --filter '*' --artifacts "$OUT/bdn" >"$OUT/bdn.log" 2>&1 || { tail -40 "$OUT/bdn.log"; die "BenchmarkDotNet failed"; }
fi
cpu_figure() { awk -F, -v op="$1" -v col="$2" 'NR > 1 && $1 == op { print $col }' "$OUT/cpu.csv"; }

# ------------------------------------------------------------------------------------- whole-process CPU / sample
log "NetDrop (AOT): CPU per interval, $REPS x ($ND_SAMPLES intervals - 1 interval), start-up subtracted"
nd_runs=()
nd_startup=()
for _ in $(seq "$REPS"); do
    rm -f "$TMP/nd.csv"
    one=$(task_clock_ms timeout 60 "$ND" "${ND_ARGS[@]}" --interval 0.01 --count 1 --csv "$TMP/nd.csv")
    rm -f "$TMP/nd.csv"
    many=$(task_clock_ms timeout 120 "$ND" "${ND_ARGS[@]}" --interval 0.01 --count $((ND_SAMPLES + 1)) --csv "$TMP/nd.csv")
    [ "$(($(wc -l <"$TMP/nd.csv") - 1))" -eq $((ND_SAMPLES + 1)) ] || die "NetDrop wrote $(wc -l <"$TMP/nd.csv") CSV lines, expected $((ND_SAMPLES + 2))"
    nd_startup+=("$one")
    nd_runs+=("$(calc "($many - $one) * 1000 / $ND_SAMPLES" 1)")
    printf '  %s µs/interval (start-up + 1 interval: %s ms CPU)\n' "${nd_runs[-1]}" "$one" >&2
done
ND_US=$(printf '%s\n' "${nd_runs[@]}" | median)
ND_STARTUP_CPU=$(printf '%s\n' "${nd_startup[@]}" | median)

log "Seed approach ($IFACE only): CPU per sample, $REPS x ($SEED_SAMPLES samples - baseline only)"
seed_runs=()
for _ in $(seq "$REPS"); do
    base=$(task_clock_ms timeout 60 bash bench/seed-monitor.sh "$IFACE" 0 0 "$TMP/seed.csv")
    many=$(task_clock_ms timeout 300 bash bench/seed-monitor.sh "$IFACE" "$SEED_SAMPLES" 0 "$TMP/seed.csv")
    seed_runs+=("$(calc "($many - $base) * 1000 / $SEED_SAMPLES" 1)")
    printf '  %s µs/sample\n' "${seed_runs[-1]}" >&2
done
SEED_US=$(printf '%s\n' "${seed_runs[@]}" | median)

log "node_exporter: CPU per /metrics scrape on loopback, $REPS x $SCRAPES scrapes"
NE_PORT=$(free_port)
prometheus-node-exporter --web.listen-address="127.0.0.1:$NE_PORT" --web.disable-exporter-metrics \
    --collector.disable-defaults --collector.netstat --collector.netstat.fields='.*' --collector.softnet \
    --collector.netdev --collector.ethtool --collector.qdisc --collector.bonding >"$TMP/node_exporter.log" 2>&1 &
NE_PID=$!
PIDS+=("$NE_PID")
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$NE_PORT/metrics" && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$NE_PORT/metrics" >"$TMP/metrics.txt" || die "node_exporter did not answer on 127.0.0.1:$NE_PORT"
NE_COLLECTORS=""
for family in node_netstat_TcpExt_ListenOverflows node_softnet_dropped_total node_network_receive_drop_total node_ethtool_ node_qdisc_drops_total; do
    grep -q "^$family" "$TMP/metrics.txt" && NE_COLLECTORS+="$family " || NE_COLLECTORS+="(missing:$family) "
done
NE_SERIES=$(grep -vc '^#' "$TMP/metrics.txt")
for _ in $(seq 20); do curl -sf -o /dev/null "http://127.0.0.1:$NE_PORT/metrics"; done
ne_runs=()
ne_rss=()
for _ in $(seq "$REPS"); do
    before=$(process_cpu_ms "$NE_PID")
    for _ in $(seq "$SCRAPES"); do curl -sf -o /dev/null "http://127.0.0.1:$NE_PORT/metrics"; done
    sleep 0.5 # the Go GC finishes the scrapes' garbage in the background; it is part of their cost
    after=$(process_cpu_ms "$NE_PID")
    ne_runs+=("$(calc "($after - $before) * 1000 / $SCRAPES" 1)")
    ne_rss+=("$(rss_kb "$NE_PID")")
    printf '  %s µs/scrape, RSS %s kB\n' "${ne_runs[-1]}" "${ne_rss[-1]}" >&2
done
NE_US=$(printf '%s\n' "${ne_runs[@]}" | median)
NE_RSS=$(printf '%s\n' "${ne_rss[@]}" | median)
kill "$NE_PID"; wait "$NE_PID" 2>/dev/null || true

# --------------------------------------------------------------------------------------------------------- RSS
# RSS is sampled every second; "steady" is the median of the samples after the first third of the run.
rss_run() { # $1 = label file; the rest: env assignments then the command
    local samples="$1"; shift
    env "$@" >/dev/null 2>"$samples.err" &
    local pid=$!
    PIDS+=("$pid")
    : >"$samples"
    for _ in $(seq $((RSS_SECONDS + 30))); do
        sleep 1
        kill -0 "$pid" 2>/dev/null || break
        echo "$(rss_kb "$pid") $(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")" >>"$samples"
    done
    wait "$pid" || die "the agent failed: $(cat "$samples.err")"
}
steady_rss() { awk -v skip="$((RSS_SECONDS / 3))" 'NR > skip { print $1 }' "$1" | median; }
peak_rss() { tail -1 "$1" | awk '{ print $2 }'; }

log "NetDrop RSS with OTLP export on, ${RSS_SECONDS}s at --interval 0.2, export every 1 s"
DASH_DIR=$(ls -d "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/aspire.dashboard.sdk.linux-x64/*/tools 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$DASH_DIR" ]; then
    timeout 600 dotnet restore tests/NetDrop.Tests -nologo >/dev/null 2>&1 || true
    DASH_DIR=$(ls -d "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/aspire.dashboard.sdk.linux-x64/*/tools 2>/dev/null | sort -V | tail -1 || true)
fi
OTLP_BACKEND="dead endpoint (nothing listening)"
EXPORT_VERIFIED="n/a"
OTLP_PORT=$(free_port)
if [ -n "$DASH_DIR" ] && [ -x "$DASH_DIR/Aspire.Dashboard" ]; then
    UI_PORT=$(free_port); HTTP_PORT=$(free_port)
    mkdir -p "$TMP/dashboard-home"
    (cd "$DASH_DIR" && exec env -i PATH="$PATH" HOME="$TMP/dashboard-home" \
        ASPNETCORE_URLS="http://127.0.0.1:$UI_PORT" \
        ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="http://127.0.0.1:$OTLP_PORT" \
        ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL="http://127.0.0.1:$HTTP_PORT" \
        ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true Dashboard__Frontend__AuthMode=Unsecured \
        Dashboard__Otlp__AuthMode=Unsecured Dashboard__Api__AuthMode=Unsecured Dashboard__Api__Enabled=true \
        ASPNETCORE_ENVIRONMENT=Production ./Aspire.Dashboard </dev/null >"$TMP/dashboard.log" 2>&1) &
    DASH_PID=$!
    PIDS+=("$DASH_PID")
    for _ in $(seq 600); do curl -sf -o /dev/null "http://127.0.0.1:$UI_PORT/api/telemetry/resources" && break; sleep 0.1; done
    if curl -sf -o /dev/null "http://127.0.0.1:$UI_PORT/api/telemetry/resources"; then
        OTLP_BACKEND="Aspire Dashboard $(basename "$(dirname "$DASH_DIR")") (OTLP/gRPC on loopback)"
    else
        echo "  the Aspire Dashboard did not start; exporting to a dead endpoint instead" >&2
        kill "$DASH_PID" 2>/dev/null || true
        OTLP_PORT=$(free_port)
    fi
fi
# Start-up and shutdown with export on (SDK set-up, the final flush) are subtracted from the CPU per interval below.
otlp_startup=()
for _ in $(seq 3); do
    otlp_startup+=("$(task_clock_ms timeout 60 env OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$OTLP_PORT" NETDROP_OTLP_EXPORT_INTERVAL=1s \
        "$ND" "${ND_ARGS[@]}" --interval 0.2 --count 1 --csv "$TMP/otlp-startup.csv")")
done
ND_OTLP_STARTUP_CPU=$(printf '%s\n' "${otlp_startup[@]}" | median)
rm -f "$TMP/rss-otlp.csv"
RSS_INTERVALS=$((RSS_SECONDS * 5))
perf stat -x, -e task-clock -o "$TMP/perf-otlp.txt" -- env OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$OTLP_PORT" NETDROP_OTLP_EXPORT_INTERVAL=1s \
    "$ND" "${ND_ARGS[@]}" --interval 0.2 --count "$RSS_INTERVALS" --csv "$TMP/rss-otlp.csv" >/dev/null 2>"$TMP/otlp.err" &
PERF_PID=$!
PIDS+=("$PERF_PID")
ND_PID=""
for _ in $(seq 100); do ND_PID=$(pgrep -n -f "^$ND " || true); [ -n "$ND_PID" ] && break; sleep 0.05; done
[ -n "$ND_PID" ] || die "the agent with OTLP export did not start: $(cat "$TMP/otlp.err")"
: >"$TMP/rss-otlp.txt"
while kill -0 "$ND_PID" 2>/dev/null; do
    sleep 1
    kill -0 "$ND_PID" 2>/dev/null || break
    echo "$(rss_kb "$ND_PID") $(awk '/^VmHWM:/ { print $2 }' "/proc/$ND_PID/status")" >>"$TMP/rss-otlp.txt" 2>/dev/null || true
done
wait "$PERF_PID" || die "the agent with OTLP export failed: $(cat "$TMP/otlp.err")"
ND_RSS_OTLP=$(steady_rss "$TMP/rss-otlp.txt")
ND_HWM_OTLP=$(peak_rss "$TMP/rss-otlp.txt")
ND_OTLP_CPU_MS=$(awk -F, '$3 ~ /^task-clock/ { print $1 }' "$TMP/perf-otlp.txt")
ND_OTLP_US=$(calc "($ND_OTLP_CPU_MS - $ND_OTLP_STARTUP_CPU) * 1000 / ($RSS_INTERVALS - 1)" 1)
if [ "$OTLP_BACKEND" != "dead endpoint (nothing listening)" ]; then
    if curl -sf "http://127.0.0.1:$UI_PORT/api/telemetry/resources" | grep -Eq '"hasMetrics": ?true'; then
        EXPORT_VERIFIED="yes: the dashboard lists netdrop with metrics"
    else
        EXPORT_VERIFIED="NO: the dashboard received no metrics"
    fi
    kill "$DASH_PID" 2>/dev/null || true
fi
printf '  steady %s kB, peak %s kB, %s µs CPU/interval with export; export verified: %s\n' "$ND_RSS_OTLP" "$ND_HWM_OTLP" "$ND_OTLP_US" "$EXPORT_VERIFIED" >&2

log "NetDrop RSS without export, ${RSS_SECONDS}s at --interval 0.2"
rm -f "$TMP/rss-plain.csv"
rss_run "$TMP/rss-plain.txt" "$ND" "${ND_ARGS[@]}" --interval 0.2 --count "$RSS_INTERVALS" --csv "$TMP/rss-plain.csv"
ND_RSS_PLAIN=$(steady_rss "$TMP/rss-plain.txt")
printf '  steady %s kB\n' "$ND_RSS_PLAIN" >&2

# ----------------------------------------------------------------------------------------------------- start-up
log "Start-up: 21 runs of --count 1 --interval 0.01"
cc -O2 -o "$TMP/first-sample" bench/first-sample.c
mkdir -p "$TMP/startup"
: >"$TMP/startup.txt"
for _ in $(seq 21); do
    NETDROP_HEARTBEAT_FILE="$TMP/startup/heartbeat" timeout 30 "$TMP/first-sample" "$TMP/startup" heartbeat drops.csv -- \
        "$ND" "${ND_ARGS[@]}" --interval 0.01 --count 1 --csv "$TMP/startup/drops.csv" >>"$TMP/startup.txt"
done
START_SAMPLE=$(awk '{ print $1 }' "$TMP/startup.txt" | median)
START_ROW=$(awk '{ print $2 }' "$TMP/startup.txt" | median)
START_EXIT=$(awk '{ print $3 }' "$TMP/startup.txt" | median)

# ------------------------------------------------------------------------------------------------------ report
SAMPLE_COLD_US=$(cpu_figure Sample_Netlink_Cold10ms 2)
INTERVAL_COLD_US=$(cpu_figure Interval_MonitorSession_Cold10ms 2)
SAMPLE_US=$(cpu_figure Sample_Netlink 2)
SAMPLE_ALLOC=$(cpu_figure Sample_Netlink 5)
INTERVAL_US=$(cpu_figure Interval_SampleDeltaCsvRow 2)
INTERVAL_ALLOC=$(cpu_figure Interval_SampleDeltaCsvRow 5)
verdict() { awk -v v="$1" -v limit="$2" 'BEGIN { print (v + 0 <= limit + 0) ? "met" : "NOT met" }'; }
{
    echo "# NetDrop benchmark results"
    echo
    echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); command: \`sudo bench/run.sh$([ "$QUICK" -eq 1 ] && echo ' --quick')\`"
    echo "- Machine: $(nproc) vCPU $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r); load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- Interfaces: $(ls /sys/class/net | tr '\n' ' ')(NetDrop reads all of them; the seed approach only $IFACE)"
    echo "- Medians of $REPS runs (whole-process figures) or 31 rounds (in-process CPU-time harness)."
    echo
    echo "| figure | NetDrop | seed approach | node_exporter | NetDrop : seed | NetDrop : node_exporter |"
    echo "|---|---:|---:|---:|---:|---:|"
    echo "| CPU per sample, whole process (µs) | $ND_US | $SEED_US | $NE_US | 1 : $(calc "$SEED_US / $ND_US" 0) | 1 : $(calc "$NE_US / $ND_US" 1) |"
    echo "| CPU per sample, in process: one full sample, warm / cache-cold (µs) | $SAMPLE_US / $SAMPLE_COLD_US | | | 1 : $(calc "$SEED_US / $SAMPLE_COLD_US" 0) (cold) | 1 : $(calc "$NE_US / $SAMPLE_COLD_US" 1) (cold) |"
    echo "| steady RSS (MB) | $(calc "$ND_RSS_OTLP / 1024" 1) with OTLP export, $(calc "$ND_RSS_PLAIN / 1024" 1) without | | $(calc "$NE_RSS / 1024" 1) | | 1 : $(calc "$NE_RSS / $ND_RSS_OTLP" 1) |"
    echo
    echo "| NetDrop figure | median | budget | |"
    echo "|---|---:|---:|---|"
    echo "| one full sample, CPU, warm (every source, every interface, back to back; CPU-time harness) | $SAMPLE_US µs | ≤ 150 µs | $(verdict "$SAMPLE_US" 150) |"
    echo "| one full sample, CPU, cache-cold (one sample every 10 ms, as the agent runs) | $SAMPLE_COLD_US µs | ≤ 150 µs | $(verdict "$SAMPLE_COLD_US" 150) |"
    echo "| one full sample, allocated once warm | $SAMPLE_ALLOC B | 0 B | $(verdict "$SAMPLE_ALLOC" 0) |"
    echo "| sample + deltas + CSV row, CPU / allocated | $INTERVAL_US µs / $INTERVAL_ALLOC B | | |"
    echo "| one whole interval in process (sample, deltas, console line, CSV row), CPU, cache-cold | $INTERVAL_COLD_US µs | | |"
    echo "| whole agent per interval, CPU (wake-up, sample, deltas, console, CSV) | $ND_US µs | | |"
    echo "| whole agent per interval with OTLP export on (--interval 0.2, an export every 1 s), CPU | $ND_OTLP_US µs | | |"
    echo "| AOT RSS, steady, OTLP export on ($OTLP_BACKEND; export verified: $EXPORT_VERIFIED) | $(calc "$ND_RSS_OTLP / 1024" 1) MB (peak $(calc "$ND_HWM_OTLP / 1024" 1) MB) | ≤ 20 MB | $(verdict "$(calc "$ND_RSS_OTLP / 1024" 1)" 20) |"
    echo "| AOT RSS, steady, export off | $(calc "$ND_RSS_PLAIN / 1024" 1) MB | | |"
    echo "| start → first sample | $START_SAMPLE ms | ≤ 50 ms | $(verdict "$START_SAMPLE" 50) |"
    echo "| start → first reported interval (--interval 0.01) | $START_ROW ms | | |"
    echo "| start → exit after one interval | $START_EXIT ms | | |"
    echo "| start-up + one interval + shutdown, CPU | $ND_STARTUP_CPU ms ($ND_OTLP_STARTUP_CPU ms with OTLP export on) | | |"
    echo
    echo "node_exporter $(prometheus-node-exporter --version 2>&1 | head -1 | awk '{ print $3 }'): $NE_SERIES series per scrape; collectors seen: $NE_COLLECTORS"
    echo
    echo "CPU-time harness (µs per call, thread CPU time; allocated bytes per call):"
    echo
    echo "| operation | median | min | p95 | allocated |"
    echo "|---|---:|---:|---:|---:|"
    awk -F, 'NR > 1 { printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }' "$OUT/cpu.csv"
    if [ "$QUICK" -eq 0 ]; then
        echo
        echo "BenchmarkDotNet (wall time; on a busy machine these grow, the CPU-time figures above do not):"
        echo
        cat "$OUT"/bdn/results/*-report-github.md 2>/dev/null | sed -n '/^| /,$p'
    fi
} >"$OUT/results.md"
cat "$OUT/results.md"
