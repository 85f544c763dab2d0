#!/bin/bash
# How many metric series 110 "pod" namespaces cost (issue 11, item 5), scraped from the agent's Prometheus endpoint:
#   (a) 110 namespaces, each with one sleeping task, nothing dropped yet;
#   (b) K of them (default 10) dropped UDP datagrams on their own loopback (udp_rcvbuf: a socket nobody reads, with
#       the smallest SO_RCVBUF; __udp_enqueue_schedule_skb() refuses with -ENOMEM what does not fit, always letting
#       one datagram in, and __udp_queue_rcv_skb() counts that as UDP_MIB_RCVBUFERRORS, the namespace's
#       Udp RcvbufErrors);
#   (c) those K namespaces' tasks killed and the namespaces deleted, a few namespace reads later.
# Expected: the quiet namespaces add no series, (b) = (a) + K x 1 (one category dropped), (c) = (a).
# The agent runs in the host namespace with NETDROP_NAMESPACES=all, --interval 1 --namespace-interval 1; a namespace
# that is not a pod is attributed by process.pid (Prometheus label process_pid), so the series counted as "ours" are
# those whose process_pid is a task of a namespace this script made. Other namespaces on the host (other test runs)
# may add series of their own: they are counted apart ("all owner series").
# Per dropping namespace it also checks ground truth: datagrams the sender saw not arrive == the namespace's kernel
# Udp RcvbufErrors delta == the series' value.
#
#   sudo bench/namespaces/series-110.sh          # ~30 s; prints a markdown table
#   NDSERIES_N=110 NDSERIES_K=10 NDSERIES_AGENT=artifacts/aot/netdrop sudo bench/namespaces/series-110.sh
#
# Traffic: only on the loopback of the K namespaces it makes, DATAGRAMS datagrams each (bounded). Creates namespaces
# ndseries-PID-1..N and a temporary directory; removes both, and stops the agent and every task, on exit (trap).
set -u
cd "$(dirname "$0")/../.."
N="${NDSERIES_N:-110}"
K="${NDSERIES_K:-10}"
DATAGRAMS=300
[[ "$N" =~ ^[0-9]+$ && "$K" =~ ^[0-9]+$ && "$K" -le "$N" && "$N" -ge 1 ]] || { echo "series-110.sh: NDSERIES_N and NDSERIES_K must be whole numbers with K <= N" >&2; exit 2; }
PREFIX="ndseries-$$"
WORK=$(mktemp -d /tmp/ndseries.XXXXXX)
pids=()
agent=
cleanup() {
  [ -n "$agent" ] && kill "$agent" 2>/dev/null
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  for i in $(seq 1 "$N"); do ip netns del "$PREFIX-$i" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
fail() { echo "series-110.sh: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || { echo "series-110.sh: run as root (it creates network namespaces)" >&2; exit 2; }
for tool in ip curl python3; do command -v $tool >/dev/null || { echo "series-110.sh: needs $tool (apt-get install iproute2 curl python3)" >&2; exit 2; }; done
if [ -n "${NDSERIES_AGENT:-}" ]; then
  [ -x "$NDSERIES_AGENT" ] || { echo "series-110.sh: NDSERIES_AGENT=$NDSERIES_AGENT is not an executable file" >&2; exit 2; }
  AGENT=("$NDSERIES_AGENT")
elif [ -x artifacts/aot/netdrop ]; then AGENT=(artifacts/aot/netdrop)
elif [ -f src/NetDrop/bin/Release/net10.0/netdrop.dll ]; then AGENT=(dotnet src/NetDrop/bin/Release/net10.0/netdrop.dll)
else echo "series-110.sh: no agent: build it (dotnet build NetDropOtel.sln -c Release) or set NDSERIES_AGENT" >&2; exit 2; fi

# The sender, run inside one namespace: a receiver bound to 127.0.0.1 that never reads, SO_RCVBUF at its minimum
# (sk_rcvbuf = max(2 x val, SOCK_MIN_RCVBUF), __sock_set_rcvbuf()), DATAGRAMS datagrams of 1000 bytes to it. Loopback delivers during
# sendto(), so when the last sendto returns every refused datagram is counted; what the receiver then drains arrived.
# Prints: sent, arrived, the namespace's Udp RcvbufErrors before and after (/proc/self/net/snmp, "Udp:" rows).
cat >"$WORK/flood.py" <<'EOF'
import socket, sys
def rcvbuf_errors():
    rows = [line.split() for line in open("/proc/self/net/snmp") if line.startswith("Udp:")]
    return int(rows[1][rows[0].index("RcvbufErrors")])
count = int(sys.argv[1])
receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
receiver.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1)
receiver.bind(("127.0.0.1", 0))
sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
before = rcvbuf_errors()
for _ in range(count):
    sender.sendto(b"x" * 1000, receiver.getsockname())
receiver.setblocking(False)
arrived = 0
while True:
    try:
        receiver.recv(2048)
        arrived += 1
    except BlockingIOError:
        break
print(count, arrived, before, rcvbuf_errors())
EOF

# One task per namespace: ip netns exec execs timeout, which stays in the namespace (its sleep is its child).
for i in $(seq 1 "$N"); do
  ip netns add "$PREFIX-$i" && ip -n "$PREFIX-$i" link set lo up || fail "could not create namespace $PREFIX-$i"
  ip netns exec "$PREFIX-$i" timeout 1800 sleep 1800 & pids+=($!)
done
host_ino=$(stat -L -c %i /proc/self/net/netstat)
for p in "${pids[@]}"; do
  for _ in $(seq 1 500); do [ -r "/proc/$p/net/netstat" ] && [ "$(stat -L -c %i /proc/$p/net/netstat)" != "$host_ino" ] && break; sleep 0.01; done
done

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
NETDROP_NAMESPACES=all "${AGENT[@]}" monitor -i lo --interval 1 --namespace-interval 1 --no-csv --no-color \
  --prometheus-listen "127.0.0.1:$port" >"$WORK/agent.out" 2>"$WORK/agent.err" &
agent=$!

scrape() { curl -sf --max-time 10 "http://127.0.0.1:$port/metrics" >"$WORK/scrape.txt"; }
# Every task (by pid) the namespaces this script made ever had when looked at: what their series' process_pid may be
# (kept after a namespace dies, as its series outlive it by one reading).
our_pids() { { cat "$WORK/pids.txt" 2>/dev/null; for i in $(seq 1 "$N"); do ip netns pids "$PREFIX-$i" 2>/dev/null; done; } | sort -u; }
# Counts over the last scrape: every netdrop_ sample line (one series each; histogram buckets included), the
# netdrop_packet_dropped series carrying an owner (k8s_pod_uid, container_id or process_pid), and those of them whose
# process_pid is one of ours.
count_series() {
  our_pids >"$WORK/pids.new" && mv "$WORK/pids.new" "$WORK/pids.txt"
  awk -v pidfile="$WORK/pids.txt" '
    BEGIN { while ((getline p < pidfile) > 0) ours[p] = 1 }
    /^netdrop_/ { all++ }
    /^netdrop_packet_dropped/ && /k8s_pod_uid=|container_id=|process_pid=/ {
      owners++
      if (match($0, /process_pid="[0-9]+"/)) { pid = substr($0, RSTART + 13, RLENGTH - 14); if (pid in ours) mine++ }
    }
    END { printf "%d %d %d\n", all, owners, mine }' "$WORK/scrape.txt"
}
# Waits (bounded) until the agent has completed COUNT more intervals, by its console lines.
intervals() { grep -c '' "$WORK/agent.out" 2>/dev/null || echo 0; }
wait_intervals() {
  local target=$(( $(intervals) + $1 ))
  for _ in $(seq 1 600); do
    kill -0 "$agent" 2>/dev/null || { cat "$WORK/agent.err" >&2; fail "the agent exited"; }
    [ "$(intervals)" -ge "$target" ] && return 0
    sleep 0.1
  done
  fail "the agent did not complete $1 intervals in 60 s"
}
# Waits (bounded) until the count of our series is $1, scraping once a second; leaves that scrape's counts in $counts.
wait_ours() {
  for _ in $(seq 1 60); do
    scrape && counts=$(count_series) && [ "${counts##* }" = "$1" ] && return 0
    sleep 1
  done
  fail "our namespaces' series did not reach $1 in 60 s (last: all/owner/ours = ${counts:-none})"
}

# (a): a few namespace reads after the agent's first (the baseline), nothing dropped.
for _ in $(seq 1 300); do scrape && break; kill -0 "$agent" 2>/dev/null || { cat "$WORK/agent.err" >&2; fail "the agent exited"; }; sleep 0.1; done
wait_intervals 3
wait_ours 0; a=$counts

# (b): the first K namespaces drop.
: >"$WORK/witness.txt"
for i in $(seq 1 "$K"); do
  read -r sent arrived before after < <(ip netns exec "$PREFIX-$i" python3 "$WORK/flood.py" "$DATAGRAMS") || fail "the sender failed in $PREFIX-$i"
  echo "$i $((sent - arrived)) $((after - before))" >>"$WORK/witness.txt"
done
wait_ours "$K"
wait_intervals 2
wait_ours "$K"; b=$counts
# Ground truth per dropping namespace: witnessed == kernel delta == the series' value (summed over its series).
ok=0
while read -r i witnessed kernel; do
  value=$(for p in $(ip netns pids "$PREFIX-$i"); do
      awk -v p="$p" '/^netdrop_packet_dropped/ && index($0, "process_pid=\"" p "\"") { sum += $NF } END { print sum + 0 }' "$WORK/scrape.txt"
    done | awk '{ s += $1 } END { print s + 0 }')
  series=$(for p in $(ip netns pids "$PREFIX-$i"); do grep -c "^netdrop_packet_dropped.*process_pid=\"$p\"" "$WORK/scrape.txt"; done | awk '{ s += $1 } END { print s + 0 }')
  category=$(for p in $(ip netns pids "$PREFIX-$i"); do grep "^netdrop_packet_dropped.*process_pid=\"$p\"" "$WORK/scrape.txt"; done | grep -o 'netdrop_category="[a-z_0-9]*"' | sort -u | tr '\n' ' ')
  echo "namespace $i: witnessed $witnessed, kernel Udp RcvbufErrors delta $kernel, series value $value in $series series ($category)" >&2
  [ "$witnessed" = "$kernel" ] && [ "$kernel" = "$value" ] && [ "$witnessed" -gt 0 ] && ok=$((ok + 1))
done <"$WORK/witness.txt"

# (c): the K namespaces die (tasks killed, netns deleted); their series end after their last reading.
for i in $(seq 1 "$K"); do
  kill "${pids[$((i - 1))]}" 2>/dev/null
  ip netns del "$PREFIX-$i"
done
wait_intervals 3
wait_ours 0
wait_intervals 2
wait_ours 0; c=$counts

read -r a_all a_owners a_ours <<<"$a"; read -r b_all b_owners b_ours <<<"$b"; read -r c_all c_owners c_ours <<<"$c"
namespaces=$(for f in /proc/[0-9]*/net/netstat; do stat -L -c %i "$f" 2>/dev/null; done | sort -u | wc -l)
echo
echo "$N namespaces made here ($namespaces under /proc at the end, the host's and others' included), $K dropped $DATAGRAMS datagrams each; agent: ${AGENT[*]}; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| moment | all netdrop_ series | netdrop_packet_dropped with an owner (any namespace) | of them, our namespaces' |"
echo "|---|---:|---:|---:|"
echo "| (a) $N quiet | $a_all | $a_owners | $a_ours |"
echo "| (b) $K dropped | $b_all | $b_owners | $b_ours |"
echo "| (c) those $K gone | $c_all | $c_owners | $c_ours |"
echo
echo "series per dropping namespace: $(awk -v d=$((b_ours - a_ours)) -v k="$K" 'BEGIN { printf "%.2f", d / k }') (ours), $(awk -v d=$((b_all - a_all)) -v k="$K" 'BEGIN { printf "%.2f", d / k }') (all netdrop_); ground truth witnessed == kernel == series in $ok of $K namespaces"
[ "$ok" = "$K" ] || exit 1
