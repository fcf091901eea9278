package io.stockade.server;

import io.stockade.core.model.Direction;
import io.stockade.core.model.Ids;
import io.stockade.core.model.IpSet;
import io.stockade.core.model.Match;
import io.stockade.core.model.Remote;
import io.stockade.core.model.Rule;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.ValidationException;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.model.WorldChange;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.IpVersion;
import io.stockade.core.policy.Policy;
import io.stockade.core.ruletext.RuleText;
import io.stockade.core.ruletext.RuleTextException;
import io.stockade.core.ruletext.RuleTextResolver;
import io.stockade.server.command.GroupCommand.AddRules;
import io.stockade.server.command.GroupCommand.CreateGroup;
import io.stockade.server.command.GroupCommand.CreateGroups;
import io.stockade.server.command.GroupCommand.DeleteGroup;
import io.stockade.server.command.GroupCommand.DeleteRule;
import io.stockade.server.command.GroupCommand.InitialRules;
import io.stockade.server.command.GroupCommand.NewRule;
import io.stockade.server.command.GroupCommand.ReplaceRules;
import io.stockade.server.command.GroupCommand.UpdateGroup;
import io.stockade.server.command.Refusal;
import io.stockade.server.command.RuleSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Security groups and their rules: create, change, delete, with the checks the seeds agree on. */
public final class GroupOps {
    static final String DEFAULT = "default";

    private final Controller ctl;
    private final Quotas quotas;

    public GroupOps(Controller ctl) {
        this.ctl = ctl;
        this.quotas = new Quotas(ctl);
    }

    /** The project a new object goes to: the member's own, or the one an admin names. */
    static String projectFor(World w, Caller c, String requested) {
        if (requested == null) {
            if (c.projectId() == null) {
                throw new Refusal.Malformed("project", "is required (an admin has no project of its own)");
            }
            if (!w.projects().containsKey(c.projectId())) {
                throw new Refusal.Unauthenticated("the token's project no longer exists");
            }
            return c.projectId();
        }
        return Resolve.project(w, c, requested).id();
    }

    public SecurityGroup create(Caller c, CreateGroup command) {
        return ctl.mutate(c, w -> create(w, c, command));
    }

    /**
     * Creates groups in one revision, all or none (Neutron's bulk create): each is judged against
     * the world with the ones before it made, and the first that fails is the error.
     */
    public List<SecurityGroup> create(Caller c, CreateGroups command) {
        return ctl.mutate(c, w -> create(w, c, command));
    }

    Controller.Mutation<List<SecurityGroup>> create(World w, Caller c, CreateGroups command) {
        return all(w, command.groups(), (world, g) -> create(world, c, g));
    }

    /** Steps in turn, each against the world the ones before it made, as one mutation (one step: that step's own). */
    private static <I, T> Controller.Mutation<List<T>> all(World w, List<I> items, java.util.function.BiFunction<World, I, Controller.Mutation<T>> step) {
        if (items.size() == 1) {
            Controller.Mutation<T> m = step.apply(w, items.get(0));
            return new Controller.Mutation<>(m.change(), List.of(m.result()), m.detail(), m.reads());
        }
        World current = w;
        List<WorldChange> changes = new ArrayList<>();
        List<T> made = new ArrayList<>();
        List<String> details = new ArrayList<>();
        for (I item : items) {
            Controller.Mutation<T> m = step.apply(current, item);
            WorldChange effective = m.change().against(current);
            current = current.apply(effective);
            changes.add(effective);
            made.add(m.result());
            details.add(m.detail());
        }
        return new Controller.Mutation<>(WorldChange.inTurn(changes), made, String.join("; ", details));
    }

    Controller.Mutation<SecurityGroup> create(World w, Caller c, CreateGroup command) {
        SecurityGroup bare = bare(w, c, command, given -> newId(Ids.GROUP, given, w.groups(), "security group"), false);
        quotas.requireRoomFor(w, bare.projectId(), Quotas.Resource.GROUPS);
        SecurityGroup g = withRules(bare, rules(w, c, bare, command.rules()));
        quotas.require(g);
        return new Controller.Mutation<>(WorldChange.builder().group(g).build(), g, "create security group " + g.name());
    }

