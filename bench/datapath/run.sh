#!/usr/bin/env bash
# Datapath benchmark (DESIGN.md section 6): new flows per second (request/reply, and a
# CPU-bound flood from one sender) and established throughput between two VMs on one host bridge, with no firewall, with connection tracking alone, with
# Stockade's compiled nftables ruleset, and with the same rules as one iptables rule each in a
# per-port chain; all in one run.
#
#   bench/datapath/run.sh RULES...          e.g. bench/datapath/run.sh 0 10000 30000
#   (ROUNDS=3 rounds, each measuring every scenario between two runs of no firewall;
#    SECONDS_PER_RUN=4 per request/reply measurement; CLIENT_CPU=0 and SERVER_CPU=1 pin the two
#    ends of the request/reply and of iperf3, e.g. CLIENT_CPU=1 SERVER_CPU=1 for both on one CPU,
#    0-1 for the scheduler's choice; FIREWALLS="conntrack stockade iptables" the scenarios beside
#    "none"; MEASURE="flows tput flood" what each measures, e.g. FIREWALLS=stockade MEASURE=flows
#    ROUNDS=30 SECONDS_PER_RUN=2 for many short pairs of the request/reply alone; VARIANTS=1 also
#    measures Stockade's 0-rule ruleset taken apart, see variants.py: needs 0 among RULES;
#    EXTRA="FILE.nft ..." also measures these rulesets.)
#
# Prints per scenario the medians of what it measured and, as %, the median over the rounds of
# its ratio to the "none" runs beside it; for new flows also the mean of those ratios with its
# 95 % confidence interval.
#
# Needs root, gcc, iptables, iperf3, nft. Everything happens in throwaway namespaces.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${SECONDS_PER_RUN:-4}
client_cpu=${CLIENT_CPU:-0} server_cpu=${SERVER_CPU:-1}
rounds=${ROUNDS:-3}
counts=("${@:-0 10000 30000}")
[ $# -gt 0 ] || counts=(0 10000 30000)
firewalls=" ${FIREWALLS:-conntrack stockade iptables} " measures=" ${MEASURE:-flows tput flood} "
for x in $firewalls; do [[ " conntrack stockade iptables " == *" $x "* ]] || { echo "run.sh: FIREWALLS: '$x' is none of conntrack, stockade, iptables" >&2; exit 2; }; done
for x in $measures; do [[ " flows tput flood " == *" $x "* ]] || { echo "run.sh: MEASURE: '$x' is none of flows, tput, flood" >&2; exit 2; }; done

. "$here/host.sh"
scratch dp$$
H=$tag-h A=$tag-a B=$tag-b
write_rulesets Rulesets "${counts[@]}"
variants=()
if [ "${VARIANTS:-0}" = 1 ]; then
  python3 "$here/variants.py" "$work"
  variants=(nocounters dispatch bridgeonly inetonly bridgeinetonly inet leanip4 nodst reorder)
fi
# EXTRA="FILE.nft ..." measures hand-made rulesets too, each as "variant FILE".
for x in ${EXTRA:-}; do cp "$x" "$work/variant-$(basename "$x" .nft).nft"; variants+=("$(basename "$x" .nft)"); done

bridge_host $tag a b
ip netns exec $H sysctl -qw net.netfilter.nf_conntrack_max=1000000 2>/dev/null || true
# The two VMs on two cores, as two VMs are: each end of a request/reply or an iperf3 stream is
# pinned to its own CPU. Left to the scheduler, both ends now share one CPU (a CPU-bound ~95k
# flows/s here) and now not (latency-bound, ~12k/s), and how often each happens shifts with the
# work a firewall adds, which swung the ratio by 5-10 % from one round to the next.
ip netns exec $A taskset -c "$server_cpu" "$work/flowgen" server 7777 &
ip netns exec $A "$work/flowgen" sink 7778 &
ip netns exec $A taskset -c "$server_cpu" iperf3 -s -D >/dev/null
sleep 0.5

reset() { ip netns exec $H nft flush ruleset; ip netns exec $H iptables -F 2>/dev/null || true; ip netns exec $H iptables -X 2>/dev/null || true; ip netns exec $H conntrack -F 2>/dev/null || true; }
flows() { ip netns exec $B taskset -c "$client_cpu" "$work/flowgen" client 192.0.2.10 7777 "$seconds" | sed -n 's/.*rate=\([0-9]*\).*/\1/p'; }
# One sender pinned to one CPU, a fresh socket per datagram, no replies: bound by the CPU cost of a
# new flow, so it resolves differences of ~1 % that the request/reply latency hides in noise.
flood() { ip netns exec $B taskset -c 1 "$work/flowgen" flood 192.0.2.10 7778 2 | sed -n 's/.*rate=\([0-9]*\).*/\1/p'; }
tput() { timeout 20 ip netns exec $B taskset -c "$client_cpu" iperf3 -c 192.0.2.10 -t 3 -J | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e9,2))'; }

