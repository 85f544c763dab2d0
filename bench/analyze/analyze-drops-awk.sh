#!/usr/bin/env bash
# The awk equivalent of the seed's analyze_drops.sh: the same sections computed the same way (tail, wc, awk, sort,
# head: one pass over the file per section), so it costs what the seed's report costs. Three of the seed's bugs are
# fixed, because a benchmark must compare equal answers:
#   - "Top 10" sorted `$1, $4` with a space inside the timestamp, so it sorted by time of day, not by drops;
#   - "Drops by Hour" split on "[, :]", so it grouped by HH:MM and summed $(NF-1), which is udp_sndbuf;
#   - "Last 20" printed a table header over the first of the 20 rows and so showed 19.
# Reads the seed's 16 columns by position ($1..$16), which NetDrop keeps first in its own CSV.
#
#   usage: analyze-drops-awk.sh LOGFILE      (AWK=gawk to use another awk)
set -u
LOGFILE=${1:-/var/log/network_drops.log}
AWK=${AWK:-awk}

if [ ! -f "$LOGFILE" ]; then
    echo "Error: Log file not found: $LOGFILE"
    exit 1
fi

echo "================================================================================"
echo "Network Drop Analysis Report"
echo "Log File: $LOGFILE"
echo "================================================================================"

TOTAL_INTERVALS=$(tail -n +2 "$LOGFILE" | wc -l)
DROP_INTERVALS=$(tail -n +2 "$LOGFILE" | $AWK -F',' '$4 > 0' | wc -l)
echo "Total Monitoring Intervals: $TOTAL_INTERVALS"
echo "Intervals with Drops: $DROP_INTERVALS"
if [ "$TOTAL_INTERVALS" -gt 0 ]; then
    $AWK -v d="$DROP_INTERVALS" -v t="$TOTAL_INTERVALS" 'BEGIN { printf "Drop Rate: %.2f%%\n", d / t * 100 }'
fi

echo
echo "=== Total Drops by Category ==="
tail -n +2 "$LOGFILE" | $AWK -F',' '{
    total += $4; nic_rx += $5; nic_tx += $6; nic_missed += $7; qdisc += $8; softirq += $9; syn += $10
    accept += $11; pruned += $12; collapsed += $13; udp_rcv += $14; udp_snd += $15
} END {
    printf "total_drops:   %14.0f\n", total
    printf "nic_rx:        %14.0f\n", nic_rx
    printf "nic_tx:        %14.0f\n", nic_tx
    printf "nic_missed:    %14.0f\n", nic_missed
    printf "qdisc:         %14.0f\n", qdisc
    printf "softirq:       %14.0f\n", softirq
    printf "syn_queue:     %14.0f\n", syn
    printf "accept_queue:  %14.0f\n", accept
    printf "tcp_pruned:    %14.0f\n", pruned
    printf "tcp_collapsed: %14.0f\n", collapsed
    printf "udp_rcvbuf:    %14.0f\n", udp_rcv
    printf "udp_sndbuf:    %14.0f\n", udp_snd
}'

echo
echo "=== Top 10 Worst Intervals ==="
tail -n +2 "$LOGFILE" | $AWK -F',' '{ print $4 "\t" $1 }' | sort -t "$(printf '\t')" -k1,1 -rn | head -10 | \
    $AWK -F'\t' '{ printf "%s: %.0f drops\n", $2, $1 }'

echo
echo "=== Drops by Hour of Day ==="
tail -n +2 "$LOGFILE" | $AWK -F',' '{ drops[substr($1, 12, 2)] += $4 } END {
    for (h in drops) printf "%s:00 - %.0f drops\n", h, drops[h]
}' | sort

echo
echo "=== Last 20 Monitoring Intervals ==="
echo "Timestamp           | Drops | Severity"
echo "--------------------+-------+---------"
tail -n +2 "$LOGFILE" | tail -20 | $AWK -F',' '{ printf "%s | %5d | %s\n", $1, $4, $16 }'
echo "================================================================================"