    /**
     * A new group without its rules, checked against world {@code w}: its project is the
     * caller's to use, only an admin makes a global group, and the profile's default group name
     * is taken unless {@code mayBeDefault}. {@code id} turns the requested id (or null) into the group's.
     */
    SecurityGroup bare(World w, Caller c, CreateGroup command, java.util.function.UnaryOperator<String> id, boolean mayBeDefault) {
        if (!mayBeDefault) {
            requireNotDefaultName(command.name());
        }
        String project = projectFor(w, c, command.project());
        if (command.global()) {
            c.requireAdmin();
        }
        return new SecurityGroup(id.apply(command.id()), project, command.name(), command.description(), command.stateful(), command.global(),
                List.of(), command.logDrops());
    }

    /** The rules a new group starts with, each with a new id, their remotes checked against world {@code w}. */
    List<Rule> rules(World w, Caller c, SecurityGroup bare, InitialRules given) {
        return switch (given) {
            case InitialRules.Text text -> {
                List<Rule> rules = new ArrayList<>();
                for (Rule r : parseText(w, c, bare, text.text(), "rulesText")) {
                    Rule withId = r.withId(Ids.newId(Ids.RULE));
                    checkRemote(w, c, bare, withId, "rulesText");
                    rules.add(withId);
                }
                yield rules;
            }
            case InitialRules.Given list -> {
                List<Rule> rules = new ArrayList<>();
                for (RuleSpec r : list.rules()) {
                    rules.add(rule(w, c, bare, r));
                }
                yield rules;
            }
            case InitialRules.ProfileDefault none -> ctl.policy().newGroupEgressRules() ? allowAllEgress() : List.of();
        };
    }

    /** The id a new object asked for (of the right form and unused), or a fresh one. */
    static String newId(String prefix, String given, java.util.Map<String, ?> existing, String what) {
        if (given == null) {
            return Ids.newId(prefix);
        }
        Ids.require(prefix, given, "id");
        if (existing.containsKey(given)) {
            throw new Refusal.Conflict("id", "a " + what + " with id " + given + " exists");
        }
        return given;
    }

    /** Neutron's start for a new group: everything out, IPv4 and IPv6. */
    static List<Rule> allowAllEgress() {
        return List.of(
                new Rule(Ids.newId(Ids.RULE), Direction.EGRESS, IpVersion.V4, new Match.AnyProtocol(), new Remote.CidrRemote(Cidr.ANY4), ""),
                new Rule(Ids.newId(Ids.RULE), Direction.EGRESS, IpVersion.V6, new Match.AnyProtocol(), new Remote.CidrRemote(Cidr.ANY6), ""));
    }

    public SecurityGroup update(Caller c, UpdateGroup command) {
        return ctl.mutate(c, w -> update(w, c, command));
    }

    Controller.Mutation<SecurityGroup> update(World w, Caller c, UpdateGroup command) {
        SecurityGroup g = editable(w, c, command.group());
        String name = command.name().or(g.name());
        if (!name.equals(g.name())) {
            if (isDefault(g)) {
                throw new Refusal.Conflict("name", "the default security group cannot be renamed");
            }
            requireNotDefaultName(name);
        }
        boolean stateful = command.stateful().or(g.stateful());
        SecurityGroup next = new SecurityGroup(g.id(), g.projectId(), name, command.description().or(g.description()), stateful, g.global(),
                g.rules(), command.logDrops().or(g.logDrops()));
        WorldChange change = WorldChange.builder().group(next).build();
        if (stateful != g.stateful()) {
            World after = w.apply(change);
            for (Vnic v : w.members(g.id())) {
                requireOneStatefulness(after, v);
            }
        }
        return new Controller.Mutation<>(change, next, new AuditDiff()
                .field("name", g.name(), next.name())
                .field("description", g.description(), next.description())
                .field("stateful", g.stateful(), next.stateful())
                .field("logDrops", g.logDrops(), next.logDrops())
                .describe("update security group " + g.name()));
    }

    /**
     * Deletes a group. In use (by vnics, or referenced by other groups' rules): refused with 409
     * naming them, or (profile knob groupDeletion=detach) detached from its vnics and the
     * referencing rules removed, all in one revision; with groupDeletion=cascade_rules (Neutron)
     * refused while vnics use it, the referencing rules removed with it. A group whose only
     * reference is a rule of its own is not in use, in every profile.
     */
    public void delete(Caller c, DeleteGroup command) {
        ctl.mutate(c, w -> delete(w, c, command));
    }

