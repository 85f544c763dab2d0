#!/usr/bin/env bash
# Writes the sentinel fixture: this kernel's real /proc/net/{netstat,snmp,snmp6} headers (names), but every value
# replaced by a distinct non-zero number that says where it stands, as dotnet/runtime's NetworkFiles fixtures do:
#   eng/make-sentinel-fixture.sh tests/NetDrop.Kernel.Tests/Fixtures/synthetic/sentinel [PROC_ROOT]
# A counter read from the wrong column, group or file then reads a visibly wrong number, never a coincident 0.
#
#   t0/  netstat:  1GGGPPP  (1, group line pair GGG from 001, position PPP in its header from 001)
#        snmp:     2GGGPPP  (same layout)
#        snmp6:    3000LLL  (line LLL from 001)
#        softnet_stat (hex): 0x00C0CCKK (CPU CC, column KK), except column 13, which the kernel fills with the CPU id
#        sys/class/net/eth0/statistics/NAME: 4000NNN (NAME's place NNN in alphabetical order); ifindex 2000000001,
#        which no host interface has, so the live rtnetlink qdisc dump never matches it
#   t1/  t0 plus a distinct power of two for each counter NetDrop reads (the table below), everything else unchanged:
#        any sum of deltas then names exactly the counters that went into it. ListenDrops grows by its two subsets
#        plus 4, as tcp_listendrop() makes it (it counts every ListenOverflows and TCPReqQFullDrop too).
set -euo pipefail
dest=${1:?usage: make-sentinel-fixture.sh DEST [PROC_ROOT]}
proc=${2:-/proc}

declare -A delta=(
  [TcpExt:ListenOverflows]=1 [TcpExt:TCPReqQFullDrop]=2 [TcpExt:ListenDrops]=7 [TcpExt:RcvPruned]=8
  [TcpExt:OfoPruned]=16 [TcpExt:TCPRcvCollapsed]=32 [TcpExt:TCPBacklogDrop]=64 [TcpExt:TCPRcvQDrop]=128
  [TcpExt:TCPZeroWindowDrop]=256 [TcpExt:TCPOFODrop]=512 [TcpExt:PruneCalled]=1024 [TcpExt:TCPReqQFullDoCookies]=2048
  [Udp:RcvbufErrors]=4096 [Udp:SndbufErrors]=8192 [Udp:MemErrors]=16384 [Udp:InCsumErrors]=32768
  [Udp6RcvbufErrors]=65536 [Udp6SndbufErrors]=131072 [Udp6MemErrors]=262144 [Udp6InCsumErrors]=524288
  [softnet:0:1]=1048576 [softnet:1:1]=2097152 [softnet:0:2]=4194304 [softnet:1:2]=8388608
  [rx_dropped]=16777216 [tx_dropped]=33554432 [rx_missed_errors]=67108864
)
deltas() { for k in "${!delta[@]}"; do printf '%s=%s\n' "$k" "${delta[$k]}"; done; }

# Header/value line pairs: keep each header line, rewrite the value line after it.
mib() { # FILE PREFIX STEP(0|1)
  deltas | awk -v prefix="$2" -v step="$3" '
    FNR == NR { split($0, kv, "="); d[kv[1]] = kv[2]; next }
    FNR % 2 == 1 { count = split($0, names, " "); print; next }
    {
      g = (FNR / 2); line = names[1]
      for (p = 2; p <= count; p++) {
        v = prefix * 1000000 + g * 1000 + (p - 1)
        key = substr(names[1], 1, length(names[1]) - 1) ":" names[p]
        if (step && (key in d)) v += d[key]
        line = line " " v
      }
      print line
    }' - "$1"
}

snmp6() { # FILE STEP
  deltas | awk -v step="$2" '
    FNR == NR { split($0, kv, "="); d[kv[1]] = kv[2]; next }
    { v = 3000000 + FNR; if (step && ($1 in d)) v += d[$1]; printf "%-32s\t%d\n", $1, v }' - "$1"
}

softnet() { # STEP
  deltas | awk -v step="$1" '
    FNR == NR { split($0, kv, "="); d[kv[1]] = kv[2]; next }
    END {
      for (c = 0; c < 2; c++) {
        line = ""
        for (k = 0; k < 15; k++) {
          v = (k == 12) ? c : 12582912 + c * 256 + k  # 0x00C00000 + CC00 + KK
          if (step && (("softnet:" c ":" k) in d)) v += d["softnet:" c ":" k]
          line = line (k ? " " : "") sprintf("%08x", v)
        }
        print line
      }
    }' -
}

for t in 0 1; do
  root="$dest/t$t"
  mkdir -p "$root/proc/net" "$root/sys/class/net/eth0/statistics"
  mib "$proc/net/netstat" 1 $t > "$root/proc/net/netstat"
  mib "$proc/net/snmp" 2 $t > "$root/proc/net/snmp"
  snmp6 "$proc/net/snmp6" $t > "$root/proc/net/snmp6"
  softnet $t > "$root/proc/net/softnet_stat"
  echo 2000000001 > "$root/sys/class/net/eth0/ifindex"
  echo up > "$root/sys/class/net/eth0/operstate"
  n=0
  for name in collisions multicast rx_bytes rx_compressed rx_crc_errors rx_dropped rx_errors rx_fifo_errors \
      rx_frame_errors rx_length_errors rx_missed_errors rx_nohandler rx_over_errors rx_packets tx_aborted_errors \
      tx_bytes tx_carrier_errors tx_compressed tx_dropped tx_errors tx_fifo_errors tx_heartbeat_errors tx_packets \
      tx_window_errors; do
    n=$((n + 1))
    v=$((4000000 + n))
    [ "$t" = 1 ] && [ -n "${delta[$name]:-}" ] && v=$((v + delta[$name]))
    echo "$v" > "$root/sys/class/net/eth0/statistics/$name"
  done
done
echo "sentinel fixture written to $dest (headers of $(uname -r) from $proc)"
