package io.stockade.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stockade.core.model.Direction;
import io.stockade.core.model.FirewallMode;
import io.stockade.core.model.Host;
import io.stockade.core.model.IpSet;
import io.stockade.core.model.Match;
import io.stockade.core.model.Network;
import io.stockade.core.model.Project;
import io.stockade.core.model.Remote;
import io.stockade.core.model.Rule;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.Ip;
import io.stockade.core.net.IpVersion;
import io.stockade.core.net.MacAddress;
import io.stockade.core.policy.Policy;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The JSON form of a {@link World} (usually a host's slice) as the controller sends it to agents.
 * Written by hand against the tree model so that the wire form is explicit and stable whatever
 * the records' internals.
 */
public final class WorldJson {
    private final ObjectMapper mapper;

    public WorldJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public ObjectNode write(World w) {
        ObjectNode o = mapper.createObjectNode();
        o.put("revision", w.revision());
        ObjectNode policy = o.putObject("policy");
        w.policy().knobs().forEach(policy::put);
        writeAll(o.putArray("projects"), w.projects().values(), this::project);
        writeAll(o.putArray("groups"), w.groups().values(), this::group);
        writeAll(o.putArray("ipSets"), w.ipSets().values(), this::ipSet);
        writeAll(o.putArray("networks"), w.networks().values(), this::network);
        writeAll(o.putArray("hosts"), w.hosts().values(), this::host);
        writeAll(o.putArray("vnics"), w.vnics().values(), this::vnic);
        return o;
    }

    public World read(JsonNode o) {
        Map<String, String> knobs = new LinkedHashMap<>();
        o.path("policy").fields().forEachRemaining(e -> knobs.put(e.getKey(), e.getValue().asText()));
        String profile = knobs.remove("profile");
        World.Builder b = World.builder().revision(o.path("revision").asLong()).policy(Policy.of(profile, knobs));
        o.path("projects").forEach(n -> b.project(readProject(n)));
        o.path("groups").forEach(n -> b.group(readGroup(n)));
        o.path("ipSets").forEach(n -> b.ipSet(readIpSet(n)));
        o.path("networks").forEach(n -> b.network(readNetwork(n)));
        o.path("hosts").forEach(n -> b.host(readHost(n)));
        o.path("vnics").forEach(n -> b.vnic(readVnic(n)));
        return b.build();
    }

    /** A slice diff: {@code {"revision", "policy", "upserts": {kind: [..]}, "deleted": [ids]}}. */
    public ObjectNode writeDiff(io.stockade.core.model.SliceDiff d) {
        ObjectNode o = mapper.createObjectNode();
        o.put("revision", d.revision());
        ObjectNode policy = o.putObject("policy");
        d.policy().knobs().forEach(policy::put);
        ObjectNode up = o.putObject("upserts");
        writeAll(up.putArray("projects"), d.projects(), this::project);
        writeAll(up.putArray("groups"), d.groups(), this::group);
        writeAll(up.putArray("ipSets"), d.ipSets(), this::ipSet);
        writeAll(up.putArray("networks"), d.networks(), this::network);
        writeAll(up.putArray("hosts"), d.hosts(), this::host);
        writeAll(up.putArray("vnics"), d.vnics(), this::vnic);
        ArrayNode deleted = o.putArray("deleted");
        d.deleted().forEach(deleted::add);
        return o;
    }

    public io.stockade.core.model.SliceDiff readDiff(JsonNode o) {
        ObjectNode asWorld = mapper.createObjectNode();
        asWorld.put("revision", o.path("revision").asLong());
        asWorld.set("policy", o.path("policy"));
        o.path("upserts").fields().forEachRemaining(e -> asWorld.set(e.getKey(), e.getValue()));
        World w = read(asWorld);
        return new io.stockade.core.model.SliceDiff(w.revision(), w.policy(), List.copyOf(w.projects().values()), List.copyOf(w.groups().values()),
                List.copyOf(w.ipSets().values()), List.copyOf(w.networks().values()), List.copyOf(w.hosts().values()),
                List.copyOf(w.vnics().values()), new java.util.LinkedHashSet<>(strings(o.path("deleted"))));
    }

    public ObjectNode instance(io.stockade.core.model.Instance i) {
        return mapper.createObjectNode().put("id", i.id()).put("project", i.projectId()).put("name", i.name());
    }

    public io.stockade.core.model.Instance readInstance(JsonNode n) {
        return new io.stockade.core.model.Instance(n.path("id").asText(), n.path("project").asText(), n.path("name").asText());
    }

    public Project readProject(JsonNode n) {
        return new Project(n.path("id").asText(), n.path("name").asText(), n.path("smtpAllowed").asBoolean());
    }

    public Host readHost(JsonNode n) {
        return new Host(n.path("id").asText(), n.path("name").asText(), n.path("bridge").asText(), strings(n.path("uplinks")));
    }

    private static <T> void writeAll(ArrayNode array, Iterable<T> items, Function<T, ObjectNode> f) {
        items.forEach(i -> array.add(f.apply(i)));
    }

    public ObjectNode project(Project p) {
        return mapper.createObjectNode().put("id", p.id()).put("name", p.name()).put("smtpAllowed", p.smtpAllowed());
    }

    public ObjectNode group(SecurityGroup g) {
        ObjectNode o = mapper.createObjectNode().put("id", g.id()).put("project", g.projectId()).put("name", g.name())
                .put("description", g.description()).put("stateful", g.stateful()).put("global", g.global()).put("logDrops", g.logDrops());
        ArrayNode rules = o.putArray("rules");
        g.rules().forEach(r -> rules.add(rule(r)));
        return o;
    }

    /**
     * {@link #group} as text, written rule by rule: the same document without the whole tree (a
     * 30,000-rule group as one tree is ~400,000 objects alive at once, which the collector copies).
     */
    public String groupText(SecurityGroup g) {
        java.io.StringWriter out = new java.io.StringWriter(64 + g.rules().size() * 160);
        try (com.fasterxml.jackson.core.JsonGenerator gen = mapper.getFactory().createGenerator(out)) {
            gen.writeStartObject();
            for (var field : group(g.withRules(List.of())).properties()) {
                if (!field.getKey().equals("rules")) {
                    gen.writeFieldName(field.getKey());
                    gen.writeTree(field.getValue());
                }
            }
            gen.writeArrayFieldStart("rules");
            for (Rule r : g.rules()) {
                gen.writeTree(rule(r));
            }
            gen.writeEndArray();
            gen.writeEndObject();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("writing JSON into memory failed", e);
        }
        return out.toString();
    }

    /** One rule as JSON (also used by the controller's APIs for the same fields). */
    public ObjectNode rule(Rule r) {
        ObjectNode o = mapper.createObjectNode().put("id", r.id()).put("direction", r.direction().wire()).put("ethertype", r.ethertype().ethertype());
        switch (r.match()) {
            case Match.AnyProtocol a -> o.putNull("protocol");
            case Match.Ports p -> o.put("protocol", p.protocol()).put("portRangeMin", p.from()).put("portRangeMax", p.to());
            case Match.Icmp i -> o.put("protocol", i.protocolNumber(r.ethertype())).put("icmpType", i.type()).put("icmpCode", i.code());
            case Match.Protocol p -> o.put("protocol", p.number());
        }
        switch (r.remote()) {
            case Remote.CidrRemote c -> o.put("remoteIpPrefix", c.cidr().toString());
            case Remote.GroupRemote g -> o.put("remoteGroup", g.groupId());
            case Remote.IpSetRemote s -> o.put("remoteIpSet", s.ipSetId());
        }
        o.put("description", r.description());
        if (r.asGiven() != null) {
            o.putObject("asGiven").put("protocol", r.asGiven().protocol()).put("remoteIpPrefix", r.asGiven().remoteIpPrefix());
        }
        return o;
    }

    public Rule readRule(JsonNode n) {
        IpVersion v = IpVersion.ofEthertype(n.path("ethertype").asText(), "ethertype");
        Match m;
        if (n.path("protocol").isNull() || n.path("protocol").isMissingNode()) {
            m = new Match.AnyProtocol();
        } else {
            int proto = n.path("protocol").asInt();
            if (proto == Match.ICMP || proto == Match.ICMPV6) {
                m = new Match.Icmp(n.path("icmpType").asInt(-1), n.path("icmpCode").asInt(-1));
            } else if (n.has("portRangeMin")) {
                m = new Match.Ports(proto, n.path("portRangeMin").asInt(), n.path("portRangeMax").asInt());
            } else {
                m = new Match.Protocol(proto);
            }
        }
        Remote remote;
        if (n.has("remoteGroup")) {
            remote = new Remote.GroupRemote(n.path("remoteGroup").asText());
        } else if (n.has("remoteIpSet")) {
            remote = new Remote.IpSetRemote(n.path("remoteIpSet").asText());
        } else {
            remote = new Remote.CidrRemote(Cidr.parse(n.path("remoteIpPrefix").asText(), "remoteIpPrefix"));
        }
        JsonNode given = n.path("asGiven");
        return new Rule(text(n, "id"), Direction.parse(n.path("direction").asText(), "direction"), v, m, remote, n.path("description").asText(""),
                given.isObject() ? new Rule.AsGiven(text(given, "protocol"), text(given, "remoteIpPrefix")) : null);
    }

    public SecurityGroup readGroup(JsonNode n) {
        List<Rule> rules = new ArrayList<>();
        n.path("rules").forEach(r -> rules.add(readRule(r)));
        return new SecurityGroup(n.path("id").asText(), n.path("project").asText(), n.path("name").asText(), n.path("description").asText(""),
                n.path("stateful").asBoolean(true), n.path("global").asBoolean(), rules, n.path("logDrops").asBoolean(false));
    }

    public ObjectNode ipSet(IpSet s) {
        ObjectNode o = mapper.createObjectNode().put("id", s.id()).put("project", s.projectId()).put("name", s.name())
                .put("description", s.description()).put("version", s.version().number()).put("global", s.global());
        ArrayNode entries = o.putArray("entries");
        s.entries().forEach(e -> entries.addObject().put("cidr", e.cidr().toString()).put("description", e.description()));
        return o;
    }

    public IpSet readIpSet(JsonNode n) {
        List<IpSet.Entry> entries = new ArrayList<>();
        n.path("entries").forEach(e -> entries.add(new IpSet.Entry(Cidr.parse(e.path("cidr").asText(), "cidr"), e.path("description").asText(""))));
        return new IpSet(n.path("id").asText(), n.path("project").asText(), n.path("name").asText(), n.path("description").asText(""),
                IpVersion.ofNumber(n.path("version").asInt(), "version"), n.path("global").asBoolean(), entries);
    }

    public ObjectNode network(Network net) {
        ObjectNode o = mapper.createObjectNode().put("id", net.id()).put("name", net.name()).put("mode", net.mode().wire());
        net.subnets().forEach(c -> o.withArray("subnets").add(c.toString()));
        o.putArray("gateways").addAll(addresses(net.gateways()));
        o.putArray("dhcpServers").addAll(addresses(net.dhcpServers()));
        o.putArray("dnsServers").addAll(addresses(net.dnsServers()));
        net.routerMacs().forEach(m -> o.withArray("routerMacs").add(m.toString()));
        return o;
    }

    public Network readNetwork(JsonNode n) {
        return new Network(n.path("id").asText(), n.path("name").asText(),
                strings(n.path("subnets")).stream().map(s -> Cidr.parse(s, "subnets")).toList(),
                ips(n.path("gateways")), ips(n.path("dhcpServers")), ips(n.path("dnsServers")),
                strings(n.path("routerMacs")).stream().map(s -> MacAddress.parse(s, "routerMacs")).toList(),
                FirewallMode.parse(n.path("mode").asText("security-groups"), "mode"));
    }

    public ObjectNode host(Host h) {
        ObjectNode o = mapper.createObjectNode().put("id", h.id()).put("name", h.name()).put("bridge", h.bridge());
        h.uplinks().forEach(u -> o.withArray("uplinks").add(u));
        return o;
    }

    public ObjectNode vnic(Vnic v) {
        ObjectNode o = mapper.createObjectNode().put("id", v.id()).put("project", v.projectId()).put("name", v.name())
                .put("instance", v.instanceId()).put("host", v.hostId()).put("device", v.device()).put("mac", v.mac().toString())
                .put("network", v.networkId()).put("portSecurity", v.portSecurity()).put("logDrops", v.logDrops()).put("description", v.description());
        o.putArray("addresses").addAll(addresses(v.addresses()));
        ArrayNode groups = o.putArray("securityGroups");
        v.securityGroupIds().forEach(groups::add);
        return o;
    }

    public Vnic readVnic(JsonNode n) {
        return new Vnic(n.path("id").asText(), n.path("project").asText(), n.path("name").asText(""), text(n, "instance"), text(n, "host"),
                text(n, "device"), MacAddress.parse(n.path("mac").asText(), "mac"), ips(n.path("addresses")), text(n, "network"),
                strings(n.path("securityGroups")), n.path("portSecurity").asBoolean(true), n.path("logDrops").asBoolean(false),
                n.path("description").asText(""));
    }

    private ArrayNode addresses(List<InetAddress> list) {
        ArrayNode a = mapper.createArrayNode();
        list.forEach(x -> a.add(Ip.format(x)));
        return a;
    }

    private static List<InetAddress> ips(JsonNode n) {
        return strings(n).stream().map(s -> Ip.parse(s, "address")).toList();
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isNull() || v.isMissingNode() ? null : v.asText();
    }
}
