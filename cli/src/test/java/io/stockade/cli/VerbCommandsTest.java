package io.stockade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stockade.core.model.Direction;
import io.stockade.core.model.FirewallMode;
import io.stockade.core.model.ValidationException;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.Ip;
import io.stockade.core.net.IpVersion;
import io.stockade.core.net.MacAddress;
import io.stockade.server.Caller;
import io.stockade.server.V1Request;
import io.stockade.server.command.AdminCommand.CreateNetwork;
import io.stockade.server.command.AdminCommand.CreateToken;
import io.stockade.server.command.AdminCommand.UpdateProject;
import io.stockade.server.command.GroupCommand.AddRules;
import io.stockade.server.command.GroupCommand.CreateGroup;
import io.stockade.server.command.GroupCommand.InitialRules;
import io.stockade.server.command.GroupCommand.NewRule;
import io.stockade.server.command.GroupCommand.UpdateGroup;
import io.stockade.server.command.IpSetCommand.CreateIpSet;
import io.stockade.server.command.IpSetCommand.Entry;
import io.stockade.server.command.IpSetCommand.RemoveEntries;
import io.stockade.server.command.Patch;
import io.stockade.server.command.RuleSpec;
import io.stockade.server.command.VnicCommand.CreateVnic;
import io.stockade.server.command.VnicCommand.UpdateVnic;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The CLI's verbs parse their arguments into the server's command records (what {@link
 * V1Request} then writes; {@code V1RequestTest} checks the server reads it back). No server is
 * needed: the verb is parsed, not run.
 */
class VerbCommandsTest {
    /** The verb object a command line selects, its options and parameters set. */
    @SuppressWarnings("unchecked")
    private static <T> T verb(String... args) {
        CommandLine.ParseResult r = Main.commandLine().parseArgs(args);
        while (r.hasSubcommand()) {
            r = r.subcommand();
        }
        return (T) r.commandSpec().userObject();
    }

    @Test
    void groupCreateAndSet() {
        GroupCommand.Create create = verb("group", "create", "dbsrv", "--id", "sg-dbsrv", "--project", "demo", "--stateless",
                "--rule", "tcp:3306,3306,sg-dbclnts", "--rule", "tcp:22,22,ip4:0.0.0.0");
        assertThat(create.command()).isEqualTo(new CreateGroup("sg-dbsrv", "dbsrv", null, "demo", false, false, false,
                new InitialRules.Given(List.of(new RuleSpec.Line("tcp:3306,3306,sg-dbclnts", null), new RuleSpec.Line("tcp:22,22,ip4:0.0.0.0", null)))));
        GroupCommand.Create bare = verb("group", "create", "web");
        assertThat(bare.command().rules()).isEqualTo(new InitialRules.ProfileDefault());
        GroupCommand.Set set = verb("group", "set", "web", "--description", "web servers", "--stateful", "false");
        assertThat(set.command()).isEqualTo(new UpdateGroup("web", Patch.keep(), Patch.to("web servers"), Patch.to(false), Patch.keep()));
    }

    @Test
    void ruleAddWithFlagsOrText() {
        RuleCommand.Add flags = verb("rule", "add", "web", "--proto", "tcp", "--port", "8000-8080", "--from-group", "lb", "--description", "lb");
        assertThat(flags.command()).isEqualTo(new AddRules(List.of(new NewRule("web",
                new RuleSpec.Fields(Direction.INGRESS, null, 6, 8000, 8080, new RuleSpec.Remote.Group("lb"), "lb", null), null))));
        RuleCommand.Add icmp = verb("rule", "add", "web", "--proto", "icmp", "--icmp-type", "8", "--from-ipset", "office");
        assertThat(icmp.command().rules().get(0).rule())
                .isEqualTo(new RuleSpec.Fields(Direction.INGRESS, null, 1, 8, null, new RuleSpec.Remote.IpSet("office"), null, null));
        RuleCommand.Add any6 = verb("rule", "add", "web", "--egress", "--ethertype", "IPv6", "--proto", "any", "--from", "any");
        assertThat(any6.command().rules().get(0).rule())
                .isEqualTo(new RuleSpec.Fields(Direction.EGRESS, IpVersion.V6, -1, null, null, new RuleSpec.Remote.Range(Cidr.ANY6), null, null));
        RuleCommand.Add text = verb("rule", "add", "sg-dbsrv", "tcp:3306,3306,sg-dbclnts");
        assertThat(text.command()).isEqualTo(new AddRules(List.of(new NewRule("sg-dbsrv", new RuleSpec.Line("tcp:3306,3306,sg-dbclnts", null), null))));
    }

