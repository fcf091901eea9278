package io.stockade.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stockade.core.model.FirewallMode;
import io.stockade.core.model.Match;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.Ip;
import io.stockade.server.command.AdminCommand;
import io.stockade.server.command.Command;
import io.stockade.server.command.GroupCommand;
import io.stockade.server.command.ImportCommand;
import io.stockade.server.command.IpSetCommand;
import io.stockade.server.command.Patch;
import io.stockade.server.command.RuleSpec;
import io.stockade.server.command.TagCommand;
import io.stockade.server.command.VnicCommand;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A command as the {@code /v1} request that carries it: the writer beside the readers
 * ({@link GroupRequests}, {@link VnicRequests}, {@link IpSetRequests}, {@link AdminRequests}),
 * so a client (the CLI) sends exactly what the routes read back into the same command. {@code
 * path} is absolute ({@code /v1/vnics/vif-1}), its tokens percent-encoded; {@code body} is JSON,
 * or rule text when {@code contentType} is {@code text/plain}, or null when there is none.
 *
 * <p>A field left at its default (a false flag, a null) is left out, as clients write it; lists
 * are always written. Commands {@code /v1} cannot carry (Neutron's bulk and all-or-nothing forms
 * and its tags, a rule for another project or spelled as Neutron gave it, an import, which travels
 * as its document) and patches that would clear a field {@code /v1} clears only by leaving it out
 * are refused with an {@link IllegalArgumentException}: written, they would mean something else.
 */
public record V1Request(String method, String path, String contentType, String body) {
    private static final String JSON = "application/json";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The request carrying {@code command}. */
    public static V1Request of(Command command) {
        return switch (command) {
            case GroupCommand g -> group(g);
            case VnicCommand v -> vnic(v);
            case IpSetCommand s -> ipSet(s);
            case AdminCommand a -> admin(a);
            case ImportCommand i -> refuse(i, "an import travels as its document (stockade import FILE)");
            case TagCommand t -> refuse(t, "tags are Neutron's (/v2.0/.../tags)");
        };
    }

    private static V1Request group(GroupCommand command) {
        return switch (command) {
            case GroupCommand.CreateGroup c -> json("POST", "/v1/security-groups", createGroup(c));
            case GroupCommand.UpdateGroup u -> json("PATCH", groupPath(u.group()), new Fields()
                    .patch("name", u.name(), false, s -> s)
                    .patch("description", u.description(), false, s -> s)
                    .patch("stateful", u.stateful(), false, b -> b)
                    .patch("logDrops", u.logDrops(), false, b -> b));
            case GroupCommand.DeleteGroup d -> bare("DELETE", groupPath(d.group()));
            case GroupCommand.AddRules a -> {
                if (a.rules().size() != 1 || a.rules().get(0).project() != null) {
                    yield refuse(a, "/v1 adds one rule of the group's own project at a time");
                }
                GroupCommand.NewRule r = a.rules().get(0);
                yield json("POST", groupPath(r.group()) + "/rules", rule(r.rule()));
            }
            case GroupCommand.DeleteRule d -> bare("DELETE", groupPath(d.group()) + "/rules/" + segment(d.ruleId()));
            case GroupCommand.ReplaceRules r -> new V1Request("PUT", groupPath(r.group()) + "/rules", "text/plain", r.text());
            case GroupCommand.CreateGroups c -> refuse(c, "/v1 creates one group at a time");
        };
    }

    private static Fields createGroup(GroupCommand.CreateGroup c) {
        Fields f = new Fields().put("id", c.id()).put("name", c.name()).put("description", c.description()).put("project", c.project())
                .flag("stateful", c.stateful(), true).flag("global", c.global(), false).flag("logDrops", c.logDrops(), false);
        return switch (c.rules()) {
            case GroupCommand.InitialRules.ProfileDefault p -> f;
            case GroupCommand.InitialRules.Given g -> f.list("rules", g.rules(), V1Request::rule);
            case GroupCommand.InitialRules.Text t -> f.put("rulesText", t.text());
        };
    }

