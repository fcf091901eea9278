#!/usr/bin/env python3
"""Writes, beside DIR/stockade-0.nft (the datapath benchmark's Stockade ruleset with no extra rules),
the rulesets the benchmark takes it apart into (VARIANTS=1 bench/datapath/run.sh 0):

  variant-nocounters.nft  the same without the bridge table's named counters on its rules
  variant-dispatch.nft    Stockade's inet table behind a bridge table that only dispatches ports
                          and sets the marks (no anti-spoofing, no isolation)
  variant-bridgeonly.nft  that bridge table alone (no inet table, so no connection tracking)
  variant-inetonly.nft    an inet table alone doing what the iptables chain does: established
                          flows first, then one hash lookup of source, protocol and port
  variant-bridgeinetonly.nft  the dispatching bridge table with that inet table
  variant-inet.nft        Stockade's inet table alone (no marks, so no vnic chain is reached)
  variant-leanip4.nft     Stockade with a shorter IPv4 path: one lookup of port, MAC and address
                          jumps to a chain that only sets the mark, checks the DHCP server port and
                          counts; a frame that misses it meets the full chain as before

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

# The shorter IPv4 path: per vnic its MAC (from its chain's first rule), its mark and its IPv4
# addresses (from port_ip4), so one element per address jumps to the vnic's short chain.
bridge_text = "\n".join(bridge)
macs = dict(re.findall(r"add rule bridge stockade src_(\w+) ether saddr != (\S+) ", bridge_text))
mark_of = dict(re.findall(r"add rule bridge stockade src_(\w+) meta mark set (\S+)$", bridge_text, re.M))
ports = dict(re.findall(r'"(\w+)" : jump src_(\w+)', next(l for l in bridge if l.startswith("add element bridge stockade src_port "))))
addresses = re.findall(r'"(\w+)" \. ([0-9.]+)', next(l for l in bridge if l.startswith("add element bridge stockade port_ip4 ")))
lean = []
for l in bridge:
    if l == "add rule bridge stockade prerouting iifname vmap @src_port":
        lean.append("add rule bridge stockade prerouting ether type ip iifname . ether saddr . ip saddr vmap @src4")
    lean.append(l)
    if l.startswith("add map bridge stockade src_port "):
        lean.append("add map bridge stockade src4 { type ifname . ether_addr . ipv4_addr : verdict; }")
        lean.append("add element bridge stockade src4 { " + ", ".join(
            f'"{port}" . {macs[ports[port]]} . {ip} : jump src4_{ports[port]}' for port, ip in addresses) + " }")
for vif in sorted(set(ports.values())):
    lean.insert(lean.index(f"add chain bridge stockade src_{vif}") + 1, f"add chain bridge stockade src4_{vif}")
    lean += [f"add rule bridge stockade src4_{vif} meta mark set {mark_of[vif]}",
             f"add rule bridge stockade src4_{vif} ip protocol udp udp sport @dhcp_server_ports counter name n_{vif}_eg_spoofing drop",
             f"add rule bridge stockade src4_{vif} counter name n_{vif}_eg_pass accept"]
write("leanip4", lean + inet)