write_conntrack_only
# Scenarios: "none", "conntrack" (connection tracking alone, the floor under any stateful
# firewall), then Stockade and iptables per rule count. The shared machine drifts by more than the
# differences measured (on a busy day "none" moved by 25 % from one minute to the next), so every
# scenario is measured between two runs of "none", and its figure is the median, over the rounds,
# of its ratio to the mean of those two: a drift slower than one measurement cancels.
firewall() { [[ $firewalls == *" $1 "* ]]; }
measuring() { [[ $measures == *" $1 "* ]]; }
scenarios=()
! firewall conntrack || scenarios+=(conntrack)
for n in "${counts[@]}"; do
  ! firewall stockade || scenarios+=("stockade $n")
  ! firewall iptables || scenarios+=("iptables $n")
done
for v in "${variants[@]}"; do scenarios+=("variant $v"); done
# load SCENARIO, then let the kernel settle (the old ruleset's objects freed after RCU grace
# periods, sets resized, the last measurement's flows timed out) before anything is measured.
load() {
  case "$1" in
    none) ;;
    conntrack) ip netns exec $H nft -f "$work/ctonly.nft" ;;
    stockade*) ip netns exec $H nft -f "$work/stockade-${1#stockade }.nft" ;;
    iptables*) ip netns exec $H iptables-restore < "$work/iptables-${1#iptables }.rules" ;;
    variant*) ip netns exec $H nft -f "$work/variant-${1#variant }.nft" ;;
  esac
  sleep 1.2
}
# measure SCENARIO: sets f (flows/s), t (Gbit/s) and c (flood/s), "-" for what MEASURE leaves out,
# and appends them to F, T, C.
declare -A F T C PF PT PC
measure() {
  f=- t=- c=-
  reset; load "$1"
  ! measuring flows || f=$(flows)
  ! measuring tput || t=$(tput)
  if measuring flood; then reset; load "$1"; c=$(flood); fi
  F[$1]+="$f "; T[$1]+="$t "; C[$1]+="$c "
}
ratio() { [ "$1" = - ] && echo - || awk -v x="$1" -v a="$2" -v b="$3" 'BEGIN {printf "%.1f", 200 * x / (a + b)}'; }
for r in $(seq 1 "$rounds"); do
  measure none; read -r nf nt nc <<<"$f $t $c"
  for sc in "${scenarios[@]}"; do
    measure "$sc"; read -r sf st scf <<<"$f $t $c"
    measure none
    PF[$sc]+="$(ratio "$sf" "$nf" "$f") "; PT[$sc]+="$(ratio "$st" "$nt" "$t") "; PC[$sc]+="$(ratio "$scf" "$nc" "$c") "
    read -r nf nt nc <<<"$f $t $c"
  done
done
median() { tr ' ' '\n' | awk '/^[0-9.]+$/' | sort -n | awk '{a[NR]=$1} END {if (!NR) print "-"; else print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
# The mean of the rounds' ratios with the half-width of its 95 % confidence interval (2 standard errors).
spread() { tr ' ' '\n' | awk '/^[0-9.]+$/' | awk '{s+=$1; q+=$1*$1; n++} END {if (n < 2) print "-"; else {m=s/n; v=(q-n*m*m)/(n-1); printf "%.1f±%.1f", m, 2*sqrt((v>0?v:0)/n)}}'; }
printf '%-10s %-6s %8s %6s %10s %8s %6s %7s %6s   %s\n' firewall rules "flows/s" "%" "mean±95%" "flood/s" "%" "Gbit/s" "%" "each round's % of none beside it (flows | flood)"
hundred() { [ "$1" = - ] && echo - || echo 100; }
for sc in none "${scenarios[@]}"; do
  f=$(echo "${F[$sc]}" | median); t=$(echo "${T[$sc]}" | median); c=$(echo "${C[$sc]}" | median)
  if [ "$sc" = none ]; then
    pf=$(hundred "$f") pt=$(hundred "$t") pc=$(hundred "$c") m=- each="(measured $((rounds * (${#scenarios[@]} + 1))) times)"
  else
    pf=$(echo "${PF[$sc]}" | median); pt=$(echo "${PT[$sc]}" | median); pc=$(echo "${PC[$sc]}" | median)
    m=$(echo "${PF[$sc]}" | spread); each="${PF[$sc]}| ${PC[$sc]}"
  fi
  read -r name n <<<"$sc"
  printf '%-10s %-6s %8s %6s %10s %8s %6s %7s %6s   %s\n' "$name" "${n:-0}" "$f" "$pf" "$m" "$c" "$pc" "$t" "$pt" "$each"
done