    @Test
    void aFlagTheModelCannotTakeIsRefusedNamingItsField() {
        RuleCommand.Add hostBits = verb("rule", "add", "db", "--proto", "tcp", "--port", "22", "--from", "10.0.0.1/8");
        assertThatThrownBy(hostBits::command).isInstanceOf(ValidationException.class).hasMessageContaining("did you mean 10.0.0.0/8?")
                .extracting(e -> ((ValidationException) e).field()).isEqualTo("remoteIpPrefix");
        RuleCommand.Add icmpPorts = verb("rule", "add", "db", "--proto", "icmp", "--port", "8", "--from", "any");
        assertThatThrownBy(icmpPorts::command).isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--port: icmp rules");
        RuleCommand.Add twoSources = verb("rule", "add", "db", "--from", "any", "--from-group", "lb");
        assertThatThrownBy(twoSources::command).isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("give only one");
        VnicCommand.Create badAddress = verb("vnic", "create", "--mac", "52:54:00:00:00:03", "--address", "192.0.2.1", "--address", "192.0.2.300");
        assertThatThrownBy(badAddress::command).isInstanceOf(ValidationException.class)
                .extracting(e -> ((ValidationException) e).field()).isEqualTo("addresses[1]");
    }

    @Test
    void vnicCreateAndSet() {
        VnicCommand.Create create = verb("vnic", "create", "--id", "vif-a", "--project", "demo", "--host", "hv01", "--device", "tap0",
                "--mac", "52:54:00:00:00:01", "--address", "192.0.2.10", "--address", "2001:db8::a", "--group", "web", "--group", "db");
        assertThat(create.command()).isEqualTo(new CreateVnic("vif-a", null, "demo", null, "hv01", "tap0", MacAddress.parse("52:54:00:00:00:01", "mac"),
                List.of(Ip.parse("192.0.2.10", "a"), Ip.parse("2001:db8::a", "a")), null, List.of("web", "db"), true, false, null, false));
        VnicCommand.Set unbind = verb("vnic", "set", "vif-a", "--instance", "", "--host", "hv02");
        assertThat(unbind.command()).isEqualTo(new UpdateVnic("vif-a", Patch.keep(), Patch.to(null), Patch.to("hv02"), Patch.keep(), Patch.keep(),
                Patch.keep(), Patch.keep(), Patch.keep(), Patch.keep(), Patch.keep(), Patch.keep(), false));
        assertThat(Output.what(V1Request.of(unbind.command()))).isEqualTo("instance=null, host=hv02");
    }

    @Test
    void ipSetNetworkProjectAndToken() {
        IpSetCommand.Create set = verb("ipset", "create", "office", "--ip-version", "6", "2001:db8::/32");
        assertThat(set.command()).isEqualTo(new CreateIpSet(null, "office", null, null, IpVersion.V6, false, List.of(new Entry("2001:db8::/32", ""))));
        IpSetCommand.Remove remove = verb("ipset", "remove", "office", "203.0.113.7", "198.51.100.0/24");
        assertThat(remove.command()).isEqualTo(new RemoveEntries("office", List.of(Cidr.parse("203.0.113.7/32", "e"), Cidr.parse("198.51.100.0/24", "e"))));
        NetworkCommand.Create network = verb("network", "create", "prod", "--subnet", "192.0.2.0/24", "--gateway", "192.0.2.1", "--mode", "passthrough");
        assertThat(network.command()).isEqualTo(new CreateNetwork(null, "prod", List.of(Cidr.parse("192.0.2.0/24", "s")),
                List.of(Ip.parse("192.0.2.1", "g")), List.of(), List.of(), List.of(), FirewallMode.PASSTHROUGH));
        ProjectCommand.Set project = verb("project", "set", "acme", "--smtp-allowed", "true");
        assertThat(project.command()).isEqualTo(new UpdateProject("acme", Patch.keep(), Patch.to(true)));
        TokenCommand.Create member = verb("token", "create", "--role", "member", "--project", "demo", "--host", "hv01");
        assertThat(member.command("hv01")).isEqualTo(new CreateToken(Caller.Role.MEMBER, "demo", null, null));
        TokenCommand.Create host = verb("token", "create", "--role", "host", "--host", "hv01", "--description", "agent");
        assertThat(host.command("hv01")).isEqualTo(new CreateToken(Caller.Role.HOST, null, "hv01", "agent"));
        TokenCommand.Create unknown = verb("token", "create", "--role", "root");
        assertThatThrownBy(() -> unknown.command(null)).isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--role: must be admin");
    }
}
