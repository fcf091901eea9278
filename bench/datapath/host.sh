# Sourced by the datapath benchmarks, after they set $here (this directory) and $root (the
# repository's).

# A benchmark's scratch: its namespaces are named "$tag-..." and its files go to a new directory
# $work, with flowgen built in it; the namespaces (and whatever runs in them) and the directory
# are removed when the script exits, however it exits.
scratch() {
  tag=$1
  work=$(mktemp -d)
  trap remove_scratch EXIT
  gcc -O2 -o "$work/flowgen" "$here/flowgen.c"
}
remove_scratch() {
  local ns
  for ns in $(ip netns list | awk '{print $1}' | grep "^$tag-" || true); do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
  rm -rf "$work"
}

# Runs one of the bench module's ruleset writers, io.stockade.bench.CLASS, into $work.
write_rulesets() {
  local class=$1; shift
  . "$root/bin/java-home"
  [ -f "$root/bench/target/benchmarks.jar" ] || (cd "$root" && mvn -B -q -pl bench -am package -DskipTests)
  "$JAVA_HOME/bin/java" -cp "$root/bench/target/benchmarks.jar" "io.stockade.bench.$class" "$work" "$@"
}

# Connection tracking alone, the floor under any stateful firewall, as $work/ctonly.nft.
write_conntrack_only() {
  cat > "$work/ctonly.nft" <<'EOF_CT'
table inet ctonly {
  chain forward {
    type filter hook forward priority 0; policy accept;
    ct state established,related accept
  }
}
EOF_CT
}

# One host namespace "$tag-h" with bridge br0 and one VM
# namespace "$tag-X" per letter given, attached as port tapX with MAC 52:54:00:00:00:0a, 0b, ...
# and address 192.0.2.10, .11, ...; bridged IP passes the inet hooks, UDP flows time out in 1 s,
# and the VMs may use every source port.
bridge_host() {
  local tag=$1; shift
  local h=$tag-h i=0 v ns
  ip netns add $h
  ip -n $h link add br0 type bridge; ip -n $h link set br0 up
  for v in "$@"; do
    ns=$tag-$v
    ip netns add $ns
    ip link add tap-$v-$tag type veth peer name eth0 netns $ns
    ip link set tap-$v-$tag netns $h
    ip -n $h link set tap-$v-$tag name tap$v
    ip -n $h link set tap$v master br0 up
    ip -n $ns link set eth0 address 52:54:00:00:00:0$(printf %x $((i + 10))) up
    ip -n $ns link set lo up
    ip -n $ns addr add 192.0.2.$((i + 10))/24 dev eth0
    ip netns exec $ns sysctl -qw net.ipv4.ip_local_port_range="1024 65535"
    i=$((i + 1))
  done
  ip netns exec $h sysctl -qw net.bridge.bridge-nf-call-iptables=1 net.bridge.bridge-nf-call-ip6tables=1
  ip netns exec $h sysctl -qw net.netfilter.nf_conntrack_udp_timeout=1 net.netfilter.nf_conntrack_udp_timeout_stream=1 2>/dev/null || true
}
