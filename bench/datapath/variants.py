#!/usr/bin/env python3
"""Writes, beside DIR/stockade-0.nft (the datapath benchmark's Stockade ruleset with no extra rules),
the rulesets the benchmark takes it apart into (VARIANTS=1 bench/datapath/run.sh 0):

  variant-nocounters.nft  the same without the counter flag of the bridge table's sets and maps
  variant-dispatch.nft    Stockade's inet table behind a bridge table that only takes its fast
                          paths, dispatches ports and sets the marks (no anti-spoofing, no isolation)
  variant-bridgeonly.nft  that bridge table alone (no inet table, so no connection tracking)
  variant-inetonly.nft    an inet table alone doing what the iptables chain does: established
                          flows first, then one hash lookup of source, protocol and port
  variant-bridgeinetonly.nft  the dispatching bridge table with that inet table
  variant-inet.nft        Stockade's inet table alone (no marks, so no vnic chain is reached)
  variant-leanip4.nft     the source fast paths without their guard (DHCP server ports, ICMPv6): not sound
  variant-nodst.nft       no bridge forward chain: what that hook costs (not sound)
  variant-reorder.nft     the inet table's unmarked dispatch right after the established rule (a
                          flooded ICMPv6 copy to an uplink may be judged otherwise)

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


# Counted sets and maps lose their counter flag: the fast paths and the port dispatch count nothing.
write("nocounters", [l.replace(" counter; }", " }") if re.match(r"add (set|map) bridge ", l) else l for l in lines])

# The bridge table reduced to its dispatch: the fast paths, the port maps, and per vnic chain only
# the rule that sets its mark (a source chain accepts).
dispatch = ["add table bridge stockade", "delete table bridge stockade", "add table bridge stockade"]
for l in bridge:
    if re.match(r"add (chain|map) bridge stockade |add (set|element) bridge stockade pass_|add element bridge stockade (src|dst)_port ", l):
        dispatch.append(l)
        if re.match(r"add chain bridge stockade src_\w+$", l):
            dispatch.append(l.replace("add chain", "add rule") + " accept")
    elif l.startswith("add rule bridge stockade prerouting ") or l.startswith("add rule bridge stockade forward "):
        dispatch.append(l)
    elif re.match(r"add rule bridge stockade dst_\w+ meta mark set \S+$", l):
        dispatch.append(l + " accept")
write("dispatch", dispatch + ["add table inet stockade", "delete table inet stockade"] + inet)
write("bridgeonly", dispatch)

inetonly = [
    "add table inet alone", "delete table inet alone", "add table inet alone",
    "add chain inet alone forward { type filter hook forward priority 0; policy accept; }",
    "add set inet alone s { type ipv4_addr . inet_proto . inet_service; }",
    "add element inet alone s { 192.0.2.11 . 17 . 7777, 192.0.2.11 . 17 . 7778, 192.0.2.11 . 6 . 5201 }",
    "add rule inet alone forward ct state established,related accept",
    "add rule inet alone forward ip daddr 192.0.2.10 ip saddr . meta l4proto . th dport @s accept",
    "add rule inet alone forward ip daddr 192.0.2.10 drop",
]
write("inetonly", inetonly)
write("bridgeinetonly", dispatch + inetonly)
write("inet", ["add table inet stockade", "delete table inet stockade"] + inet)

# The fast paths without their guard (a frame from a DHCP server's port, ICMPv6): what the guard's
# compares cost. Not a sound ruleset: a vnic could answer DHCP from its own address.
write("leanip4", [re.sub(r"^(add rule bridge stockade prerouting )(?:meta l4proto != ipv6-icmp )?th sport != 67 th sport != 547 ", r"\1", l) for l in lines])

# No bridge forward hook at all: what the destination's lookup and its hook cost. Not a sound
# ruleset (no isolation of ARP or other frames, no ingress pass count).
write("nodst", [l for l in lines if not l.startswith("add chain bridge stockade forward ") and not l.startswith("add rule bridge stockade forward ")])

# The inet table's unmarked dispatch (every fast-path frame's) right after the established rule.
unmarked = next(l for l in inet if l.startswith("add rule inet stockade forward meta mark 0 "))
reorder = [l for l in lines if l != unmarked]
reorder.insert(reorder.index("add rule inet stockade forward ct state established,related accept") + 1, unmarked)
write("reorder", reorder)
