package io.stockade.agent.netns;

import io.stockade.agent.Shell;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hosts and VMs built from network namespaces on this machine: each host is a namespace with a
 * bridge ({@code br0}); each VM a namespace whose {@code eth0} is one end of a veth pair, the
 * other end being the vnic's tap on the host's bridge; hosts are joined by an uplink veth pair.
 * Every name starts with the topology's prefix, so {@link #close()} (and {@link #removeAll}
 * after a crash) removes exactly what was made. Used by the lab and by the namespace tests.
 */
public final class Topology implements AutoCloseable {
    /** A VM's interface as seen from inside the VM and from the host. */
    public record Vm(String name, String namespace, String host, String tap, String mac, List<String> addresses) {}

    private final String prefix;
    private final Map<String, String> hosts = new LinkedHashMap<>();
    private final Map<String, Vm> vms = new LinkedHashMap<>();
    private final List<String> namespaces = new ArrayList<>();
    private int links;

    public Topology(String prefix) {
        if (!prefix.matches("[a-z][a-z0-9]{1,7}")) {
            throw new IllegalArgumentException("prefix must be 2-8 lowercase letters or digits, got '" + prefix + "'");
        }
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    /** The namespace of a host. */
    public String hostNamespace(String host) {
        return hosts.get(host);
    }

    public Vm vm(String name) {
        return vms.get(name);
    }

    public Shell hostShell(String host) {
        return new Shell(hostNamespace(host));
    }

    /** Adds a host namespace with bridge br0 and bridged IPv4/IPv6 passed to the inet hooks. */
    public String addHost(String host) {
        String ns = prefix + "-" + host;
        ip("netns", "add", ns);
        namespaces.add(ns);
        hosts.put(host, ns);
        in(ns, "ip", "link", "set", "lo", "up");
        in(ns, "ip", "link", "add", "br0", "type", "bridge");
        in(ns, "ip", "link", "set", "br0", "up");
        in(ns, "sysctl", "-qw", "net.bridge.bridge-nf-call-iptables=1", "net.bridge.bridge-nf-call-ip6tables=1");
        return ns;
    }

    /**
     * Adds a VM on a host: namespace, veth pair (eth0 inside, {@code tap} on the host's bridge),
     * MAC and addresses ("192.0.2.10/24", "2001:db8:1::10/64").
     */
    public Vm addVm(String name, String host, String tap, String mac, List<String> addresses) {
        String ns = prefix + "-" + name;
        String hostNs = hosts.get(host);
        ip("netns", "add", ns);
        namespaces.add(ns);
        String tmp = prefix + "v" + (links++);
        ip("link", "add", tmp, "type", "veth", "peer", "name", "eth0", "netns", ns);
        ip("link", "set", tmp, "netns", hostNs);
        in(hostNs, "ip", "link", "set", tmp, "name", tap);
        in(hostNs, "ip", "link", "set", tap, "master", "br0", "up");
        in(ns, "ip", "link", "set", "lo", "up");
        in(ns, "ip", "link", "set", "eth0", "address", mac);
        in(ns, "sysctl", "-qw", "net.ipv6.conf.eth0.accept_dad=0");
        in(ns, "ip", "link", "set", "eth0", "up");
        for (String a : addresses) {
            in(ns, "ip", "addr", "add", a, "dev", "eth0", "nodad");
        }
        Vm vm = new Vm(name, ns, host, tap, mac, addresses.stream().map(a -> a.replaceAll("/.*", "")).toList());
        vms.put(name, vm);
        return vm;
    }

    /**
     * Adds a namespace standing for the outside world (the gateway, other networks) behind the
     * host's uplink port {@code device}: like a VM, but on a declared uplink.
     */
    public Vm addOutside(String name, String host, String device, String mac, List<String> addresses) {
        return addVm(name, host, device, mac, addresses);
    }

    /** Static neighbor entries in a VM, so IP tests do not depend on ARP/ND (tested on their own). */
    public void neighbors(Vm vm, List<Vm> others) {
        for (Vm o : others) {
            for (String a : o.addresses()) {
                in(vm.namespace(), "ip", "neigh", "replace", a, "lladdr", o.mac(), "dev", "eth0", "nud", "permanent");
            }
        }
    }

    /** An on-link route in a VM to a prefix outside its own subnet. */
    public void onLink(Vm vm, String prefix) {
        in(vm.namespace(), "ip", "route", "replace", prefix, "dev", "eth0");
    }

    /** Joins two hosts' bridges with a veth pair whose ends are each host's declared uplink. */
    public void addUplink(String hostA, String hostB, String device) {
        String a = hosts.get(hostA);
        String b = hosts.get(hostB);
        String tmpA = prefix + "u" + (links++);
        String tmpB = prefix + "u" + (links++);
        ip("link", "add", tmpA, "type", "veth", "peer", "name", tmpB);
        ip("link", "set", tmpA, "netns", a);
        ip("link", "set", tmpB, "netns", b);
        in(a, "ip", "link", "set", tmpA, "name", device);
        in(b, "ip", "link", "set", tmpB, "name", device);
        in(a, "ip", "link", "set", device, "master", "br0", "up");
        in(b, "ip", "link", "set", device, "master", "br0", "up");
    }

    /** Runs a command inside a namespace (a host's or a VM's). */
    public Shell.Result exec(String namespace, String... command) {
        return new Shell(namespace).run(null, command);
    }

    private void in(String ns, String... command) {
        Shell.Result r = exec(ns, command);
        if (!r.ok()) {
            throw new IllegalStateException(String.join(" ", command) + " in " + ns + ": " + r.err().strip());
        }
    }

    private static void ip(String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "ip";
        System.arraycopy(args, 0, argv, 1, args.length);
        Shell.Result r = new Shell(null).run(null, argv);
        if (!r.ok()) {
            throw new IllegalStateException(String.join(" ", argv) + ": " + r.err().strip());
        }
    }

    /** Removes every namespace this topology made (its processes are killed with it). */
    @Override
    public void close() {
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            deleteNamespace(namespaces.get(i));
        }
        namespaces.clear();
    }

    /** Removes every namespace whose name starts with {@code prefix-}: cleanup after a crash. */
    public static int removeAll(String prefix) {
        Shell.Result r = new Shell(null).run(null, "ip", "netns", "list");
        int n = 0;
        for (String line : r.out().lines().toList()) {
            String ns = line.split("\\s+")[0];
            if (ns.startsWith(prefix + "-")) {
                deleteNamespace(ns);
                n++;
            }
        }
        return n;
    }

    private static void deleteNamespace(String ns) {
        Shell root = new Shell(null);
        Shell.Result pids = root.run(null, "ip", "netns", "pids", ns);
        for (String pid : pids.out().lines().map(String::strip).filter(s -> !s.isEmpty()).toList()) {
            root.run(null, "kill", "-9", pid);
        }
        root.run(null, "ip", "netns", "del", ns);
    }
}
