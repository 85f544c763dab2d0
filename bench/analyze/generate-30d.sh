#!/usr/bin/env bash
# Writes a realistic NetDrop CSV: DAYS days of 5-second intervals (30 days = 518,400 rows, ~38 MB) with the
# patterns an SRE meets — a quiet baseline, softirq backlog bursts at the afternoon peak, a nightly backup that
# overflows the NIC ring, accept-queue storms a few times a day, sporadic UDP buffer errors, and tcp_collapsed
# pressure that is not a drop. Deterministic for a given seed (mawk/gawk each with their own generator).
#
#   usage: generate-30d.sh OUT.csv [DAYS] [SEED]
set -euo pipefail

out=${1:?usage: generate-30d.sh OUT.csv [DAYS] [SEED]}
days=${2:-30}
seed=${3:-42}

awk -v days="$days" -v seed="$seed" '
BEGIN {
    srand(seed)
    # Same columns, same order as src/NetDrop.Model/Csv/CsvSchema.cs (a test keeps the two equal); the columns after
    # syn_cookies (issue 12) stay 0 here: the benchmark measures reading, not which column holds drops.
    print "timestamp,iteration,interface,total_drops,nic_rx,nic_tx,nic_missed,qdisc,softirq,syn_queue,accept_queue,tcp_pruned,tcp_collapsed,udp_rcvbuf,udp_sndbuf,severity,tcp_backlog,tcp_rcvq,tcp_zero_window,tcp_ofo,listen_other,udp_mem,udp_csum,softnet_squeeze,tcp_prune_called,syn_cookies,conntrack,conntrack_early_drop,neigh_unresolved,neigh_table_full,ip_no_route,ip_addr_errors,ip_rpfilter,ip_hdr_errors,ip_unknown_proto,ip_reasm,ip_frag,ip_discards,tcp_auth,tcp_min_ttl,tcp_pfmemalloc,tcp_csum,tcp_paws,nic_nohandler,nic_rx_errors,icmp_ratelimit,interval_s,unavailable"
    start = 1767225600           # 2026-01-01 00:00:00, written as wall-clock time
    rows = days * 17280
    storm_left = 0
    for (i = 1; i <= rows; i++) {
        t = start + i * 5
        clock = strftime("%Y-%m-%d %H:%M:%S", t, 1)
        hour = substr(clock, 12, 2) + 0
        minute = substr(clock, 15, 2) + 0

        nic_rx = 0; nic_tx = 0; nic_missed = 0; qdisc = 0; softirq = 0; syn = 0; accept = 0
        pruned = 0; collapsed = 0; udp_rcv = 0; udp_snd = 0
        backlog = 0; rcvq = 0; zero_window = 0; ofo = 0; listen_other = 0; udp_mem = 0; udp_csum = 0
        squeeze = 0; prune_called = 0; cookies = 0

        # Afternoon peak: the per-CPU backlog overflows in bursts.
        if (hour >= 13 && hour < 15 && rand() < 0.18) {
            softirq = int(rand() * rand() * 400) + 1
            squeeze = int(softirq / 4) + int(rand() * 5)
        }
        # Nightly backup 02:00-02:30 fills the NIC ring.
        if (hour == 2 && minute < 30 && rand() < 0.45) {
            nic_missed = int(rand() * 180) + 5
            if (rand() < 0.3) nic_rx = int(rand() * 10) + 1
        }
        # Accept-queue storms: an application stalls a few times a day for a minute or three.
        if (storm_left == 0 && rand() < 0.00004) storm_left = int(rand() * 30) + 6
        if (storm_left > 0) {
            accept = int(rand() * 450) + 20
            syn = (rand() < 0.4) ? int(rand() * 30) : 0
            cookies = (syn > 0) ? syn + int(rand() * 3) : 0
            listen_other = (rand() < 0.1) ? 1 : 0
            storm_left--
        }
        # Background noise.
        if (rand() < 0.002) udp_rcv = int(rand() * 40) + 1
        if (rand() < 0.0005) udp_snd = int(rand() * 5) + 1
        if (rand() < 0.001) qdisc = int(rand() * 60) + 1
        if (rand() < 0.0008) { pruned = int(rand() * 8) + 1; prune_called = pruned + 1 }
        if (rand() < 0.0005) backlog = int(rand() * 12) + 1
        if (rand() < 0.01) collapsed = int(rand() * 20) + 1

        total = nic_rx + nic_tx + nic_missed + qdisc + softirq + syn + accept + pruned + udp_rcv + udp_snd \
              + backlog + rcvq + zero_window + ofo + listen_other + udp_mem + udp_csum
        severity = total >= 100 ? "CRIT" : (total > 0 ? "WARN" : "OK")
        jitter = 5 + (int(rand() * 7) - 3) / 1000
        printf "%s,%d,eth0,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%s,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,%.3f,\n", \
            clock, i, total, nic_rx, nic_tx, nic_missed, qdisc, softirq, syn, accept, pruned, collapsed, udp_rcv, udp_snd, \
            severity, backlog, rcvq, zero_window, ofo, listen_other, udp_mem, udp_csum, squeeze, prune_called, cookies, jitter
    }
}' > "$out"