    /** One rule as {@link GroupRequests#rule} reads it. */
    private static Fields rule(RuleSpec spec) {
        return switch (spec) {
            case RuleSpec.Line l -> new Fields().put("text", l.text()).put("description", l.description());
            case RuleSpec.Fields r -> {
                if (r.asGiven() != null) {
                    throw new IllegalArgumentException("/v1 does not keep a rule's Neutron spelling (" + r.asGiven() + ")");
                }
                boolean icmp = r.protocol() == Match.ICMP || r.protocol() == Match.ICMPV6;
                Fields f = new Fields().put("direction", r.direction().wire())
                        .put("ethertype", r.ethertype() == null ? null : r.ethertype().ethertype())
                        .put("protocol", r.protocol() < 0 ? null : Match.protocolName(r.protocol()))
                        .put(icmp ? "icmpType" : "portRangeMin", r.from()).put(icmp ? "icmpCode" : "portRangeMax", r.to());
                switch (r.remote()) {
                    case null -> { }
                    case RuleSpec.Remote.Range range -> f.put("remoteIpPrefix", range.cidr().toString());
                    case RuleSpec.Remote.Group group -> f.put("remoteGroup", group.token());
                    case RuleSpec.Remote.IpSet set -> f.put("remoteIpSet", set.token());
                }
                yield f.put("description", r.description());
            }
        };
    }

    private static V1Request vnic(VnicCommand command) {
        return switch (command) {
            case VnicCommand.CreateInstance c -> json("POST", "/v1/instances", new Fields().put("name", c.name()).put("project", c.project()));
            case VnicCommand.DeleteInstance d -> bare("DELETE", "/v1/instances/" + segment(d.instance()));
            case VnicCommand.SetInstanceGroups s -> json("PUT", "/v1/instances/" + segment(s.instance()) + "/security-groups",
                    new Fields().strings("securityGroups", s.groups()));
            case VnicCommand.CreateVnic c -> json("POST", "/v1/vnics", new Fields().put("id", c.id()).put("name", c.name())
                    .put("project", c.project()).put("instance", c.instance()).put("host", c.host()).put("device", c.device())
                    .put("mac", c.mac().toString()).list("addresses", c.addresses(), Ip::format).put("network", c.network())
                    .strings("securityGroups", c.groups()).flag("portSecurity", c.portSecurity(), true).flag("logDrops", c.logDrops(), false)
                    .put("description", c.description()).flag(Placement.OUTSIDE_SUBNETS, c.outsideSubnets(), false));
            case VnicCommand.UpdateVnic u -> json("PATCH", vnicPath(u.vnic()), new Fields()
                    .patch("name", u.name(), false, s -> s)
                    .patch("instance", u.instance(), true, s -> s)
                    .patch("host", u.host(), true, s -> s)
                    .patch("device", u.device(), true, s -> s)
                    .patch("mac", u.mac(), false, Object::toString)
                    .patch("addresses", u.addresses(), false, a -> addresses(a))
                    .patch("network", u.network(), false, s -> s)
                    .patch("securityGroups", u.groups(), false, g -> strings(g))
                    .patch("portSecurity", u.portSecurity(), false, b -> b)
                    .patch("logDrops", u.logDrops(), false, b -> b)
                    .patch("description", u.description(), false, s -> s)
                    .flag(Placement.OUTSIDE_SUBNETS, u.outsideSubnets(), false));
            case VnicCommand.DeleteVnic d -> bare("DELETE", vnicPath(d.vnic()));
            case VnicCommand.SetVnicGroups s -> json("PUT", vnicPath(s.vnic()) + "/security-groups", new Fields().strings("securityGroups", s.groups()));
        };
    }

