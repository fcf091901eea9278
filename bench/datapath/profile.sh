#!/usr/bin/env bash
# Where a new flow's CPU time goes: runs the datapath benchmark's flood (one sender pinned to
# CPU 1, a fresh socket per datagram) through one ruleset, samples CPU 1 with perf, and prints
# the kernel functions by their share of the flood's samples (its process alone: the machine may
# be shared), with and without their callees, then the nftables chains' and element counters'
# shares of the sender's path: on a busy machine these ratios hold where rates do not.
#
#   bench/datapath/profile.sh [none|conntrack|RULES|FILE.nft]     e.g. bench/datapath/profile.sh 10000
#   (default 0: Stockade's ruleset with no extra rules; SECONDS_PER_RUN=6; TOP=40 lines each)
#
# Needs root, gcc, nft, perf (Debian: linux-perf). Everything happens in throwaway namespaces.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
what=${1:-0}
seconds=${SECONDS_PER_RUN:-6}
top=${TOP:-40}
command -v perf >/dev/null || { echo "profile.sh: perf not found (apt-get install linux-perf)" >&2; exit 1; }

. "$here/host.sh"
scratch pf$$
H=$tag-h A=$tag-a B=$tag-b
case "$what" in
  none) ruleset= ;;
  conntrack)
    write_conntrack_only
    ruleset=$work/ctonly.nft ;;
  *.nft) ruleset=$(realpath "$what") ;;
  *)
    write_rulesets Rulesets "$what"
    ruleset=$work/stockade-$what.nft ;;
esac

bridge_host $tag a b
ip netns exec $A "$work/flowgen" sink 7778 &
sleep 0.3
[ -z "$ruleset" ] || ip netns exec $H nft -f "$ruleset"
ip netns exec $B taskset -c 1 "$work/flowgen" flood 192.0.2.10 7778 "$seconds" > "$work/flood" &
flood=$!
sleep 1
perf record -q -e cpu-clock -C 1 -g -o "$work/perf.data" sleep $((seconds - 2)) 2>/dev/null
wait $flood
echo "flood through '$what': $(cat "$work/flood")"
set +o pipefail # head ends perf report's output early
report() { perf report -i "$work/perf.data" --comm flowgen "$@" --sort sym --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -n "$top"; }
echo "--- self (children excluded)"; report --no-children
echo "--- with callees"; report --children
# Each table's chains and the counters on set elements as a share of the sender's whole path
# (sendto with callees: the datagram's way through the bridge and netfilter runs in its
# context); shares of shares, so what else ran on CPU 1 drops out.
top=100000 report --children | awk '
  { gsub("%", "", $1); s[$4] = $1 }
  END { t = s["__sys_sendto"]; if (t > 0) printf "per datagram sent: bridge chains %.4f, inet chains %.4f, element counters %.4f\n", s["nft_do_chain_bridge"] / t, s["nft_do_chain_inet"] / t, s["nft_counter_eval"] / t }'
