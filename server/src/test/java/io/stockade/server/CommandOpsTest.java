package io.stockade.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stockade.core.model.Direction;
import io.stockade.core.model.Remote;
import io.stockade.core.model.Rule;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.net.IpVersion;
import io.stockade.core.net.MacAddress;
import io.stockade.core.policy.Policy;
import io.stockade.server.command.AdminCommand;
import io.stockade.server.command.AdminCommand.CreateProject;
import io.stockade.server.command.GroupCommand.AddRules;
import io.stockade.server.command.GroupCommand.CreateGroup;
import io.stockade.server.command.GroupCommand.InitialRules;
import io.stockade.server.command.GroupCommand.NewRule;
import io.stockade.server.command.Refusal;
import io.stockade.server.command.RuleSpec;
import io.stockade.server.command.TagCommand;
import io.stockade.server.command.VnicCommand.CreateVnic;
import io.stockade.server.command.VnicCommand.SetVnicGroups;
import io.stockade.store.HostStatus;
import io.stockade.store.Store;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations as functions of a world, a caller and a typed command: each gives the change it
 * would make (naming exactly what it puts and removes) without making it, or refuses in the
 * domain's words; no request body and no HTTP status on the way.
 */
class CommandOpsTest {
    private static final Caller ADMIN = new Caller("t-admin", Caller.Role.ADMIN, null, null);
    private static final Caller OTHER = new Caller("t-other", Caller.Role.MEMBER, "p-two", null);

    @TempDir
    Path dir;

    @Test
    void aRuleOrAMembershipIsAChangeOfThatOneObjectAndNothingIsWrittenUntilTheControllerCommitsIt() {
        try (Store store = Store.sqlite(dir)) {
            Controller ctl = new Controller(store, Policy.wakame(), new ObjectMapper());
            GroupOps groups = new GroupOps(ctl);
            VnicOps vnics = new VnicOps(ctl);
            world(ctl, groups, vnics);
            World before = ctl.world();

            RuleSpec fromWeb = new RuleSpec.Fields(Direction.INGRESS, null, 6, 5432, 5432, new RuleSpec.Remote.Group("web"), "", null);
            Controller.Mutation<List<Rule>> rule = groups.add(before, ADMIN, new AddRules(List.of(new NewRule("db", fromWeb, null))));
            assertThat(rule.change().groups()).extracting(SecurityGroup::id).containsExactly("sg-db");
            assertThat(rule.change().vnics()).isEmpty();
            assertThat(rule.change().removed()).isEmpty();
            assertThat(rule.result().get(0).remote()).isEqualTo(new Remote.GroupRemote("sg-web"));
            assertThat(rule.result().get(0).ethertype()).isEqualTo(IpVersion.V4);

            Controller.Mutation<Vnic> member = vnics.set(before, ADMIN, new SetVnicGroups("vif-one", List.of("db", "sg-web")));
            assertThat(member.change().vnics()).extracting(Vnic::id).containsExactly("vif-one");
            assertThat(member.change().vnics().get(0).securityGroupIds()).containsExactly("sg-db", "sg-web");
            assertThat(member.change().groups()).isEmpty();

            assertThat(ctl.world()).isSameAs(before);
            assertThat(ctl.world().groups().get("sg-db").rules()).isEmpty();
        }
    }

    @Test
    void aCommandTheCallerMayNotCarryOutIsRefusedByKind() {
        try (Store store = Store.sqlite(dir)) {
            Controller ctl = new Controller(store, Policy.wakame(), new ObjectMapper());
            GroupOps groups = new GroupOps(ctl);
            VnicOps vnics = new VnicOps(ctl);
            world(ctl, groups, vnics);
            World w = ctl.world();
            RuleSpec ssh = new RuleSpec.Line("tcp:22,22,ip4:0.0.0.0", null);

            assertThatThrownBy(() -> groups.add(w, OTHER, new AddRules(List.of(new NewRule("sg-db", ssh, null)))))
                    .isInstanceOf(Refusal.NotFound.class).hasMessage("no security group 'sg-db'");
            assertThatThrownBy(() -> groups.add(w, ADMIN, new AddRules(List.of(new NewRule("sg-db", ssh, "p-two")))))
                    .isInstanceOf(Refusal.Invalid.class).hasMessage("a rule belongs to its security group's project, p-one")
                    .extracting(e -> ((Refusal) e).field()).isEqualTo("project");
            assertThatThrownBy(() -> vnics.set(w, ADMIN, new SetVnicGroups("vif-one", List.of("sg-web", "sg-nope"))))
                    .isInstanceOf(Refusal.NotFound.class).extracting(e -> ((Refusal) e).field()).isEqualTo("securityGroups[1]");
        }
    }