    Controller.Mutation<Void> delete(World w, Caller c, DeleteGroup command) {
        SecurityGroup g = editable(w, c, command.group());
        if (isDefault(g) && !c.admin()) {
            throw new Refusal.Conflict(null, "the default security group " + g.id() + " cannot be removed (only an admin may)");
        }
        List<String> vnics = w.members(g.id()).stream().map(Vnic::id).toList();
        List<String> referencing = w.referencingGroups(g.id()).stream().filter(r -> !r.equals(g.id())).toList();
        WorldChange.Builder next = WorldChange.builder().remove(g.id());
        Policy.GroupDeletion how = ctl.policy().groupDeletion();
        if (!vnics.isEmpty() || !referencing.isEmpty()) {
            if (how == Policy.GroupDeletion.REFUSE || (how == Policy.GroupDeletion.CASCADE_RULES && !vnics.isEmpty())) {
                throw new Refusal.Conflict(null, "security group " + g.id() + " is in use"
                        + (vnics.isEmpty() ? "" : "; vnics: " + String.join(", ", vnics))
                        + (referencing.isEmpty() ? "" : "; referenced by groups: " + String.join(", ", referencing)));
            }
            for (Vnic v : w.members(g.id())) {
                next.vnic(v.withGroups(v.securityGroupIds().stream().filter(x -> !x.equals(g.id())).toList()));
            }
            for (String r : referencing) {
                SecurityGroup rg = w.groups().get(r);
                next.group(rg.withRules(rg.rules().stream()
                        .filter(rule -> !(rule.remote() instanceof Remote.GroupRemote ref && ref.groupId().equals(g.id()))).toList()));
            }
        }
        return new Controller.Mutation<>(next.build(), null, "delete security group " + g.name());
    }

    /** Adds rules (to one group or several) in one revision, all or none, each judged with the ones before it added. */
    public List<Rule> add(Caller c, AddRules command) {
        return ctl.mutate(c, w -> add(w, c, command));
    }

    Controller.Mutation<List<Rule>> add(World w, Caller c, AddRules command) {
        return all(w, command.rules(), (world, r) -> add(world, c, r));
    }

    private Controller.Mutation<Rule> add(World w, Caller c, NewRule given) {
        SecurityGroup g = editable(w, c, given.group());
        if (given.project() != null && !given.project().equals(g.projectId())) {
            throw new Refusal.Invalid("project", "a rule belongs to its security group's project, " + g.projectId());
        }
        Rule r = rule(w, c, g, given.rule());
        Rule same = g.rules().stream().filter(x -> x.key().equals(r.key())).findFirst().orElse(null);
        if (same != null) {
            throw new Refusal.DuplicateRule("duplicate rule: the same as rule " + same.id() + " (" + RuleText.print(same) + ")");
        }
        List<Rule> rules = new ArrayList<>(g.rules());
        rules.add(r);
        SecurityGroup next = withRules(g, rules);
        quotas.require(next);
        return new Controller.Mutation<>(WorldChange.builder().group(next).build(), r, "add rule " + RuleText.print(r) + " to " + g.name());
    }

    public void delete(Caller c, DeleteRule command) {
        ctl.mutate(c, w -> delete(w, c, command));
    }

    Controller.Mutation<Void> delete(World w, Caller c, DeleteRule command) {
        SecurityGroup g = editable(w, c, command.group());
        Rule r = g.rules().stream().filter(x -> command.ruleId().equals(x.id())).findFirst()
                .orElseThrow(() -> Refusal.NotFound.of("rule", command.ruleId()));
        SecurityGroup next = g.withRules(g.rules().stream().filter(x -> x != r).toList());
        return new Controller.Mutation<>(WorldChange.builder().group(next).build(), null, "remove rule " + RuleText.print(r) + " from " + g.name());
    }

    /**
     * Replaces all rules of a group with rule text, atomically; errors carry line and column.
     * Cost bound (issue 21): everything that grows with the text (parsing, the duplicate check by
     * key, ids carried over by one map lookup a rule, the checks of each distinct group or ip-set
     * remote, the group's body for the store) is done by {@link Controller#mutateAhead} against the
     * committed world before the write lock is taken; under the lock only the group, its project
     * and the remotes it names are checked to be the objects the text was checked against, so a
     * 30,000-line text does not hold other tenants' writes while it is prepared. Group names in
     * the text and the path are resolved in that committed world.
     */
    public SecurityGroup replace(Caller c, ReplaceRules command) {
        return ctl.mutateAhead(c, w -> replace(w, c, command));
    }

