# The same report as analyze-drops-awk.sh in a single awk pass (top 10 kept by insertion, last 20 in a ring): the
# fastest the seed's report can be in awk, for an honest second comparison.
#   usage: awk -F, -f analyze-drops-1pass.awk LOGFILE
NR > 1 {
    n++
    if ($4 > 0) with_drops++
    total += $4
    for (c = 5; c <= 15; c++) sum[c] += $c
    hour[substr($1, 12, 2)] += $4
    if (kept < 10 || $4 > top_drops[kept]) {
        i = (kept < 10) ? ++kept : kept
        while (i > 1 && top_drops[i - 1] < $4) { top_drops[i] = top_drops[i - 1]; top_time[i] = top_time[i - 1]; i-- }
        top_drops[i] = $4; top_time[i] = $1
    }
    last[n % 20] = sprintf("%s | %5d | %s", $1, $4, $16)
}
END {
    printf "Total Monitoring Intervals: %d\nIntervals with Drops: %d\n", n, with_drops
    if (n > 0) printf "Drop Rate: %.2f%%\n", with_drops / n * 100
    split("nic_rx nic_tx nic_missed qdisc softirq syn_queue accept_queue tcp_pruned tcp_collapsed udp_rcvbuf udp_sndbuf", names, " ")
    printf "\n=== Total Drops by Category ===\ntotal_drops:   %14.0f\n", total
    for (c = 5; c <= 15; c++) printf "%-14s %14.0f\n", names[c - 4] ":", sum[c]
    printf "\n=== Top 10 Worst Intervals ===\n"
    for (i = 1; i <= kept; i++) printf "%s: %.0f drops\n", top_time[i], top_drops[i]
    printf "\n=== Drops by Hour of Day ===\n"
    for (h = 0; h < 24; h++) { key = sprintf("%02d", h); if (key in hour) printf "%s:00 - %.0f drops\n", key, hour[key] }
    printf "\n=== Last 20 Monitoring Intervals ===\n"
    for (i = n - 19; i <= n; i++) if (i >= 1) print last[i % 20]
}
