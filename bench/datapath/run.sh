#!/usr/bin/env bash
# Datapath benchmark (DESIGN.md section 6): new flows per second and established throughput
# between two VMs on one host bridge, with no firewall, with connection tracking alone, with
# Stockade's compiled nftables ruleset, and with the same rules as one iptables rule each in a
# per-port chain; all in one run.
#
#   bench/datapath/run.sh RULES...          e.g. bench/datapath/run.sh 0 10000 30000
#
# Needs root, gcc, iptables, iperf3, nft. Everything happens in throwaway namespaces.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${SECONDS_PER_RUN:-4}
counts=("${@:-0 10000 30000}")
[ $# -gt 0 ] || counts=(0 10000 30000)

tag=dp$$
H=$tag-h A=$tag-a B=$tag-b
work=$(mktemp -d)
cleanup() {
  for ns in $H $A $B; do ip netns pids $ns 2>/dev/null | xargs -r kill 2>/dev/null || true; ip netns del $ns 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

gcc -O2 -o "$work/flowgen" "$here/flowgen.c"
. "$root/bin/java-home"
[ -f "$root/bench/target/benchmarks.jar" ] || (cd "$root" && mvn -B -q -pl bench -am package -DskipTests)
"$JAVA_HOME/bin/java" -cp "$root/bench/target/benchmarks.jar" io.stockade.bench.Rulesets "$work" "${counts[@]}"

. "$here/host.sh"
bridge_host $tag a b
ip netns exec $A "$work/flowgen" server 7777 &
ip netns exec $A iperf3 -s -D >/dev/null
sleep 0.5

reset() { ip netns exec $H nft flush ruleset; ip netns exec $H iptables -F 2>/dev/null || true; ip netns exec $H iptables -X 2>/dev/null || true; ip netns exec $H conntrack -F 2>/dev/null || true; sleep 1.2; }
flows() { ip netns exec $B "$work/flowgen" client 192.0.2.10 7777 "$seconds" | sed -n 's/.*rate=\([0-9]*\).*/\1/p'; }
tput() { timeout 20 ip netns exec $B iperf3 -c 192.0.2.10 -t 2 -J | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e9,2))'; }

printf '%-10s %-10s %12s %10s %14s\n' firewall rules flows/s "% of none" "Gbit/s"
reset; base=$(flows); bt=$(tput)
printf '%-10s %-10s %12s %10s %14s\n' none 0 "$base" 100 "$bt"
# Connection tracking alone (one rule that needs it): the floor under any stateful firewall.
reset; ip netns exec $H nft -f - <<'EOF_CT'
table inet ctonly {
  chain forward {
    type filter hook forward priority 0; policy accept;
    ct state established,related accept
  }
}
EOF_CT
f=$(flows); t=$(tput)
printf '%-10s %-10s %12s %10s %14s\n' conntrack 0 "$f" "$((100 * f / base))" "$t"
for n in "${counts[@]}"; do
  reset; ip netns exec $H nft -f "$work/stockade-$n.nft"; f=$(flows); t=$(tput)
  printf '%-10s %-10s %12s %10s %14s\n' stockade "$n" "$f" "$((100 * f / base))" "$t"
  reset; ip netns exec $H iptables-restore < "$work/iptables-$n.rules"; f=$(flows); t=$(tput)
  printf '%-10s %-10s %12s %10s %14s\n' iptables "$n" "$f" "$((100 * f / base))" "$t"
done
