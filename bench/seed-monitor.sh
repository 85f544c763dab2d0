#!/usr/bin/env bash
# A re-creation of the seed tool's sampling loop (network_monitor_prod.sh), built from its README
# (/work/shared/seed-README.md, "Monitored Metrics"): per interval it runs `ethtool -S IF`, `tc -s qdisc show dev IF`,
# `netstat -s` and `netstat -su`, reads /proc/net/softnet_stat, computes the deltas, prints the console line and
# appends the CSV row. It exists only so bench/run.sh can measure what one sample of that approach costs.
#
# It is written to be as cheap as that approach allows, so the comparison flatters the seed, not NetDrop: one process
# per command the README names and one awk per command output (no grep | awk chains, no `date`: the timestamp and the
# softnet hex come from bash builtins), and it watches a single interface where NetDrop reads every one.
#
# Usage: seed-monitor.sh INTERFACE COUNT [INTERVAL] [LOGFILE]    COUNT samples after the baseline; INTERVAL 0 = no sleep
set -uo pipefail
IFACE=${1:?interface}
COUNT=${2:?count}
INTERVAL=${3:-0}
LOGFILE=${4:-/dev/null}
ALERT_THRESHOLD=100

# nic_rx nic_tx nic_missed from the driver statistics (virtio and most drivers name them rx_/tx_ ... drop(ped)).
nic_stats() {
    ethtool -S "$IFACE" 2>/dev/null | awk '
        /rx_dropped:|rx_drops:/ { rx += $2 }
        /tx_dropped:|tx_drops:/ { tx += $2 }
        /rx_missed/             { missed += $2 }
        END { print rx + 0, tx + 0, missed + 0 }'
}

# Every "dropped N," of every qdisc of the interface, as the seed summed them (roots and children alike).
qdisc_drops() {
    tc -s qdisc show dev "$IFACE" 2>/dev/null | awk '
        { for (i = 1; i < NF; i++) if ($i == "(dropped") { v = $(i + 1); sub(",", "", v); sum += v } }
        END { print sum + 0 }'
}

# Column 2 of every CPU's line, hex.
softirq_drops() {
    local sum=0 processed dropped rest
    while read -r processed dropped rest; do
        sum=$((sum + 16#$dropped))
    done </proc/net/softnet_stat
    echo "$sum"
}

# syn_queue accept_queue tcp_pruned tcp_collapsed from netstat -s's sentences.
tcp_stats() {
    netstat -s 2>/dev/null | awk '
        /SYNs to LISTEN sockets dropped/                      { syn = $1 }
        /times the listen queue of a socket overflowed/       { accept = $1 }
        /pruned from receive queue because of socket buffer/  { pruned = $1 }
        /collapsed in receive queue due to low socket buffer/ { collapsed = $1 }
        END { print syn + 0, accept + 0, pruned + 0, collapsed + 0 }'
}

# udp_rcvbuf udp_sndbuf from the Udp: section of netstat -su.
udp_stats() {
    netstat -su 2>/dev/null | awk '
        /^Udp:/                 { udp = 1; next }
        /^[A-Za-z]/             { udp = 0 }
        udp && /receive buffer errors/ { rcv = $1 }
        udp && /send buffer errors/    { snd = $1 }
        END { print rcv + 0, snd + 0 }'
}

sample() {
    read -r nic_rx nic_tx nic_missed < <(nic_stats)
    qdisc=$(qdisc_drops)
    softirq=$(softirq_drops)
    read -r syn accept pruned collapsed < <(tcp_stats)
    read -r udp_rcv udp_snd < <(udp_stats)
    now=(${nic_rx} ${nic_tx} ${nic_missed} ${qdisc} ${softirq} ${syn} ${accept} ${pruned} ${collapsed} ${udp_rcv} ${udp_snd})
}

if [ ! -s "$LOGFILE" ] || [ "$LOGFILE" = /dev/null ]; then
    echo "timestamp,iteration,interface,total_drops,nic_rx,nic_tx,nic_missed,qdisc,softirq,syn_queue,accept_queue,tcp_pruned,tcp_collapsed,udp_rcvbuf,udp_sndbuf,severity" >>"$LOGFILE"
fi

sample
prev=("${now[@]}")
for ((iteration = 1; iteration <= COUNT; iteration++)); do
    [ "$INTERVAL" != 0 ] && sleep "$INTERVAL"
    sample
    total=0
    deltas=()
    for i in "${!now[@]}"; do
        d=$((now[i] - prev[i]))
        ((d < 0)) && d=${now[i]}
        deltas+=("$d")
        ((i != 8)) && total=$((total + d)) # tcp_collapsed is shown but, as in NetDrop, not summed
    done
    prev=("${now[@]}")
    if ((total == 0)); then severity=OK; elif ((total < ALERT_THRESHOLD)); then severity=WARN; else severity=CRIT; fi
    printf -v stamp '%(%Y-%m-%d %H:%M:%S)T' -1
    printf '[%s] #%04d | %s | Drops: %d\n' "$stamp" "$iteration" "$severity" "$total"
    (IFS=,; echo "$stamp,$iteration,$IFACE,$total,${deltas[*]},$severity") >>"$LOGFILE"
done
