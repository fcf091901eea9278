#!/usr/bin/env bash
# Drop-logging benchmark (issue #11): new flows per second between two VMs while a third VM
# floods the server with packets its firewall drops, with the server's drop logging off and on
# (rate-limited nflog, read by tcpdump as the agent does), all in one run.
#
#   bench/datapath/droplog.sh            (ROUNDS=3 rounds of the four scenarios, interleaved, so
#                                          drifts of a shared machine hit all of them alike)
#
# Needs root, gcc, nft, tcpdump. Everything happens in throwaway namespaces.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${SECONDS_PER_RUN:-4}
rounds=${ROUNDS:-3}

. "$here/host.sh"
scratch dl$$
H=$tag-h
write_rulesets DropLogRulesets

bridge_host $tag a b c
for v in b c; do ip -n $tag-$v neigh replace 192.0.2.10 lladdr 52:54:00:00:00:0a dev eth0 nud permanent; done
ip -n $tag-a neigh replace 192.0.2.11 lladdr 52:54:00:00:00:0b dev eth0 nud permanent
ip netns exec $tag-a "$work/flowgen" server 7777 &
sleep 0.5

# vif-a's ingress no-rule drops: its element (keyed by its mark) of the drop set that counts them.
counter() {
  local mark; mark=$(ip netns exec $H nft list map inet stockade ingress | grep -o '0x[0-9a-f]* : goto in_vif_a' | cut -d' ' -f1)
  ip netns exec $H nft list map inet stockade drop_in_no_rule | sed -n "s/.*$mark counter packets \([0-9]*\).*/\1/p"
}
flows() { ip netns exec $tag-b "$work/flowgen" client 192.0.2.10 7777 "$seconds" | sed -n 's/.*rate=\([0-9]*\).*/\1/p'; }
run() { # NAME RULESET FLOOD(0|1) LISTEN(0|1)
  ip netns exec $H nft flush ruleset; ip netns exec $H conntrack -F 2>/dev/null || true; sleep 1.2
  ip netns exec $H nft -f "$work/$2"
  local lpid= fpid=
  if [ "$4" = 1 ]; then ip netns exec $H tcpdump -i nflog:750 -U -w "$work/log.pcap" 2>/dev/null & lpid=$!; sleep 1; fi
  if [ "$3" = 1 ]; then ip netns exec $tag-c "$work/flowgen" flood 192.0.2.10 9999 $((seconds + 1)) > "$work/flood.txt" & fpid=$!; sleep 0.3; fi
  local before; before=$(counter)
  local f; f=$(flows)
  local dropped=$(( $(counter) - before ))
  [ -z "$fpid" ] || wait "$fpid"
  local logged=0
  if [ -n "$lpid" ]; then sleep 1.5; kill "$lpid"; wait "$lpid" 2>/dev/null || true; logged=$(tcpdump -r "$work/log.pcap" 2>/dev/null | wc -l); fi
  printf '%-6s %-24s %10s %14s %12s\n' "$round" "$1" "$f" "$((dropped / seconds))" "$logged"
}

printf '%-6s %-24s %10s %14s %12s\n' round scenario flows/s "dropped/s" "log lines"
for round in $(seq 1 "$rounds"); do
  run "logging off, no flood" droplog-off.nft 0 0
  run "logging off, flood" droplog-off.nft 1 0
  run "logging on, flood" droplog-on.nft 1 1
  run "logging on, no flood" droplog-on.nft 0 1
done