    Controller.Mutation<SecurityGroup> replace(World w, Caller c, ReplaceRules command) {
        SecurityGroup g = editable(w, c, command.group());
        List<Rule> parsed = parseText(w, c, g, command.text(), "rules");
        java.util.Map<Rule.Key, String> ids = new java.util.HashMap<>();
        g.rules().forEach(r -> ids.put(r.key(), r.id()));
        java.util.Set<String> reads = new java.util.HashSet<>(List.of(g.projectId()));
        java.util.Set<List<Object>> checked = new java.util.HashSet<>();
        List<Rule> rules = new ArrayList<>(parsed.size());
        for (Rule r : parsed) {
            String id = ids.get(r.key());
            Rule withId = r.withId(id != null ? id : Ids.newId(Ids.RULE));
            if (!(r.remote() instanceof Remote.CidrRemote) && checked.add(List.of(r.remote(), r.ethertype()))) {
                checkRemote(w, c, g, withId, "rules");
                reads.add(switch (r.remote()) {
                    case Remote.GroupRemote ref -> ref.groupId();
                    case Remote.IpSetRemote set -> set.ipSetId();
                    case Remote.CidrRemote cidr -> throw new IllegalStateException("a cidr remote is not checked");
                });
            }
            rules.add(withId);
        }
        SecurityGroup next = withRules(g, rules);
        quotas.require(next);
        java.util.Set<Rule.Key> before = new java.util.HashSet<>(ids.keySet());
        long added = rules.stream().filter(r -> !before.remove(r.key())).count();
        return new Controller.Mutation<>(WorldChange.builder().group(next).build(), next,
                "replace rules of " + g.name() + ": " + added + " added, " + before.size() + " removed, " + (rules.size() - added) + " kept",
                reads);
    }

    /** Rule text for a group; errors become one 422 with the first error's line and column, naming every error. */
    private static List<Rule> parseText(World w, Caller c, SecurityGroup g, String text, String field) {
        try {
            return RuleText.parse(text == null ? "" : text, resolver(w, c, g.projectId()));
        } catch (RuleTextException e) {
            var first = e.errors().get(0);
            throw new Refusal.InvalidRuleText(field, String.join("; ", e.errors().stream().map(Object::toString).toList()), first.line(),
                    first.column());
        }
    }