    @Test
    void eachKindOfRefusalIsOneStatusAndCodeAtTheHttpLayer() {
        assertThat(ApiException.of(new Refusal.Malformed("name", "is required"))).extracting(ApiException::status, ApiException::code, ApiException::field)
                .containsExactly(400, "bad_request", "name");
        assertThat(ApiException.of(new Refusal.Invalid("mac", "bad"))).extracting(ApiException::status, ApiException::code).containsExactly(422, "invalid");
        ApiException text = ApiException.of(new Refusal.InvalidRuleText("rules", "line 2", 2, 5));
        assertThat(text).extracting(ApiException::status, ApiException::code, ApiException::line, ApiException::column)
                .containsExactly(422, "invalid_rule_text", 2, 5);
        assertThat(ApiException.of(Refusal.NotFound.of("vnic", "vif-x"))).extracting(ApiException::status, ApiException::code, ApiException::getMessage)
                .containsExactly(404, "not_found", "no vnic 'vif-x'");
        assertThat(ApiException.of(new Refusal.Conflict(null, "in use")).status()).isEqualTo(409);
        assertThat(ApiException.of(new Refusal.DuplicateRule("duplicate rule")).code()).isEqualTo("duplicate_rule");
        assertThat(ApiException.of(new Refusal.Ambiguous("two")).code()).isEqualTo("ambiguous");
        assertThat(ApiException.of(new Refusal.OverQuota("vnics", "quota")).code()).isEqualTo("over_quota");
        assertThat(ApiException.of(new Refusal.Forbidden("host", "placement"))).extracting(ApiException::status, ApiException::field)
                .containsExactly(403, "host");
        assertThat(ApiException.of(new Refusal.Unauthenticated("gone")).status()).isEqualTo(401);
        assertThat(ApiException.of(new Refusal.Busy("again"))).extracting(ApiException::status, ApiException::code).containsExactly(503, "busy");
    }

    @Test
    void aRefusalPlacedInALargerRequestKeepsItsKindAndPosition() {
        Refusal text = new Refusal.InvalidRuleText("rulesText", "line 2: unknown protocol", 2, 5);
        Refusal inImport = text.within("groups[3]", "group sg-web");
        assertThat(inImport).isInstanceOf(Refusal.InvalidRuleText.class).hasMessage("group sg-web: line 2: unknown protocol");
        assertThat(inImport.field()).isEqualTo("groups[3].rulesText");
        assertThat(((Refusal.InvalidRuleText) inImport).line()).isEqualTo(2);
        assertThat(((Refusal.InvalidRuleText) inImport).column()).isEqualTo(5);
        assertThat(text.field()).as("the original is unchanged").isEqualTo("rulesText");
        assertThat(text).hasMessage("line 2: unknown protocol");
        Refusal busy = new Refusal.Busy("try again").within("vnics[0]", "vnic vif-1");
        assertThat(busy).isInstanceOf(Refusal.Busy.class).hasMessage("vnic vif-1: try again");
        assertThat(busy.field()).isEqualTo("vnics[0]");
        Refusal item = Refusal.NotFound.of("security group", "sg-x").about("securityGroups[1]");
        assertThat(item).isInstanceOf(Refusal.NotFound.class).hasMessage("no security group 'sg-x'");
        assertThat(ApiException.of(item)).extracting(ApiException::status, ApiException::field).containsExactly(404, "securityGroups[1]");
    }

