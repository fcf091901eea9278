#!/usr/bin/env python3
"""Writes, beside DIR/stockade-0.nft (the datapath benchmark's Stockade ruleset with no extra rules),
the rulesets the benchmark takes it apart into (VARIANTS=1 bench/datapath/run.sh 0):

  variant-nocounters.nft  the same without the bridge table's named counters on its rules
  variant-dispatch.nft    Stockade's inet table behind a bridge table that only dispatches ports
                          and sets the marks (no anti-spoofing, no isolation)
  variant-bridgeonly.nft  that bridge table alone (no inet table, so no connection tracking)
  variant-inetonly.nft    an inet table alone doing what the iptables chain does: established
                          flows first, then one hash lookup of source, protocol and port

Usage: variants.py DIR
"""
import re
import sys

d = sys.argv[1]
lines = open(f"{d}/stockade-0.nft").read().splitlines()
inet_at = max(i for i, l in enumerate(lines) if l == "add table inet stockade")
bridge, inet = lines[:inet_at], lines[inet_at:]


def write(name, body):
    with open(f"{d}/variant-{name}.nft", "w") as f:
        f.write("\n".join(body) + "\n")


write("nocounters", [re.sub(r" counter name \w+", "", l) if l.startswith("add rule bridge") else l for l in lines])

# The bridge table reduced to its dispatch: each vnic chain keeps the rule that sets its mark.
dispatch = ["add table bridge stockade", "delete table bridge stockade", "add table bridge stockade"]
for l in bridge:
    if re.match(r"add (chain|map) bridge stockade |add element bridge stockade (src|dst)_port ", l):
        dispatch.append(l)
    elif l.startswith("add rule bridge stockade prerouting iifname vmap") or l.startswith("add rule bridge stockade forward "):
        dispatch.append(l)
    elif re.match(r"add rule bridge stockade (src|dst)_\w+ meta mark set (meta mark or )?\S+$", l):
        dispatch.append(l + " accept")
write("dispatch", dispatch + ["add table inet stockade", "delete table inet stockade"] + inet)
write("bridgeonly", dispatch)

write("inetonly", [
    "add table inet alone", "delete table inet alone", "add table inet alone",
    "add chain inet alone forward { type filter hook forward priority 0; policy accept; }",
    "add set inet alone s { type ipv4_addr . inet_proto . inet_service; }",
    "add element inet alone s { 192.0.2.11 . 17 . 7777, 192.0.2.11 . 17 . 7778, 192.0.2.11 . 6 . 5201 }",
    "add rule inet alone forward ct state established,related accept",
    "add rule inet alone forward ip daddr 192.0.2.10 ip saddr . meta l4proto . th dport @s accept",
    "add rule inet alone forward ip daddr 192.0.2.10 drop",
])