    /** A name a rule text may use for a group or an ip set: no white space, comma or '#', which the text's syntax takes. */
    private static final java.util.regex.Pattern TOKEN_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]+");

    /**
     * Reads the group and ip-set tokens of a rule text of a group in {@code projectId} as the caller
     * may use them, and prints them back as {@code sg-NAME} / {@code ips-NAME} wherever that token
     * reads back as the same object (else as the id, so an ambiguous name never changes a rule).
     */
    static RuleTextResolver resolver(World w, Caller c, String projectId) {
        return new RuleTextResolver() {
            private final java.util.Map<String, String> tokens = new java.util.HashMap<>();

            @Override
            public Optional<String> groupId(String token) {
                try {
                    return Optional.of(Resolve.referencable(w, c, projectId, token).id());
                } catch (Refusal e) {
                    return Optional.empty();
                }
            }

            @Override
            public Optional<IpSetRef> ipSet(String token) {
                try {
                    IpSet s = Resolve.usableIpSet(w, c, projectId, token);
                    return Optional.of(new IpSetRef(s.id(), s.version()));
                } catch (Refusal e) {
                    return Optional.empty();
                }
            }

            @Override
            public String groupToken(String id) {
                SecurityGroup g = w.groups().get(id);
                return g == null ? id : tokens.computeIfAbsent(id, x -> named(x, "sg-" + g.name(), g.name(), groupId("sg-" + g.name())));
            }

            @Override
            public String ipSetToken(String id) {
                IpSet s = w.ipSets().get(id);
                return s == null ? id : tokens.computeIfAbsent(id, x -> named(x, "ips-" + s.name(), s.name(), ipSet("ips-" + s.name()).map(IpSetRef::id)));
            }

            private static String named(String id, String token, String name, Optional<String> readBack) {
                return TOKEN_NAME.matcher(name).matches() && readBack.equals(Optional.of(id)) ? token : id;
            }
        };
    }

    /** Under profiles with a default group per project (openstack, cloudstack), that name is taken. */
    private void requireNotDefaultName(String name) {
        if (ctl.policy().defaultGroup() && name.strip().equalsIgnoreCase(DEFAULT)) {
            throw new Refusal.Conflict("name", "every project has its own group named 'default'; choose another name");
        }
    }

    private boolean isDefault(SecurityGroup g) {
        return ctl.policy().defaultGroup() && g.name().equals(DEFAULT);
    }

    /** A group the caller may change: visible, and not a global group unless the caller is an admin. */
    static SecurityGroup editable(World w, Caller c, String token) {
        SecurityGroup g = Resolve.group(w, c, token);
        if (g.global() && !c.admin()) {
            throw new Refusal.Forbidden(null, "security group " + g.id() + " is global: only an admin may change it (members may attach it)");
        }
        return g;
    }

    static SecurityGroup withRules(SecurityGroup g, List<Rule> rules) {
        try {
            return g.withRules(rules);
        } catch (ValidationException e) {
            throw new Refusal.Conflict(e.field(), e.getMessage());
        }
    }

    /** One rule as a request gave it (its fields, or a line of rule text), its remote resolved and checked against world {@code w}. */
    static Rule rule(World w, Caller c, SecurityGroup g, RuleSpec spec) {
        Rule r = switch (spec) {
            case RuleSpec.Line line -> {
                try {
                    List<Rule> one = RuleText.parse(line.text(), resolver(w, c, g.projectId()));
                    if (one.size() != 1) {
                        throw new Refusal.Invalid("text", "expected exactly one rule, got " + one.size());
                    }
                    Rule parsed = one.get(0).withId(Ids.newId(Ids.RULE));
                    yield line.description() == null ? parsed
                            : new Rule(parsed.id(), parsed.direction(), parsed.ethertype(), parsed.match(), parsed.remote(), line.description());
                } catch (RuleTextException e) {
                    throw new Refusal.Invalid("text", e.errors().get(0).toString());
                }
            }
            case RuleSpec.Fields fields -> fromFields(w, c, g, fields).withAsGiven(fields.asGiven());
        };
        checkRemote(w, c, g, r, "remote");
        return r;
    }

    private static Rule fromFields(World w, Caller c, SecurityGroup g, RuleSpec.Fields f) {
        Remote remote;
        IpVersion remoteVersion = null;
        switch (f.remote()) {
            case RuleSpec.Remote.Group ref -> remote = new Remote.GroupRemote(Resolve.referencable(w, c, g.projectId(), ref.token()).id());
            case RuleSpec.Remote.IpSet set -> {
                IpSet s = Resolve.usableIpSet(w, c, g.projectId(), set.token());
                remote = new Remote.IpSetRemote(s.id());
                remoteVersion = s.version();
            }
            case RuleSpec.Remote.Range range -> {
                remote = new Remote.CidrRemote(range.cidr());
                remoteVersion = range.cidr().version();
            }
            case null -> remote = null;
        }
        IpVersion v = f.ethertype() != null ? f.ethertype() : remoteVersion != null ? remoteVersion : IpVersion.V4;
        if (remoteVersion != null && remoteVersion != v) {
            throw new Refusal.Invalid("ethertype", "ethertype " + v.ethertype() + " does not match the remote's family " + remoteVersion.ethertype());
        }
        Match m = Match.of(f.protocol(), v, f.from(), f.to());
        if (remote == null) {
            throw new Refusal.Invalid("remoteIpPrefix", "a rule needs a source: give remoteIpPrefix (0.0.0.0/0 or ::/0 for anywhere), "
                    + "remoteGroup or remoteIpSet");
        }
        return new Rule(Ids.newId(Ids.RULE), f.direction(), v, m, remote, f.description());
    }

    /** A rule's group or ip set must exist, be usable from the group's project, and fit the ethertype. */
    static void checkRemote(World w, Caller c, SecurityGroup g, Rule r, String field) {
        if (r.remote() instanceof Remote.GroupRemote ref && !ref.groupId().equals(g.id())) {
            Resolve.referencable(w, c, g.projectId(), ref.groupId());
        } else if (r.remote() instanceof Remote.IpSetRemote s) {
            IpSet set = Resolve.usableIpSet(w, c, g.projectId(), s.ipSetId());
            if (set.version() != r.ethertype()) {
                throw new Refusal.Invalid("ethertype", "ip set " + set.id() + " is " + set.version().ethertype() + " but the rule is " + r.ethertype().ethertype());
            }
        }
    }

    /** Neutron's rule: one vnic's groups are all stateful or all stateless. */
    static void requireOneStatefulness(World w, Vnic v) {
        List<SecurityGroup> groups = w.groupsOf(v);
        if (groups.stream().map(SecurityGroup::stateful).distinct().count() > 1) {
            throw new Refusal.Conflict("securityGroups", "vnic " + v.id() + " would mix stateful and stateless groups ("
                    + String.join(", ", groups.stream().map(x -> x.id() + (x.stateful() ? " stateful" : " stateless")).toList()) + ")");
        }
    }
}