    private static V1Request ipSet(IpSetCommand command) {
        return switch (command) {
            case IpSetCommand.CreateIpSet c -> json("POST", "/v1/ip-sets", new Fields().put("id", c.id()).put("name", c.name())
                    .put("description", c.description()).put("project", c.project()).put("version", c.version().number())
                    .flag("global", c.global(), false).list("entries", c.entries(), V1Request::entry));
            case IpSetCommand.UpdateIpSet u -> json("PATCH", ipSetPath(u.ipSet()), new Fields()
                    .patch("name", u.name(), false, s -> s)
                    .patch("description", u.description(), false, s -> s)
                    .patch("version", u.version(), false, v -> v.number()));
            case IpSetCommand.DeleteIpSet d -> bare("DELETE", ipSetPath(d.ipSet()));
            case IpSetCommand.AddEntries a -> json("POST", ipSetPath(a.ipSet()) + "/entries", new Fields().list("entries", a.entries(), V1Request::entry));
            case IpSetCommand.RemoveEntries r -> json("DELETE", ipSetPath(r.ipSet()) + "/entries",
                    new Fields().list("entries", r.entries(), Cidr::toString));
            case IpSetCommand.AddEveryEntry a -> refuse(a, "/v1 adds entries skipping duplicates (AddEntries)");
            case IpSetCommand.RemoveEveryEntry r -> refuse(r, "/v1 removes the entries there are (RemoveEntries)");
        };
    }

    /** An entry as {@link IpSetRequests#entries} reads it: its text, or {@code {"cidr", "description"}} when it has a description. */
    private static Object entry(IpSetCommand.Entry e) {
        return e.description().isEmpty() ? e.text() : new Fields().put("cidr", e.text()).put("description", e.description());
    }

    private static V1Request admin(AdminCommand command) {
        return switch (command) {
            case AdminCommand.CreateProject c -> json("POST", "/v1/projects", new Fields().put("id", c.id()).put("name", c.name())
                    .flag("smtpAllowed", c.smtpAllowed(), false));
            case AdminCommand.UpdateProject u -> json("PATCH", projectPath(u.project()), new Fields()
                    .patch("name", u.name(), false, s -> s)
                    .patch("smtpAllowed", u.smtpAllowed(), false, b -> b));
            case AdminCommand.DeleteProject d -> bare("DELETE", projectPath(d.project()));
            case AdminCommand.CreateNetwork c -> json("POST", "/v1/networks", new Fields().put("id", c.id()).put("name", c.name())
                    .list("subnets", c.subnets(), Cidr::toString).list("gateways", c.gateways(), Ip::format)
                    .list("dhcpServers", c.dhcpServers(), Ip::format).list("dnsServers", c.dnsServers(), Ip::format)
                    .list("routerMacs", c.routerMacs(), Object::toString)
                    .put("mode", c.mode() == FirewallMode.SECURITY_GROUPS ? null : c.mode().wire()));
            case AdminCommand.DeleteNetwork d -> bare("DELETE", "/v1/networks/" + segment(d.network()));
            case AdminCommand.CreateHost c -> json("POST", "/v1/hosts", new Fields().put("name", c.name()).put("bridge", c.bridge())
                    .strings("uplinks", c.uplinks()));
            case AdminCommand.RegisterHost r -> json("PUT", hostPath(r.host()) + "/agent", new Fields()
                    .patch("bridge", r.bridge(), false, s -> s)
                    .patch("uplinks", r.uplinks(), false, u -> strings(u)));
            case AdminCommand.DeleteHost d -> bare("DELETE", hostPath(d.host()));
            case AdminCommand.ReportStatus r -> json("PUT", hostPath(r.host()) + "/status", new Fields()
                    .put("appliedRevision", r.appliedRevision() == 0 ? null : r.appliedRevision()).put("error", r.error()));
            case AdminCommand.CreateToken t -> json("POST", "/v1/tokens", new Fields().put("role", t.role().name().toLowerCase(Locale.ROOT))
                    .put("project", t.project()).put("host", t.host()).put("description", t.description()));
            case AdminCommand.RevokeToken r -> bare("DELETE", "/v1/tokens/" + segment(r.token()));
            case AdminCommand.SetQuotas q -> {
                Fields f = new Fields();
                q.limits().forEach((r, limit) -> {
                    if (limit.isPresent()) {
                        f.put(r.field, limit.getAsLong());
                    } else {
                        f.node.putNull(r.field);
                    }
                });
                yield json("PUT", projectPath(q.project()) + "/quota", f);
            }
            case AdminCommand.EnsureDefaultGroup e -> refuse(e, "a project's default group is made by the Neutron facade");
        };
    }

