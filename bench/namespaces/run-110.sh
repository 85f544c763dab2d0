#!/bin/bash
# 110 "pod" namespaces, each with one sleeping task; the agent's CPU with namespaces: all vs host. Removes everything.
# Run as root from a checkout after `dotnet build -c Release`: sudo bench/namespaces/run-110.sh
# Traffic: none. Namespaces: hnetnsbench-1..110, deleted on exit.
set -u
N=110; pids=()
cleanup() { for p in "${pids[@]}"; do kill $p 2>/dev/null; done; for i in $(seq 1 $N); do ip netns del hnetnsbench-$i 2>/dev/null; done; }
trap cleanup EXIT
for i in $(seq 1 $N); do ip netns add hnetnsbench-$i; ip -n hnetnsbench-$i link set lo up; timeout 600 ip netns exec hnetnsbench-$i sleep 600 & pids+=($!); done
sleep 2
echo "namespaces: $(for f in /proc/[0-9]*/net/netstat; do stat -L -c %i $f 2>/dev/null; done | sort -u | wc -l)"
DLL="${NETDROP_DLL:-$(dirname "$0")/../../src/NetDrop/bin/Release/net10.0/netdrop.dll}"
for round in 1 2; do for mode in host all; do
  NETDROP_NAMESPACES=$mode /usr/bin/time -f "$mode user %U sys %S wall %e" dotnet $DLL monitor -i lo --interval 0.05 --count 400 --no-csv --no-color >/dev/null 2>/tmp/h-t.txt; tail -1 /tmp/h-t.txt
done; done
