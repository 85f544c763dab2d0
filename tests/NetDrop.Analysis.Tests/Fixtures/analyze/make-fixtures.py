#!/usr/bin/env python3
"""Regenerates the analyze fixtures (run once by hand; the tests read the committed files).

netdrop-afternoon.csv  NetDrop's own CSV (seed columns first, then ours): 2026-02-03 12:50-15:20 at 5 s on eth0.
                       Softirq backlog bursts through the 13:00-15:00 peak, an accept-queue storm with SYN-queue
                       drops and SYN cookies at 14:10, a monitor restart (no rows 13:40:00-13:44:55), qdisc
                       unreadable for a minute, UDP buffer noise, tcp_collapsed and time_squeeze pressure.
seed.csv               The bash tool's 16 columns: total_drops includes tcp_collapsed (the seed's bug), one
                       negative delta after a counter reset (the seed did not handle resets).
rotated/               netdrop-afternoon.csv cut in three as logrotate leaves it with `compress` and
                       `delaycompress`: network_drops.log (newest), .log.1, .log.2.gz (oldest, gzip).
"""
import datetime, gzip, os, random, shutil, subprocess

HEADER = ("timestamp,iteration,interface,total_drops,nic_rx,nic_tx,nic_missed,qdisc,softirq,syn_queue,accept_queue,"
          "tcp_pruned,tcp_collapsed,udp_rcvbuf,udp_sndbuf,severity,tcp_backlog,tcp_rcvq,tcp_zero_window,tcp_ofo,"
          "listen_other,udp_mem,udp_csum,softnet_squeeze,tcp_prune_called,syn_cookies,interval_s,unavailable")
SEED = HEADER.split(",")[:16]
DROPS = ["nic_rx", "nic_tx", "nic_missed", "qdisc", "softirq", "syn_queue", "accept_queue", "tcp_pruned",
         "udp_rcvbuf", "udp_sndbuf", "tcp_backlog", "tcp_rcvq", "tcp_zero_window", "tcp_ofo", "listen_other",
         "udp_mem", "udp_csum"]

def severity(total):
    return "CRIT" if total >= 100 else "WARN" if total > 0 else "OK"

def afternoon():
    rng = random.Random(20260203)
    t = datetime.datetime(2026, 2, 3, 12, 50, 0)
    end = datetime.datetime(2026, 2, 3, 15, 20, 0)
    rows, iteration = [], 0
    while t <= end:
        iteration += 1
        if datetime.time(13, 40) <= t.time() < datetime.time(13, 45):
            t += datetime.timedelta(seconds=5)
            iteration = 0 if t.time() == datetime.time(13, 45) else iteration
            continue
        c = dict.fromkeys(HEADER.split(",")[4:], 0)
        c.pop("severity"); c.pop("interval_s"); c.pop("unavailable")
        minute = t.hour * 60 + t.minute
        if 13 * 60 <= minute < 15 * 60 and rng.random() < 0.22:
            c["softirq"] = int(rng.random() * rng.random() * 320) + 1
            c["softnet_squeeze"] = c["softirq"] // 4 + rng.randint(0, 4)
        if datetime.time(14, 10) <= t.time() <= datetime.time(14, 12, 30):
            c["accept_queue"] = rng.randint(30, 420)
            if rng.random() < 0.5:
                c["syn_queue"] = rng.randint(1, 25)
                c["syn_cookies"] = c["syn_queue"] + rng.randint(0, 2)
        if datetime.time(14, 50) <= t.time() < datetime.time(14, 51, 30):
            c["nic_missed"] = rng.randint(5, 90)
        if rng.random() < 0.01:
            c["udp_rcvbuf"] = rng.randint(1, 30)
        if rng.random() < 0.004:
            c["qdisc"] = rng.randint(1, 40)
        if rng.random() < 0.02:
            c["tcp_collapsed"] = rng.randint(1, 12)
        if rng.random() < 0.003:
            c["tcp_pruned"] = rng.randint(1, 6)
            c["tcp_prune_called"] = c["tcp_pruned"] + 1
        unavailable = "qdisc" if datetime.time(15, 0) <= t.time() < datetime.time(15, 1) else ""
        if unavailable:
            c["qdisc"] = 0
        total = sum(c[k] for k in DROPS)
        row = [t.strftime("%Y-%m-%d %H:%M:%S"), str(iteration), "eth0", str(total)]
        row += [str(c[k]) for k in SEED[4:15]] + [severity(total)]
        row += [str(c[k]) for k in HEADER.split(",")[16:26]]
        row += ["%.3f" % (5 + rng.randint(-2, 3) / 1000), unavailable]
        rows.append(",".join(row))
        t += datetime.timedelta(seconds=5)
    return rows

def seed_file():
    rng = random.Random(7)
    t = datetime.datetime(2026, 1, 14, 23, 50, 0)
    lines = [",".join(SEED)]
    for i in range(1, 241):
        c = dict.fromkeys(SEED[4:15], 0)
        if rng.random() < 0.15:
            c["softirq"] = rng.randint(1, 150)
        if 60 <= i < 75:
            c["accept_queue"] = rng.randint(10, 300)
        if rng.random() < 0.05:
            c["tcp_collapsed"] = rng.randint(1, 9)
        if rng.random() < 0.03:
            c["nic_rx"] = rng.randint(1, 5)
        if i == 130:
            c["nic_rx"] = -42   # the seed's delta after `ip link set eth0 down/up` reset the counter
        total = sum(c.values())   # the seed summed every column, tcp_collapsed included
        lines.append(",".join([t.strftime("%Y-%m-%d %H:%M:%S"), str(i), "eth0", str(total)]
                              + [str(c[k]) for k in SEED[4:15]] + [severity(total)]))
        t += datetime.timedelta(seconds=5)
    return lines

here = os.path.dirname(os.path.abspath(__file__))
rows = afternoon()
with open(os.path.join(here, "netdrop-afternoon.csv"), "w", newline="\n") as f:
    f.write("\n".join([HEADER] + rows) + "\n")
with open(os.path.join(here, "seed.csv"), "w", newline="\n") as f:
    f.write("\n".join(seed_file()) + "\n")

rotated = os.path.join(here, "rotated")
shutil.rmtree(rotated, ignore_errors=True)
os.makedirs(rotated)
a, b = len(rows) // 3, 2 * len(rows) // 3
for name, part in (("network_drops.log.2", rows[:a]), ("network_drops.log.1", rows[a:b]), ("network_drops.log", rows[b:])):
    with open(os.path.join(rotated, name), "w", newline="\n") as f:
        f.write("\n".join([HEADER] + part) + "\n")
subprocess.run(["gzip", "-9", "-n", os.path.join(rotated, "network_drops.log.2")], check=True)