    private static String groupPath(String group) {
        return "/v1/security-groups/" + segment(group);
    }

    private static String vnicPath(String vnic) {
        return "/v1/vnics/" + segment(vnic);
    }

    private static String ipSetPath(String ipSet) {
        return "/v1/ip-sets/" + segment(ipSet);
    }

    private static String projectPath(String project) {
        return "/v1/projects/" + segment(project);
    }

    private static String hostPath(String host) {
        return "/v1/hosts/" + segment(host);
    }

    /** A token as one path segment: every character but the unreserved ones percent-encoded (a space as %20, never +). */
    private static String segment(String token) {
        return URLEncoder.encode(token, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static ArrayNode addresses(List<InetAddress> addresses) {
        return strings(addresses.stream().map(Ip::format).toList());
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode a = NODES.arrayNode();
        values.forEach(a::add);
        return a;
    }

    private static JsonNode value(Object value) {
        return switch (value) {
            case String s -> NODES.textNode(s);
            case Integer i -> NODES.numberNode(i);
            case Long l -> NODES.numberNode(l);
            case Boolean b -> NODES.booleanNode(b);
            case Fields f -> f.node;
            case JsonNode n -> n;
            default -> throw new IllegalArgumentException("cannot write a " + value.getClass().getSimpleName() + " as JSON");
        };
    }

    private static V1Request json(String method, String path, Fields body) {
        return new V1Request(method, path, JSON, body.node.toString());
    }

    private static V1Request bare(String method, String path) {
        return new V1Request(method, path, null, null);
    }

    private static V1Request refuse(Command c, String why) {
        throw new IllegalArgumentException("no /v1 request carries " + c.getClass().getSimpleName() + ": " + why);
    }

    /** A JSON object written field by field; a null value is left out, a list always written (empty: given as empty). */
    private static final class Fields {
        final ObjectNode node = NODES.objectNode();

        Fields put(String field, Object value) {
            if (value != null) {
                node.set(field, value(value));
            }
            return this;
        }

        /** A flag, left out at its default. */
        Fields flag(String field, boolean value, boolean byDefault) {
            return value == byDefault ? this : put(field, value);
        }

        Fields strings(String field, List<String> values) {
            return put(field, V1Request.strings(values));
        }

        <T> Fields list(String field, List<T> values, Function<T, Object> write) {
            ArrayNode a = NODES.arrayNode();
            values.forEach(v -> a.add(value(write.apply(v))));
            return put(field, a);
        }

        /**
         * A field of an update: left out when kept; set to {@code write(value)}; or, when
         * {@code clearable}, set to null to clear it (elsewhere /v1 reads a null as "kept").
         */
        <T> Fields patch(String field, Patch<T> patch, boolean clearable, Function<T, Object> write) {
            if (!(patch instanceof Patch.To<T> to)) {
                return this;
            }
            if (to.value() != null) {
                return put(field, write.apply(to.value()));
            }
            if (!clearable) {
                throw new IllegalArgumentException(field + ": /v1 cannot clear it (a null there keeps it)");
            }
            node.putNull(field);
            return this;
        }
    }
}
