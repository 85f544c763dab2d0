#!/usr/bin/env bash
# Side by side over the same 30-day, 5-second NetDrop CSV (518,400 rows): `netdrop analyze` against the awk
# equivalent of the seed's analyze_drops.sh (analyze-drops-awk.sh: one pass per section, as the seed did) and against
# a single-pass awk (the fastest the seed's report can be in awk). Checks first that all three print the same numbers,
# then prints each one's median wall time and the ratios.
#
#   usage: bench/analyze/run.sh [RUNS]          (default 10 runs after 2 warm-ups)
#   env:   NETDROP=/path/to/netdrop   a built binary or command, e.g. "dotnet src/NetDrop/bin/Release/net10.0/netdrop.dll"
#                                     (default: the Native AOT publish, built here)
#          DATA=/path/to/file.csv     the input (default: generated once under $TMPDIR)
#          AWK=gawk                   another awk (default: awk, which is mawk on Debian)
# hyperfine is used when installed (apt-get install -y hyperfine); otherwise a plain loop with date +%s%N.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=${1:-10}
tmp=${TMPDIR:-/tmp}
data=${DATA:-$tmp/netdrop-bench-30d.csv}
awk=${AWK:-awk}

if [ ! -s "$data" ]; then
    echo "generating $data (30 days at 5 s)..."
    "$here/generate-30d.sh" "$data" 30
fi

if [ -z "${NETDROP:-}" ]; then
    echo "publishing netdrop (Native AOT)..."
    dotnet publish "$root/src/NetDrop" -c Release -r linux-x64 -p:PublishAot=true -o "$tmp/netdrop-bench-aot" -nologo -v q >/dev/null
    NETDROP=$tmp/netdrop-bench-aot/netdrop
fi

rows=$(($(wc -l < "$data") - 1))
size=$(du -m "$data" | cut -f1)
echo "input: $data ($rows rows, $size MB); netdrop: $NETDROP; awk: $($awk -W version 2>/dev/null | head -1 || echo "$awk")"

# 1. The same answers, or the timing means nothing.
json=$($NETDROP analyze "$data" --format json)
seedawk=$(AWK=$awk bash "$here/analyze-drops-awk.sh" "$data")
onepass=$($awk -F, -f "$here/analyze-drops-1pass.awk" "$data")
field() { printf '%s\n' "$json" | grep -m1 "\"$1\":" | tr -dc '0-9'; }
for report in "$seedawk" "$onepass"; do
    [ "$(printf '%s\n' "$report" | grep 'Total Monitoring Intervals' | tr -dc '0-9')" = "$(field intervals)" ] || { echo "intervals differ"; exit 1; }
    [ "$(printf '%s\n' "$report" | grep 'Intervals with Drops' | tr -dc '0-9')" = "$(field intervals_with_drops)" ] || { echo "intervals with drops differ"; exit 1; }
    for column in total_drops nic_rx nic_missed qdisc softirq syn_queue accept_queue tcp_pruned tcp_collapsed udp_rcvbuf udp_sndbuf; do
        a=$(printf '%s\n' "$report" | grep -m1 "^$column:" | tr -dc '0-9')
        n=$(printf '%s\n' "$json" | sed -n '/"totals": {/,/}/p' | grep -m1 "\"$column\":" | tr -dc '0-9')
        [ "$a" = "$n" ] || { echo "$column differs: awk $a, netdrop $n"; exit 1; }
    done
done
echo "numbers agree: intervals $(field intervals), with drops $(field intervals_with_drops), total_drops $(printf '%s\n' "$json" | sed -n '/"totals": {/,/}/p' | grep -m1 '"total_drops":' | tr -dc '0-9')"

# 2. Timing.
names=("netdrop analyze (text)" "netdrop analyze --format html" "awk, seed report (analyze-drops-awk.sh)" "awk, one pass")
commands=("$NETDROP analyze $data > /dev/null"
          "$NETDROP analyze $data --format html > /dev/null"
          "AWK=$awk bash $here/analyze-drops-awk.sh $data > /dev/null"
          "$awk -F, -f $here/analyze-drops-1pass.awk $data > /dev/null")
medians=()
if command -v hyperfine >/dev/null; then
    args=()
    for i in "${!commands[@]}"; do args+=(-n "${names[$i]}" "${commands[$i]}"); done
    hyperfine --warmup 2 --runs "$runs" --style basic --export-json "$tmp/netdrop-bench.json" "${args[@]}" >&2
    while read -r m; do medians+=("$m"); done < <(grep '"median"' "$tmp/netdrop-bench.json" | tr -dc '0-9.\n')
else
    for command in "${commands[@]}"; do
        for _ in 1 2; do bash -c "$command"; done
        times=()
        for _ in $(seq "$runs"); do
            start=$(date +%s%N); bash -c "$command"; end=$(date +%s%N)
            times+=("$(( (end - start) / 1000 ))")
        done
        medians+=("$(printf '%s\n' "${times[@]}" | sort -n | awk '{ t[NR] = $1 } END { m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2; printf "%.6f", m / 1e6 }')")
    done
fi

echo
printf '%-42s %10s %10s\n' "median of $runs runs" "seconds" "ratio"
for i in "${!names[@]}"; do
    printf '%-42s %10.3f %9.1fx\n' "${names[$i]}" "${medians[$i]}" "$(awk -v a="${medians[$i]}" -v n="${medians[0]}" 'BEGIN { print a / n }')"
done
echo "(ratio: how many times longer than netdrop's text report; the target is at least 5x for the seed report)"
