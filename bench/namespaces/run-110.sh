#!/bin/bash
# 110 "pod" namespaces, each with one sleeping task, and side by side in one run:
#   - the Native AOT agent (artifacts/aot/netdrop; published first if missing, as test.sh does) with
#     namespaces: host, with namespaces: all read every sample, and at the chart's defaults (namespaces: all,
#     namespace_interval = 2 intervals): CPU per sample from perf's task-clock, start-up cancelled out;
#   - its RSS (VmRSS two thirds into a run, VmHWM) at the chart's defaults with the 110 namespaces;
#   - min-reader.c, the floor: the same files of the same 110 namespaces read whole with pread, nothing parsed, at the
#     same pace (files only; with the same /proc walk as the agent's scan; and with net/dev added).
# Scaled: the agent runs at --interval 0.05 (--namespace-interval 0.1 for the defaults' 5 s / 10 s): the same work per
# sample as at 5 s, 100 times as often, so a figure per sample / 5 s is the share of a core at the 5 s default.
#
#   sudo bench/namespaces/run-110.sh            # ~6 minutes on 2 vCPUs; prints a markdown table
#   NDBENCH_SAMPLES=600 NDBENCH_ROUNDS=2 sudo bench/namespaces/run-110.sh
#
# Traffic: none. Creates namespaces ndnsbench-PID-1..110 and a temporary directory; removes both on exit (trap).
set -u
cd "$(dirname "$0")/../.."
N=110
SAMPLES="${NDBENCH_SAMPLES:-600}"
ROUNDS="${NDBENCH_ROUNDS:-2}"
PREFIX="ndnsbench-$$"
WORK=$(mktemp -d /tmp/ndnsbench.XXXXXX)
AGENT="${NDBENCH_AGENT:-artifacts/aot/netdrop}"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  for i in $(seq 1 $N); do ip netns del "$PREFIX-$i" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" = 0 ] || { echo "run-110.sh: run as root (it creates network namespaces)" >&2; exit 2; }
for tool in ip perf gcc; do command -v $tool >/dev/null || { echo "run-110.sh: needs $tool (apt-get install iproute2 linux-perf gcc)" >&2; exit 2; }; done
if [ ! -x "$AGENT" ]; then
  echo "publishing the Native AOT agent (as test.sh does)..." >&2
  timeout 1200 dotnet publish src/NetDrop -c Release -r linux-x64 -o artifacts/aot -nologo -warnaserror >"$WORK/publish.log" 2>&1 \
    || { tail -20 "$WORK/publish.log" >&2; exit 1; }
fi
gcc -O2 -Wall -Werror -o "$WORK/min-reader" bench/namespaces/min-reader.c || exit 1

# One task per namespace: ip netns exec execs timeout, which stays (its sleep is its child) in the namespace.
readers=()
for i in $(seq 1 $N); do
  ip netns add "$PREFIX-$i" && ip -n "$PREFIX-$i" link set lo up || exit 1
  ip netns exec "$PREFIX-$i" timeout 1800 sleep 1800 & pids+=($!); readers+=($!)
done
for p in "${readers[@]}"; do
  for _ in $(seq 1 500); do [ -r "/proc/$p/net/netstat" ] && [ "$(stat -L -c %i /proc/$p/net/netstat)" != "$(stat -L -c %i /proc/self/net/netstat)" ] && break; sleep 0.01; done
done
namespaces=$(for f in /proc/[0-9]*/net/netstat; do stat -L -c %i "$f" 2>/dev/null; done | sort -u | wc -l)
processes=$(ls -d /proc/[0-9]* | wc -l)

# task-clock of one agent run, in µs (perf: every thread; msec with decimals).
agent_us() { # MODE NAMESPACE_INTERVAL COUNT
  NETDROP_NAMESPACES=$1 perf stat -x, -e task-clock -o "$WORK/perf.txt" -- \
    "$AGENT" monitor -i lo --interval 0.05 --namespace-interval "$2" --count "$3" --no-csv --no-color >/dev/null 2>"$WORK/agent.err" \
    || { cat "$WORK/agent.err" >&2; exit 1; }
  awk -F, '/task-clock/ { printf "%.0f\n", $1 * 1000 }' "$WORK/perf.txt"
}
per_sample_us() { # MODE NAMESPACE_INTERVAL: (COUNT=SAMPLES − COUNT=1) / (SAMPLES − 1)
  local long short
  long=$(agent_us "$1" "$2" "$SAMPLES"); short=$(agent_us "$1" "$2" 1)
  echo "$long $short" | awk -v n="$SAMPLES" '{ printf "%.1f\n", ($1 - $2) / (n - 1) }'
}
min_us() { "$WORK/min-reader" "$@" 0.05 "$SAMPLES" "${readers[@]}" | awk '{ print $8 }'; }

echo "namespaces under /proc: $namespaces (the $N made here + the host's + others'), processes: $processes, load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
results=()
for round in $(seq 1 "$ROUNDS"); do
  host=$(per_sample_us host 0.05)
  every=$(per_sample_us all 0.05)
  min=$(min_us)
  minscan=$(min_us --scan)
  defaults=$(per_sample_us all 0.1)
  mindev=$(min_us --dev)
  results+=("$round $host $every $defaults $min $minscan $mindev")
  echo "round $round: host $host µs/sample, all every sample $every, defaults $defaults; min-reader per namespace $min (+scan $minscan, +dev $mindev) µs" >&2
done

# RSS at the chart's defaults with the namespaces, two thirds into a run (rows of its CSV tell how far it is).
NETDROP_NAMESPACES=all "$AGENT" monitor -i lo --interval 0.05 --namespace-interval 0.1 --count "$SAMPLES" --csv "$WORK/rss.csv" --no-color >/dev/null 2>&1 &
agent=$!; pids+=($agent)
for _ in $(seq 1 6000); do [ "$( { wc -l <"$WORK/rss.csv"; } 2>/dev/null || echo 0)" -ge $((SAMPLES * 2 / 3)) ] && break; sleep 0.02; done
rss=$(awk '/^VmRSS/ { print $2 }' /proc/$agent/status); hwm=$(awk '/^VmHWM/ { print $2 }' /proc/$agent/status)
wait $agent

echo
echo "| round | host µs/sample | all, every sample | all, chart defaults (every 2nd) | agent µs per namespace | min-reader µs per namespace (files / + scan / + dev) | ratio agent : min (files / + scan) | chart defaults, % of a core at 5 s |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for r in "${results[@]}"; do
  echo "$r" | awk -v n=$((namespaces - 1)) '{
    per = ($3 - $2) / n
    printf "| %d | %.0f | %.0f | %.0f | %.1f | %.1f / %.1f / %.1f | %.2f / %.2f | %.3f%% |\n", $1, $2, $3, $4, per, $5, $6, $7, per / $5, per / $6, $4 / 5e6 * 100 }'
done
echo
echo "RSS at the chart's defaults with $namespaces namespaces: VmRSS $((rss / 1024)).$(( (rss % 1024) * 10 / 1024 )) MB two thirds into the run, VmHWM $((hwm / 1024)).$(( (hwm % 1024) * 10 / 1024 )) MB"
