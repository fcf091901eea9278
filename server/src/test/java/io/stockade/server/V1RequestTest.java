package io.stockade.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stockade.core.model.Direction;
import io.stockade.core.model.FirewallMode;
import io.stockade.core.model.Rule;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.IpVersion;
import io.stockade.core.net.MacAddress;
import io.stockade.server.command.AdminCommand;
import io.stockade.server.command.Command;
import io.stockade.server.command.GroupCommand;
import io.stockade.server.command.GroupCommand.InitialRules;
import io.stockade.server.command.IpSetCommand;
import io.stockade.server.command.Patch;
import io.stockade.server.command.RuleSpec;
import io.stockade.server.command.VnicCommand;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Arrays;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The writer and the readers of {@code /v1} as a pair: any command the writer carries, read back
 * by the route its request names, is the same command; and each request goes to a route the
 * server has (a row of the authorization table).
 */
class V1RequestTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A route as the server declares it, and how it reads its request (the path's parameters, the body) into a command. */
    private record Route(String method, String template, BiFunction<List<String>, String, Command> read) {
        Pattern pattern() {
            return Pattern.compile(template.replaceAll("\\{[^}]+}", "([^/]+)"));
        }
    }

    private static Body body(String text, Set<String> fields) {
        return Body.parse(MAPPER, text, fields);
    }

    /** The readers the routes of {@link Routes} call, by route. */
    private static final List<Route> ROUTES = List.of(
            new Route("POST", "/v1/security-groups", (p, b) -> GroupRequests.create(body(b, GroupRequests.GROUP_FIELDS), GroupRequests.RULE_FIELDS)),
            new Route("PATCH", "/v1/security-groups/{id}", (p, b) -> GroupRequests.update(p.get(0), body(b, GroupRequests.GROUP_FIELDS))),
            new Route("DELETE", "/v1/security-groups/{id}", (p, b) -> new GroupCommand.DeleteGroup(p.get(0))),
            new Route("POST", "/v1/security-groups/{id}/rules", (p, b) -> GroupRequests.addRule(p.get(0), body(b, GroupRequests.RULE_FIELDS))),
            new Route("PUT", "/v1/security-groups/{id}/rules", (p, b) -> new GroupCommand.ReplaceRules(p.get(0), b)),
            new Route("DELETE", "/v1/security-groups/{id}/rules/{rule}", (p, b) -> new GroupCommand.DeleteRule(p.get(0), p.get(1))),
            new Route("POST", "/v1/instances", (p, b) -> VnicRequests.instance(body(b, VnicRequests.INSTANCE_FIELDS))),
            new Route("DELETE", "/v1/instances/{id}", (p, b) -> new VnicCommand.DeleteInstance(p.get(0))),
            new Route("PUT", "/v1/instances/{id}/security-groups",
                    (p, b) -> new VnicCommand.SetInstanceGroups(p.get(0), VnicRequests.groups(body(b, VnicRequests.GROUPS_FIELDS)))),
            new Route("POST", "/v1/vnics", (p, b) -> VnicRequests.create(body(b, VnicRequests.VNIC_FIELDS))),
            new Route("PATCH", "/v1/vnics/{id}", (p, b) -> VnicRequests.update(p.get(0), body(b, VnicRequests.VNIC_FIELDS))),
            new Route("DELETE", "/v1/vnics/{id}", (p, b) -> new VnicCommand.DeleteVnic(p.get(0))),
            new Route("PUT", "/v1/vnics/{id}/security-groups",
                    (p, b) -> new VnicCommand.SetVnicGroups(p.get(0), VnicRequests.groups(body(b, VnicRequests.GROUPS_FIELDS)))),
            new Route("POST", "/v1/ip-sets", (p, b) -> IpSetRequests.create(body(b, IpSetRequests.FIELDS))),
            new Route("PATCH", "/v1/ip-sets/{id}", (p, b) -> IpSetRequests.update(p.get(0), body(b, IpSetRequests.FIELDS))),
            new Route("DELETE", "/v1/ip-sets/{id}", (p, b) -> new IpSetCommand.DeleteIpSet(p.get(0))),
            new Route("POST", "/v1/ip-sets/{id}/entries",
                    (p, b) -> new IpSetCommand.AddEntries(p.get(0), IpSetRequests.entries(body(b, IpSetRequests.ENTRIES_FIELDS)))),
            new Route("DELETE", "/v1/ip-sets/{id}/entries",
                    (p, b) -> new IpSetCommand.RemoveEntries(p.get(0), IpSetRequests.cidrs(body(b, IpSetRequests.ENTRIES_FIELDS)))),
            new Route("POST", "/v1/projects", (p, b) -> AdminRequests.project(body(b, AdminRequests.PROJECT_FIELDS))),
            new Route("PATCH", "/v1/projects/{id}", (p, b) -> AdminRequests.update(p.get(0), body(b, AdminRequests.PROJECT_FIELDS))),
            new Route("DELETE", "/v1/projects/{id}", (p, b) -> new AdminCommand.DeleteProject(p.get(0))),
            new Route("POST", "/v1/networks", (p, b) -> AdminRequests.network(body(b, AdminRequests.NETWORK_FIELDS))),
            new Route("DELETE", "/v1/networks/{id}", (p, b) -> new AdminCommand.DeleteNetwork(p.get(0))),
            new Route("POST", "/v1/hosts", (p, b) -> AdminRequests.host(body(b, AdminRequests.HOST_FIELDS))),
            new Route("PUT", "/v1/hosts/{id}/agent", (p, b) -> AdminRequests.register(p.get(0), body(b, AdminRequests.AGENT_FIELDS))),
            new Route("DELETE", "/v1/hosts/{id}", (p, b) -> new AdminCommand.DeleteHost(p.get(0))),
            new Route("PUT", "/v1/hosts/{id}/status", (p, b) -> AdminRequests.status(p.get(0), body(b, AdminRequests.STATUS_FIELDS))),
            new Route("POST", "/v1/tokens", (p, b) -> AdminRequests.token(body(b, AdminRequests.TOKEN_FIELDS))),
            new Route("DELETE", "/v1/tokens/{id}", (p, b) -> new AdminCommand.RevokeToken(p.get(0))),
            new Route("PUT", "/v1/projects/{id}/quota", (p, b) -> AdminRequests.quotas(p.get(0), body(b, AdminRequests.QUOTA_FIELDS))));

    /** The command the server reads from a request, by the route its method and path match. */
    static Command read(V1Request r) {
        for (Route route : ROUTES) {
            Matcher m = route.pattern().matcher(r.path());
            if (route.method().equals(r.method()) && m.matches()) {
                assertThat(Authz.TABLE).as("a route of the server").containsKey(route.method() + " " + route.template());
                List<String> params = new ArrayList<>();
                for (int i = 1; i <= m.groupCount(); i++) {
                    params.add(URLDecoder.decode(m.group(i), StandardCharsets.UTF_8));
                }
                return route.read().apply(params, r.body());
            }
        }
        throw new AssertionError("no route reads " + r.method() + " " + r.path());
    }

    @Property(tries = 1000)
    void whatTheWriterWritesIsReadBackAsTheSameCommand(@ForAll("commands") Command command) {
        V1Request r = V1Request.of(command);
        assertThat(r.contentType()).isEqualTo(r.body() == null ? null : command instanceof GroupCommand.ReplaceRules ? "text/plain" : "application/json");
        assertThat(read(r)).isEqualTo(command);
    }

    @Example
    void aTokenIsOnePathSegmentEvenWithSpacesAndSlashes() {
        assertThat(V1Request.of(new VnicCommand.DeleteVnic("web 1/eth0+")).path()).isEqualTo("/v1/vnics/web%201%2Feth0%2B");
    }

    @Example
    void aFieldLeftAtItsDefaultIsLeftOut() {
        V1Request r = V1Request.of(new GroupCommand.CreateGroup(null, "web", null, null, true, false, false, new InitialRules.ProfileDefault()));
        assertThat(r).isEqualTo(new V1Request("POST", "/v1/security-groups", "application/json", "{\"name\":\"web\"}"));
    }

    @Example
    void whatV1CannotCarryIsRefusedNotChanged() {
        assertThatThrownBy(() -> V1Request.of(new GroupCommand.UpdateGroup("web", Patch.to(null), Patch.keep(), Patch.keep(), Patch.keep())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name: /v1 cannot clear it");
        assertThatThrownBy(() -> V1Request.of(new IpSetCommand.AddEveryEntry("office", List.of("192.0.2.1"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AddEveryEntry");
        assertThatThrownBy(() -> V1Request.of(new GroupCommand.AddRules(List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one rule");
        assertThatThrownBy(() -> V1Request.of(new GroupCommand.AddRules(List.of(new GroupCommand.NewRule("web",
                new RuleSpec.Line("tcp:22,22,ip4:0.0.0.0", null), "p-other"))))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> V1Request.of(new GroupCommand.AddRules(List.of(new GroupCommand.NewRule("web",
                new RuleSpec.Fields(Direction.INGRESS, null, 6, 22, 22, null, null, new Rule.AsGiven("tcp", null)), null)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Neutron spelling");
    }

    @Provide
    Arbitrary<Command> commands() {
        return Arbitraries.oneOf(List.of(groupCommands(), vnicCommands(), ipSetCommands(), adminCommands()));
    }

    private Arbitrary<Command> groupCommands() {
        Arbitrary<InitialRules> initial = Arbitraries.oneOf(List.of(Arbitraries.just(new InitialRules.ProfileDefault()),
                rules().list().ofMaxSize(3).map(InitialRules.Given::new), ruleText().map(InitialRules.Text::new)));
        Arbitrary<GroupCommand.CreateGroup> create = Combinators.combine(Combinators.combine(optional(token()), text(), optional(text()),
                optional(token())).as((a, b, c, d) -> Arrays.asList(a, b, c, d)), bools(), initial).as((s, f, rules) -> new GroupCommand.CreateGroup(s.get(0),
                s.get(1), s.get(2), s.get(3), f.get(0), f.get(1), f.get(2), rules));
        Arbitrary<GroupCommand.UpdateGroup> update = Combinators.combine(token(), patch(text()), patch(text()), patch(bool()), patch(bool()))
                .as(GroupCommand.UpdateGroup::new);
        return Arbitraries.oneOf(List.of(create.map(c -> c), update.map(c -> c), token().map(GroupCommand.DeleteGroup::new),
                Combinators.combine(token(), rules()).as((g, r) -> new GroupCommand.AddRules(List.of(new GroupCommand.NewRule(g, r, null)))),
                Combinators.combine(token(), token()).as(GroupCommand.DeleteRule::new),
                Combinators.combine(token(), ruleText()).as(GroupCommand.ReplaceRules::new)));
    }

    private Arbitrary<RuleSpec> rules() {
        Arbitrary<RuleSpec.Remote> remote = Arbitraries.oneOf(List.of(cidrs().map(RuleSpec.Remote.Range::new),
                token().map(RuleSpec.Remote.Group::new), token().map(RuleSpec.Remote.IpSet::new)));
        Arbitrary<Integer> port = Arbitraries.integers().between(0, 65535).injectNull(0.3);
        Arbitrary<RuleSpec.Fields> fields = Combinators.combine(Arbitraries.of(Direction.class), Arbitraries.of(IpVersion.class).injectNull(0.3),
                Arbitraries.of(-1, 1, 6, 17, 47, 58, 132), port, port, remote.injectNull(0.2), optional(text()))
                .as((d, v, proto, from, to, r, description) -> new RuleSpec.Fields(d, v, proto, from, to, r, description, null));
        Arbitrary<RuleSpec.Line> line = Combinators.combine(text(), optional(text())).as(RuleSpec.Line::new);
        return Arbitraries.oneOf(List.of(fields.map(f -> f), line.map(l -> l)));
    }

    private Arbitrary<Command> vnicCommands() {
        Arbitrary<VnicCommand.CreateVnic> create = Combinators.combine(
                Combinators.combine(optional(token()), optional(text()), optional(token()), optional(token()), optional(token()),
                        optional(text()), optional(token()), optional(text())).as((a, b, c, d, e, f, g, h) -> Arrays.asList(a, b, c, d, e, f, g, h)),
                macs(), addresses(), tokens(), bools())
                .as((s, mac, addresses, groups, f) -> new VnicCommand.CreateVnic(s.get(0), s.get(1), s.get(2), s.get(3), s.get(4), s.get(5), mac,
                        addresses, s.get(6), groups, f.get(0), f.get(1), s.get(7), f.get(2)));
        Arbitrary<VnicCommand.UpdateVnic> update = Combinators.combine(
                Combinators.combine(token(), patch(text()), clearable(token()), clearable(token()), clearable(text()), patch(macs()),
                        patch(addresses()), patch(token())).as((a, b, c, d, e, f, g, h) -> Arrays.<Object>asList(a, b, c, d, e, f, g, h)),
                patch(tokens()), patch(bool()), patch(bool()), patch(text()), bool())
                .as((a, groups, portSecurity, logDrops, description, outside) -> vnicUpdate(a, groups, portSecurity, logDrops, description, outside));
        return Arbitraries.oneOf(List.of(Combinators.combine(text(), optional(token())).as(VnicCommand.CreateInstance::new).map(c -> c),
                token().map(VnicCommand.DeleteInstance::new), Combinators.combine(token(), tokens()).as(VnicCommand.SetInstanceGroups::new),
                create.map(c -> c), update.map(c -> c), token().map(VnicCommand.DeleteVnic::new),
                Combinators.combine(token(), tokens()).as(VnicCommand.SetVnicGroups::new)));
    }

    @SuppressWarnings("unchecked")
    private static VnicCommand.UpdateVnic vnicUpdate(List<Object> a, Patch<List<String>> groups, Patch<Boolean> portSecurity,
            Patch<Boolean> logDrops, Patch<String> description, boolean outside) {
        return new VnicCommand.UpdateVnic((String) a.get(0), (Patch<String>) a.get(1), (Patch<String>) a.get(2), (Patch<String>) a.get(3),
                (Patch<String>) a.get(4), (Patch<MacAddress>) a.get(5), (Patch<List<InetAddress>>) a.get(6), (Patch<String>) a.get(7), groups,
                portSecurity, logDrops, description, outside);
    }

    private Arbitrary<Command> ipSetCommands() {
        Arbitrary<IpSetCommand.Entry> entry = Combinators.combine(text(), Arbitraries.oneOf(List.of(Arbitraries.just(""), text())))
                .as(IpSetCommand.Entry::new);
        Arbitrary<IpSetCommand.CreateIpSet> create = Combinators.combine(optional(token()), text(), optional(text()), optional(token()),
                Arbitraries.of(IpVersion.class), bool(), entry.list().ofMaxSize(3)).as(IpSetCommand.CreateIpSet::new);
        return Arbitraries.oneOf(List.of(create.map(c -> c),
                Combinators.combine(token(), patch(text()), patch(text()), patch(Arbitraries.of(IpVersion.class))).as(IpSetCommand.UpdateIpSet::new),
                token().map(IpSetCommand.DeleteIpSet::new),
                Combinators.combine(token(), entry.list().ofMaxSize(3)).as(IpSetCommand.AddEntries::new),
                Combinators.combine(token(), cidrs().list().ofMaxSize(3)).as(IpSetCommand.RemoveEntries::new)));
    }

    private Arbitrary<Command> adminCommands() {
        Arbitrary<List<InetAddress>> ips = addresses();
        Arbitrary<AdminCommand.CreateNetwork> network = Combinators.combine(optional(token()), text(), cidrs().list().ofMaxSize(2), ips, ips, ips,
                macs().list().ofMaxSize(2), Arbitraries.of(FirewallMode.class)).as(AdminCommand.CreateNetwork::new);
        return Arbitraries.oneOf(List.of(
                Combinators.combine(optional(token()), text(), bool()).as(AdminCommand.CreateProject::new).map(c -> c),
                Combinators.combine(token(), patch(text()), patch(bool())).as(AdminCommand.UpdateProject::new),
                token().map(AdminCommand.DeleteProject::new), network.map(c -> c), token().map(AdminCommand.DeleteNetwork::new),
                Combinators.combine(text(), optional(token()), tokens()).as(AdminCommand.CreateHost::new),
                Combinators.combine(token(), patch(token()), patch(tokens())).as(AdminCommand.RegisterHost::new),
                token().map(AdminCommand.DeleteHost::new),
                Combinators.combine(token(), Arbitraries.integers(), optional(text())).as(AdminCommand.ReportStatus::new),
                tokenCommands(), token().map(AdminCommand.RevokeToken::new),
                Combinators.combine(token(), Arbitraries.maps(Arbitraries.of(Quotas.Resource.class),
                        Arbitraries.longs().between(0, Long.MAX_VALUE).injectNull(0.3).map(l -> l == null ? OptionalLong.empty() : OptionalLong.of(l))))
                        .as(AdminCommand.SetQuotas::new)));
    }

    /** Tokens of each role: a member's names a project, a host's a host. */
    private Arbitrary<Command> tokenCommands() {
        return Combinators.combine(Arbitraries.of(Caller.Role.class), token(), token(), optional(text()))
                .as((role, project, host, description) -> new AdminCommand.CreateToken(role, role == Caller.Role.MEMBER ? project : null,
                        role == Caller.Role.HOST ? host : null, description));
    }

    /** Names and ids as callers give them: letters, digits and the punctuation (spaces, slashes, plus) a path must carry. */
    private static Arbitrary<String> token() {
        return Arbitraries.strings().alpha().numeric().withChars(" -_.:/+%é").ofMinLength(1).ofMaxLength(12);
    }

    private static Arbitrary<List<String>> tokens() {
        return token().list().ofMaxSize(3);
    }

    /** Free text: names, descriptions, entries as typed (quotes, backslashes, any letter; control characters are refused by the server's limits). */
    private static Arbitrary<String> text() {
        return Arbitraries.strings().withCharRange(' ', '~').withChars("\"\\é中").ofMaxLength(24);
    }

    /** Rule text: lines of free text. */
    private static Arbitrary<String> ruleText() {
        return text().list().ofMaxSize(3).map(lines -> String.join("\n", lines));
    }

    private static <T> Arbitrary<T> optional(Arbitrary<T> a) {
        return a.injectNull(0.3);
    }

    private static Arbitrary<Boolean> bool() {
        return Arbitraries.of(true, false);
    }

    private static Arbitrary<List<Boolean>> bools() {
        return bool().list().ofSize(3);
    }

    /** A patch /v1 can carry: kept, or set to a value. */
    private static <T> Arbitrary<Patch<T>> patch(Arbitrary<T> value) {
        return Arbitraries.oneOf(List.of(Arbitraries.just(Patch.keep()), value.map(Patch::to)));
    }

    /** A patch of a field /v1 clears with a null: kept, set, or cleared. */
    private static <T> Arbitrary<Patch<T>> clearable(Arbitrary<T> value) {
        return Arbitraries.oneOf(List.of(patch(value), Arbitraries.just(Patch.to(null))));
    }

    /** Unicast MACs (the readers refuse multicast ones, as no vnic or router has one). */
    private static Arbitrary<MacAddress> macs() {
        return Arbitraries.longs().between(0, 0xffff_ffff_ffffL).map(v -> new MacAddress(v & ~(1L << 40)));
    }

    private static Arbitrary<InetAddress> ips() {
        return Arbitraries.oneOf(List.of(Arbitraries.bytes().array(byte[].class).ofSize(4), Arbitraries.bytes().array(byte[].class).ofSize(16)))
                .map(V1RequestTest::address);
    }

    private static Arbitrary<List<InetAddress>> addresses() {
        return ips().list().ofMaxSize(3);
    }

    private static Arbitrary<Cidr> cidrs() {
        return Combinators.combine(ips(), Arbitraries.integers().between(0, 128)).as((ip, prefix) -> {
            byte[] b = ip.getAddress();
            int p = Math.min(prefix, b.length * 8);
            for (int bit = p; bit < b.length * 8; bit++) {
                b[bit / 8] &= (byte) ~(0x80 >> (bit % 8));
            }
            return new Cidr(address(b), p);
        });
    }

    private static InetAddress address(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Example
    void everyCommandKindIsGenerated() {
        Set<Class<?>> seen = new java.util.HashSet<>();
        commands().sampleStream().limit(5000).forEach(c -> seen.add(c.getClass()));
        assertThat(seen).hasSize(ROUTES.size());
    }
}