    @Test
    void theWritesBesideTheWorldAreCommandsCheckedOnce() {
        try (Store store = Store.sqlite(dir)) {
            Controller ctl = new Controller(store, Policy.wakame(), new ObjectMapper());
            world(ctl, new GroupOps(ctl), new VnicOps(ctl));
            Caller one = new Caller("t-one", Caller.Role.MEMBER, "p-one", null);
            TagOps tags = new TagOps(ctl);
            assertThat(tags.apply(one, new TagCommand.SetTags(TagCommand.Tagged.GROUP, "web", List.of("b", "a", "b")))).containsExactly("a", "b");
            assertThat(tags.apply(one, new TagCommand.AddTag(TagCommand.Tagged.VNIC, "vif-one", "x"))).containsExactly("x");
            assertThatThrownBy(() -> tags.apply(one, new TagCommand.RemoveTag(TagCommand.Tagged.GROUP, "sg-web", "z")))
                    .isInstanceOf(Refusal.NotFound.class).extracting(e -> ((Refusal) e).field()).isEqualTo("tag");
            assertThatThrownBy(() -> tags.apply(OTHER, new TagCommand.AddTag(TagCommand.Tagged.GROUP, "sg-web", "x")))
                    .as("another project's group is not found, never forbidden").isInstanceOf(Refusal.NotFound.class);
            assertThat(ctl.tags("sg-web")).containsExactly("a", "b");

            AccessOps access = new AccessOps(ctl, new Auth(store, id -> ctl.world().projects().containsKey(id)));
            assertThatThrownBy(() -> access.create(one, new AdminCommand.CreateToken(Caller.Role.ADMIN, null, null, null)))
                    .isInstanceOf(Refusal.Forbidden.class);
            assertThat(access.create(ADMIN, new AdminCommand.CreateToken(Caller.Role.MEMBER, "one", null, "ci")).projectId()).isEqualTo("p-one");
            assertThatThrownBy(() -> access.revoke(ADMIN, new AdminCommand.RevokeToken("tok-none"))).isInstanceOf(Refusal.NotFound.class);
            assertThat(access.set(ADMIN, new AdminCommand.SetQuotas("one", java.util.Map.of(Quotas.Resource.VNICS, java.util.OptionalLong.of(3)))))
                    .isEqualTo("p-one");
            assertThat(store.quotas("p-one")).containsEntry("vnics", 3L);
            assertThatThrownBy(() -> access.set(one, new AdminCommand.SetQuotas("one", java.util.Map.of()))).isInstanceOf(Refusal.Forbidden.class);
            new AdminOps(ctl).create(ADMIN, new AdminCommand.CreateHost("hv1", null, List.of()));
            Caller hv2 = new Caller("t-hv2", Caller.Role.HOST, null, "hv2");
            assertThatThrownBy(() -> access.report(hv2, new AdminCommand.ReportStatus("hv1", 7, null))).isInstanceOf(Refusal.Forbidden.class);
            access.report(new Caller("t-hv1", Caller.Role.HOST, null, "hv1"), new AdminCommand.ReportStatus("hv1", 7, "nft: oops"));
            assertThat(ctl.hostStatuses().all().values()).singleElement().extracting(HostStatus::appliedRevision, HostStatus::lastError)
                    .containsExactly(7L, "nft: oops");
        }
    }

    /** A project with groups web and db (no rules) and one vnic in web. */
    private static void world(Controller ctl, GroupOps groups, VnicOps vnics) {
        new AdminOps(ctl).create(ADMIN, new CreateProject("p-one", "one", false));
        for (String name : List.of("web", "db")) {
            groups.create(ADMIN, new CreateGroup("sg-" + name, name, "", "p-one", true, false, false, new InitialRules.Given(List.of())));
        }
        vnics.create(ADMIN, new CreateVnic("vif-one", null, "p-one", null, null, null, MacAddress.parse("52:54:00:00:00:01", "mac"), List.of(), null,
                List.of("sg-web"), true, false, "", false));
    }
}
