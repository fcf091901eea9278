#!/usr/bin/env bash
# Datapath benchmark (DESIGN.md section 6): new flows per second (request/reply, and a
# CPU-bound flood from one sender) and established throughput between two VMs on one host bridge, with no firewall, with connection tracking alone, with
# Stockade's compiled nftables ruleset, and with the same rules as one iptables rule each in a
# per-port chain; all in one run.
#
#   bench/datapath/run.sh RULES...          e.g. bench/datapath/run.sh 0 10000 30000
#   (ROUNDS=3 rounds of every scenario, interleaved; SECONDS_PER_RUN=4 per request/reply
#    measurement; CLIENT_CPU=0 and SERVER_CPU=1 pin the two ends of the request/reply and of
#    iperf3, e.g. CLIENT_CPU=1 SERVER_CPU=1 for both on one CPU, 0-1 for the scheduler's choice;
#    VARIANTS=1 also measures Stockade's 0-rule ruleset taken apart, see variants.py: needs 0 among RULES)
#
# Needs root, gcc, iptables, iperf3, nft. Everything happens in throwaway namespaces.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${SECONDS_PER_RUN:-4}
cc=${CLIENT_CPU:-0} sc=${SERVER_CPU:-1}
rounds=${ROUNDS:-3}
counts=("${@:-0 10000 30000}")
[ $# -gt 0 ] || counts=(0 10000 30000)

. "$here/host.sh"
scratch dp$$
H=$tag-h A=$tag-a B=$tag-b
write_rulesets Rulesets "${counts[@]}"
variants=()
if [ "${VARIANTS:-0}" = 1 ]; then
  python3 "$here/variants.py" "$work"
  variants=(nocounters dispatch bridgeonly inetonly)
fi

bridge_host $tag a b
ip netns exec $H sysctl -qw net.netfilter.nf_conntrack_max=1000000 2>/dev/null || true
# The two VMs on two cores, as two VMs are: each end of a request/reply or an iperf3 stream is
# pinned to its own CPU. Left to the scheduler, both ends now share one CPU (a CPU-bound ~95k
# flows/s here) and now not (latency-bound, ~12k/s), and how often each happens shifts with the
# work a firewall adds, which swung the ratio by 5-10 % from one round to the next.
ip netns exec $A taskset -c "$sc" "$work/flowgen" server 7777 &
ip netns exec $A "$work/flowgen" sink 7778 &
ip netns exec $A taskset -c "$sc" iperf3 -s -D >/dev/null
sleep 0.5

reset() { ip netns exec $H nft flush ruleset; ip netns exec $H iptables -F 2>/dev/null || true; ip netns exec $H iptables -X 2>/dev/null || true; ip netns exec $H conntrack -F 2>/dev/null || true; sleep 1.2; }
flows() { ip netns exec $B taskset -c "$cc" "$work/flowgen" client 192.0.2.10 7777 "$seconds" | sed -n 's/.*rate=\([0-9]*\).*/\1/p'; }
# One sender pinned to one CPU, a fresh socket per datagram, no replies: bound by the CPU cost of a
# new flow, so it resolves differences of ~1 % that the request/reply latency hides in noise.
flood() { ip netns exec $B taskset -c 1 "$work/flowgen" flood 192.0.2.10 7778 2 | sed -n 's/.*rate=\([0-9]*\).*/\1/p'; }
tput() { timeout 20 ip netns exec $B taskset -c "$cc" iperf3 -c 192.0.2.10 -t 3 -J | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e9,2))'; }

write_conntrack_only
# Scenarios: "none", "conntrack" (connection tracking alone, the floor under any stateful
# firewall), then Stockade and iptables per rule count. Every round measures all of them, one
# after the other, so a drift of the shared machine hits them alike; medians are printed.
scenarios=(none conntrack)
for n in "${counts[@]}"; do scenarios+=("stockade $n" "iptables $n"); done
for v in "${variants[@]}"; do scenarios+=("variant $v"); done
load() {
  case "$1" in
    none) ;;
    conntrack) ip netns exec $H nft -f "$work/ctonly.nft" ;;
    stockade*) ip netns exec $H nft -f "$work/stockade-${1#stockade }.nft" ;;
    iptables*) ip netns exec $H iptables-restore < "$work/iptables-${1#iptables }.rules" ;;
    variant*) ip netns exec $H nft -f "$work/variant-${1#variant }.nft" ;;
  esac
}
declare -A F T C
for r in $(seq 1 "$rounds"); do
  for sc in "${scenarios[@]}"; do
    reset; load "$sc"; F[$sc]+="$(flows) "; T[$sc]+="$(tput) "; reset; load "$sc"; C[$sc]+="$(flood) "
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
base=$(echo "${F[none]}" | median); cbase=$(echo "${C[none]}" | median)
pct() { awk -v f="$1" -v b="$2" 'BEGIN {printf "%.0f", 100 * f / b}'; }
printf '%-10s %-10s %10s %6s %10s %6s %8s   %s\n' firewall rules "flows/s" "%" "flood/s" "%" "Gbit/s" "each round (flows/s | flood/s)"
for sc in "${scenarios[@]}"; do
  f=$(echo "${F[$sc]}" | median); t=$(echo "${T[$sc]}" | median); c=$(echo "${C[$sc]}" | median)
  read -r name n <<<"$sc"
  printf '%-10s %-10s %10s %6s %10s %6s %8s   %s| %s\n' "$name" "${n:-0}" "$f" "$(pct "$f" "$base")" "$c" "$(pct "$c" "$cbase")" "$t" "${F[$sc]}" "${C[$sc]}"
done
