#!/usr/bin/env bash
# Datapath benchmark, interleaved: the new flows of run.sh measured with every scenario loaded at
# once, each on its own host bridge (its own namespaces, so its own ruleset and connection
# tracking), and one client that visits them in turn, a short slice each, round after round.
# run.sh measures a scenario between two runs of "none" seconds apart; on a machine whose speed
# swings within seconds that leaves a wide interval, and here a swing slower than one round (a
# few hundred ms) hits every scenario alike, and many rounds narrow what is left.
#
#   bench/datapath/interleaved.sh RULES...     e.g. bench/datapath/interleaved.sh 0 10000 30000
#   (MEASURE=flows: the request/reply, client on CPU 0 and each server on CPU 1, as run.sh;
#    MEASURE=flood: one sender on CPU 1, no replies, bound by the CPU cost of a new flow;
#    ROUNDS=300 rounds of SLICE_MS=200 per scenario; FIREWALLS="conntrack stockade iptables" the
#    scenarios beside "none"; EXTRA="FILE.nft ..." also measures these rulesets, as "variant FILE";
#    KEEP=FILE keeps the rates of every round, one line each, scenarios in the order printed.)
#
# Prints per scenario the mean over the rounds of its rate as % of the "none" slice of the same
# round, with its 95 % confidence interval (two standard errors), and the median.
#
# Needs root, gcc, nft (and iptables for the iptables scenarios). Everything happens in throwaway
# namespaces.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rounds=${ROUNDS:-300} slice=${SLICE_MS:-200} measure=${MEASURE:-flows}
counts=("$@")
[ $# -gt 0 ] || counts=(0 10000 30000)
firewalls=" ${FIREWALLS:-conntrack stockade iptables} "
for x in $firewalls; do [[ " conntrack stockade iptables " == *" $x "* ]] || { echo "interleaved.sh: FIREWALLS: '$x' is none of conntrack, stockade, iptables" >&2; exit 2; }; done
[[ $measure == flows || $measure == flood ]] || { echo "interleaved.sh: MEASURE: '$measure' is neither flows nor flood" >&2; exit 2; }

. "$here/host.sh"
scratch "il$(($$ % 10000))"
write_rulesets Rulesets "${counts[@]}"
write_conntrack_only
firewall() { [[ $firewalls == *" $1 "* ]]; }
scenarios=(none)
! firewall conntrack || scenarios+=(conntrack)
for n in "${counts[@]}"; do
  ! firewall stockade || scenarios+=("stockade $n")
  ! firewall iptables || scenarios+=("iptables $n")
done
for x in ${EXTRA:-}; do cp "$x" "$work/variant-$(basename "$x" .nft).nft"; scenarios+=("variant $(basename "$x" .nft)"); done

port=7777 cpu=0
[ "$measure" = flows ] || port=7778 cpu=1
targets=()
for i in "${!scenarios[@]}"; do
  t=$tag-$i
  bridge_host "$t" a b
  ip netns exec "$t-h" sysctl -qw net.netfilter.nf_conntrack_max=1000000 2>/dev/null || true
  sc=${scenarios[$i]}
  case "$sc" in
    none) ;;
    conntrack) ip netns exec "$t-h" nft -f "$work/ctonly.nft" ;;
    stockade*) ip netns exec "$t-h" nft -f "$work/stockade-${sc#stockade }.nft" ;;
    iptables*) ip netns exec "$t-h" iptables-restore < "$work/iptables-${sc#iptables }.rules" ;;
    variant*) ip netns exec "$t-h" nft -f "$work/variant-${sc#variant }.nft" ;;
  esac
  if [ "$measure" = flows ]; then
    ip netns exec "$t-a" taskset -c 1 "$work/flowgen" server 7777 &
  else
    ip netns exec "$t-a" "$work/flowgen" sink 7778 &
  fi
  targets+=("$t-b:192.0.2.10:$port")
done
sleep 1.5
taskset -c "$cpu" "$work/flowgen" rounds "$rounds" "$slice" "$measure" "${targets[@]}" > "$work/rounds"
[ -z "${KEEP:-}" ] || cp "$work/rounds" "$KEEP"

printf '%-10s %-6s %10s %14s %8s\n' firewall rules "rate/s" "% of none" median
for i in "${!scenarios[@]}"; do
  read -r name n <<<"${scenarios[$i]}"
  rate=$(awk -v i=$((i + 1)) '{ s += $i } END { printf "%.0f", s / NR }' "$work/rounds")
  if [ "$i" = 0 ]; then
    printf '%-10s %-6s %10s %14s %8s\n' "$name" "${n:-0}" "$rate" 100 100
    continue
  fi
  awk -v i=$((i + 1)) '{ printf "%.3f\n", 100 * $i / $1 }' "$work/rounds" | sort -n |
    awk -v name="$name" -v n="${n:-0}" -v rate="$rate" '
      { x[NR] = $1; s += $1; q += $1 * $1 }
      END {
        m = s / NR; v = (q - NR * m * m) / (NR - 1)
        printf "%-10s %-6s %10s %8.1f ± %.1f %8.1f\n", name, n, rate, m, 2 * sqrt(v > 0 ? v / NR : 0), (NR % 2) ? x[(NR + 1) / 2] : (x[NR / 2] + x[NR / 2 + 1]) / 2
      }'
done
