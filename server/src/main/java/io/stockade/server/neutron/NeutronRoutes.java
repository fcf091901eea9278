package io.stockade.server.neutron;

import static io.stockade.server.neutron.NeutronHttp.base;
import static io.stockade.server.neutron.NeutronHttp.caller;
import static io.stockade.server.neutron.NeutronHttp.noContent;
import static io.stockade.server.neutron.NeutronHttp.one;
import static io.stockade.server.neutron.NeutronHttp.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.stockade.core.model.Ids;
import io.stockade.core.model.IpSet;
import io.stockade.core.model.Network;
import io.stockade.core.model.Project;
import io.stockade.core.model.Rule;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.ValidationException;
import io.stockade.core.model.World;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.IpVersion;
import io.stockade.server.ApiException;
import io.stockade.server.Auth;
import io.stockade.server.Body;
import io.stockade.server.Caller;
import io.stockade.server.Controller;
import io.stockade.server.GroupOps;
import io.stockade.server.IpSetOps;
import io.stockade.server.command.GroupCommand;
import io.stockade.server.command.IpSetCommand;
import io.stockade.server.command.Patch;
import io.stockade.server.command.RuleSpec;
import io.stockade.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The Neutron v2.0 facade: every endpoint in one table, as the {@code openstack} client uses them
 * (see {@code reference/neutron-cli-wire.md}). Handlers translate Neutron requests into the same
 * operations the native API calls, so validation and propagation to the hosts are shared; ids are
 * shown as stable UUIDs ({@link NeutronIds}). Auth: {@code X-Auth-Token} carries a Stockade token.
 */
public final class NeutronRoutes {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("stockade.http");
    private static final Set<String> GROUP = Set.of("id", "name", "description", "stateful", "shared", "project_id", "tenant_id",
            "security_group_rules", "tags", "revision_number", "created_at", "updated_at");
    private static final Set<String> GROUP_POST = Set.of("name", "description", "stateful", "project_id", "tenant_id");
    private static final Set<String> GROUP_PUT = Set.of("name", "description", "stateful");
    private static final Set<String> ADDRESS_GROUP = Set.of("id", "name", "description", "addresses", "project_id", "tenant_id", "tags",
            "revision_number", "created_at", "updated_at");
    private static final Set<String> NETWORK = Set.of("id", "name", "status", "admin_state_up", "shared", "subnets", "port_security_enabled",
            "project_id", "tenant_id");
    private static final Set<String> ADDRESS_GROUP_POST = Set.of("name", "description", "addresses", "project_id", "tenant_id");
    private static final Set<String> ADDRESS_GROUP_PUT = Set.of("name", "description");
    private final Controller ctl;
    private final Auth auth;
    private final ObjectMapper mapper;
    private final NeutronIds ids;
    private final NeutronViews views;
    private final NeutronErrors errors;
    private final NeutronLookup lookup;
    private final GroupOps groups;
    private final IpSetOps ipSets;
    private final io.stockade.server.AdminOps admin;
    private Javalin app;
    private Consumer<String[]> table;
    /** The methods of each route's path (as a regular expression), for 405s. */
    private final java.util.Map<String, List<String>> methods = new java.util.LinkedHashMap<>();

    public NeutronRoutes(Controller ctl, Auth auth) {
        this.ctl = ctl;
        this.auth = auth;
        this.mapper = ctl.mapper();
        this.ids = NeutronIds.following(ctl);
        this.views = new NeutronViews(ctl, ids);
        this.errors = new NeutronErrors(ids);
        this.lookup = new NeutronLookup(ctl, ids);
        this.groups = new GroupOps(ctl);
        this.ipSets = new IpSetOps(ctl);
        this.admin = new io.stockade.server.AdminOps(ctl);
    }

    /** Adds the facade's endpoints to the app; each one is also reported to {@code table} (method, path, summary) for /openapi.json. */
    public void install(Javalin javalin, Consumer<String[]> routeTable) {
        this.app = javalin;
        this.table = routeTable;

        route(HandlerType.GET, "/v2.0/security-groups", "Neutron: list security groups", "SecurityGroup", ctx -> list(ctx, "security_groups",
                "SecurityGroup", GROUP, w -> visibleGroups(ctx, w).stream().map(views::group).toList()));
        route(HandlerType.POST, "/v2.0/security-groups", "Neutron: create a security group", "SecurityGroup", this::createGroup);
        route(HandlerType.GET, "/v2.0/security-groups/{id}", "Neutron: show a security group", "SecurityGroup",
                ctx -> one(ctx, 200, "security_group", views.group(group(ctx))));
        route(HandlerType.PUT, "/v2.0/security-groups/{id}", "Neutron: change a security group's name, description or statefulness", "SecurityGroup", ctx -> {
            Body r = NeutronBody.fields(NeutronBody.resource(mapper, ctx.body(), "security_group", GROUP, GROUP_PUT, "PUT"));
            SecurityGroup g = group(ctx);
            GroupCommand.UpdateGroup update = new GroupCommand.UpdateGroup(g.id(), Patch.unlessNull(r.string("name", false)),
                    Patch.unlessNull(r.string("description", false)), Patch.unlessNull(r.bool("stateful")), Patch.keep());
            one(ctx, 200, "security_group", views.group(lookup.ifMatch(ctx, g.id(), () -> groups.update(caller(ctx), update))));
        });
        route(HandlerType.DELETE, "/v2.0/security-groups/{id}", "Neutron: delete a security group", "SecurityGroup",
                ctx -> noContent(ctx, () -> lookup.ifMatch(ctx, group(ctx).id(), () -> groups.delete(caller(ctx), new GroupCommand.DeleteGroup(group(ctx).id())))));

        route(HandlerType.GET, "/v2.0/security-group-rules", "Neutron: list security group rules", "SecurityGroupRule",
                ctx -> list(ctx, "security_group_rules", "SecurityGroupRule", NeutronRules.ATTRIBUTES, w -> visibleGroups(ctx, w).stream()
                        .flatMap(g -> g.rules().stream().map(r -> views.rule(g, r))).toList()));
        route(HandlerType.POST, "/v2.0/security-group-rules", "Neutron: create a security group rule", "SecurityGroupRule", this::createRule);
        route(HandlerType.GET, "/v2.0/security-group-rules/{id}", "Neutron: show a security group rule", "SecurityGroupRule", ctx -> {
            NeutronLookup.GroupRule gr = lookup.rule(caller(ctx), ctx.pathParam("id"));
            one(ctx, 200, "security_group_rule", views.rule(gr.group(), gr.rule()));
        });
        route(HandlerType.DELETE, "/v2.0/security-group-rules/{id}", "Neutron: delete a security group rule", "SecurityGroupRule", ctx -> {
            NeutronLookup.GroupRule gr = lookup.rule(caller(ctx), ctx.pathParam("id"));
            noContent(ctx, () -> groups.delete(caller(ctx), new GroupCommand.DeleteRule(gr.group().id(), gr.rule().id())));
        });

        route(HandlerType.GET, "/v2.0/address-groups", "Neutron: list address groups (ip sets)", "AddressGroup", ctx -> list(ctx, "address_groups",
                "AddressGroup", ADDRESS_GROUP, w -> w.ipSets().values().stream().filter(s -> caller(ctx).sees(s.projectId(), s.global()))
                        .map(views::addressGroup).toList()));
        route(HandlerType.POST, "/v2.0/address-groups", "Neutron: create an address group (an ip set of one IP version)", "AddressGroup",
                this::createAddressGroup);
        route(HandlerType.GET, "/v2.0/address-groups/{id}", "Neutron: show an address group", "AddressGroup",
                ctx -> one(ctx, 200, "address_group", views.addressGroup(addressGroup(ctx))));
        route(HandlerType.PUT, "/v2.0/address-groups/{id}", "Neutron: change an address group's name or description", "AddressGroup", ctx -> {
            ObjectNode r = NeutronBody.resource(mapper, ctx.body(), "address_group", ADDRESS_GROUP, ADDRESS_GROUP_PUT, "PUT");
            IpSet s = addressGroup(ctx);
            Body fields = NeutronBody.fields(r);
            // An address group renamed to no name is named by its id again (and shown unnamed).
            Patch<String> name = r.path("name").isTextual() && r.get("name").asText().isEmpty() ? Patch.to(s.id())
                    : Patch.unlessNull(fields.string("name", false));
            IpSetCommand.UpdateIpSet update = new IpSetCommand.UpdateIpSet(s.id(), name, Patch.unlessNull(fields.string("description", false)),
                    Patch.keep());
            one(ctx, 200, "address_group", views.addressGroup(lookup.ifMatch(ctx, s.id(), () -> ipSets.update(caller(ctx), update))));
        });
        route(HandlerType.DELETE, "/v2.0/address-groups/{id}", "Neutron: delete an address group no rule uses", "AddressGroup",
                ctx -> noContent(ctx, () -> lookup.ifMatch(ctx, addressGroup(ctx).id(), () -> ipSets.delete(caller(ctx), new IpSetCommand.DeleteIpSet(addressGroup(ctx).id())))));
        route(HandlerType.PUT, "/v2.0/address-groups/{id}/add_addresses", "Neutron: add addresses (all or none)", "AddressGroup",
                ctx -> {
                    List<String> given = addresses(ctx);
                    one(ctx, 200, "address_group", views.addressGroup(lookup.ifMatch(ctx, addressGroup(ctx).id(),
                            () -> ipSets.add(caller(ctx), new IpSetCommand.AddEveryEntry(addressGroup(ctx).id(), given)))));
                });
        route(HandlerType.PUT, "/v2.0/address-groups/{id}/remove_addresses", "Neutron: remove addresses (all or none)", "AddressGroup",
                ctx -> {
                    List<String> given = addresses(ctx);
                    one(ctx, 200, "address_group", views.addressGroup(lookup.ifMatch(ctx, addressGroup(ctx).id(),
                            () -> ipSets.remove(caller(ctx), new IpSetCommand.RemoveEveryEntry(addressGroup(ctx).id(), cidrs(given))))));
                });

        new NeutronPorts(ctl, ids, views, lookup).install(this::route, (ctx, items) -> list(ctx, "ports", "Port", NeutronPorts.ATTRIBUTES, items));

        route(HandlerType.GET, "/v2.0/networks", "Neutron: list networks (read-only: made through /v1)", "Network", ctx -> list(ctx, "networks", "Network",
                NETWORK, w -> w.networks().values().stream().map(views::network).toList()));
        route(HandlerType.GET, "/v2.0/networks/{id}", "Neutron: show a network", "Network", ctx -> {
            String id = ids.id(Ids.NETWORK, ctx.pathParam("id"));
            Network n = id == null ? null : ctl.world().networks().get(id);
            if (n == null) {
                throw NeutronErrors.notFound("NetworkNotFound", "Network " + ctx.pathParam("id") + " could not be found.");
            }
            one(ctx, 200, "network", views.network(n));
        });
        route(HandlerType.GET, "/v2.0/extensions", "Neutron: the API extensions this facade implements", "Extension",
                ctx -> send(ctx, 200, mapper.createObjectNode().set("extensions", NeutronExtensions.all(mapper))));
        route(HandlerType.GET, "/v2.0/extensions/{alias}", "Neutron: one API extension", "Extension", ctx -> {
            for (JsonNode e : NeutronExtensions.all(mapper)) {
                if (e.path("alias").asText().equals(ctx.pathParam("alias"))) {
                    one(ctx, 200, "extension", (ObjectNode) e);
                    return;
                }
            }
            throw NeutronErrors.notFound("ExtensionNotFound", "Extension with alias " + ctx.pathParam("alias") + " does not exist");
        });

        route(HandlerType.GET, "/projects", "Identity v3: find projects by name (for openstack --project)", "Project", ctx -> {
            String name = ctx.queryParam("name");
            List<Project> found = ctl.world().projects().values().stream().filter(p -> caller(ctx).sees(p.id(), false))
                    .filter(p -> name == null || p.name().equals(name)).toList();
            ObjectNode o = mapper.createObjectNode();
            com.fasterxml.jackson.databind.node.ArrayNode projects = o.putArray("projects");
            found.forEach(p -> projects.add(views.project(p, base(ctx))));
            o.putObject("links").put("self", base(ctx) + "/projects").putNull("next").putNull("previous");
            send(ctx, 200, o);
        });
        route(HandlerType.GET, "/projects/{id}", "Identity v3: show a project", "Project", ctx -> {
            Project p = ctl.world().projects().get(ctx.pathParam("id"));
            if (p == null || !caller(ctx).sees(p.id(), false)) {
                throw NeutronErrors.notFound("ProjectNotFound", "Could not find project: " + ctx.pathParam("id") + ".");
            }
            one(ctx, 200, "project", views.project(p, base(ctx)));
        });
        route(HandlerType.GET, "/v2.0", "Neutron: the resources of v2.0, each with its link", "Resource", ctx -> {
            ObjectNode o = mapper.createObjectNode();
            com.fasterxml.jackson.databind.node.ArrayNode resources = o.putArray("resources");
            for (String[] res : List.of(new String[] {"security_group", "security_groups", "security-groups"},
                    new String[] {"security_group_rule", "security_group_rules", "security-group-rules"},
                    new String[] {"address_group", "address_groups", "address-groups"}, new String[] {"port", "ports", "ports"},
                    new String[] {"network", "networks", "networks"})) {
                resources.addObject().put("name", res[0]).put("collection", res[1]).putArray("links").addObject()
                        .put("href", base(ctx) + "/v2.0/" + res[2]).put("rel", "self");
            }
            send(ctx, 200, o);
        });
        new NeutronTags(ctl, lookup).install(this::route);
        new NeutronQuotas(ctl, new io.stockade.server.AccessOps(ctl, auth)).install(this::route);
        for (HandlerType m : List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.DELETE, HandlerType.PATCH)) {
            app.addHttpHandler(m, "/v2.0/<rest>", this::noSuchEndpoint);
        }
    }

    /** After every route: a known resource with another method is a 405 (naming the allowed ones), anything else a 404. */
    private void noSuchEndpoint(Context ctx) {
        List<String> allowed = methods.entrySet().stream().filter(e -> ctx.path().matches(e.getKey()))
                .flatMap(e -> e.getValue().stream()).distinct().toList();
        if (allowed.isEmpty()) {
            error(ctx, NeutronErrors.notFound("HTTPNotFound", "The resource could not be found: " + ctx.method() + " " + ctx.path()), "Resource");
            return;
        }
        ctx.header("Allow", String.join(", ", allowed));
        error(ctx, new ApiException(405, "HTTPMethodNotAllowed", null, ctx.method() + " is not allowed on " + ctx.path() + " (allowed: "
                + String.join(", ", allowed) + ")"), "Resource");
    }

    /** {@code GET /} for API clients: the versions document, whose link is the base every later call uses. */
    public void versions(Context ctx) {
        ObjectNode o = mapper.createObjectNode();
        ObjectNode v = o.putArray("versions").addObject().put("id", "v2.0").put("status", "CURRENT");
        v.putArray("links").addObject().put("rel", "self").put("href", base(ctx) + "/v2.0/");
        send(ctx, 200, o);
    }

    private void createGroup(Context ctx) {
        Caller c = caller(ctx);
        List<String> items = bulk(ctx, "security_group", "security_groups");
        List<GroupCommand.CreateGroup> each = (items == null ? List.of(ctx.body()) : items).stream().map(i -> newGroup(c, i)).toList();
        List<ObjectNode> made = groups.create(c, new GroupCommand.CreateGroups(each)).stream().map(views::group).toList();
        answer(ctx, items != null, "security_group", "security_groups", made);
    }

    /**
     * The items of Neutron's bulk create ({@code {"security_groups":[…]}}), each as the body of a
     * create of one; null when the body is not a bulk one. The items are made in one revision, all
     * or none ({@link GroupCommand.CreateGroups}, {@link GroupCommand.AddRules}).
     */
    private List<String> bulk(Context ctx, String one, String many) {
        JsonNode n = NeutronBody.json(mapper, ctx.body());
        if (!n.isObject() || n.size() != 1 || !n.has(many)) {
            return null;
        }
        if (!n.get(many).isArray() || n.get(many).isEmpty()) {
            throw NeutronErrors.badRequest("Resources required: '" + many + "' must be a list of at least one " + one);
        }
        List<String> items = new ArrayList<>();
        n.get(many).forEach(item -> items.add(mapper.createObjectNode().set(one, item).toString()));
        return items;
    }

    /** A create's answer: the one object, or the list a bulk create made. */
    private void answer(Context ctx, boolean bulk, String one, String many, List<ObjectNode> made) {
        if (!bulk) {
            one(ctx, 201, one, made.get(0));
            return;
        }
        ObjectNode o = mapper.createObjectNode();
        made.forEach(o.putArray(many)::add);
        send(ctx, 201, o);
    }

    /** A group to create, in the project the request names (or the caller's), starting with the profile's rules. */
    private GroupCommand.CreateGroup newGroup(Caller c, String body) {
        ObjectNode r = NeutronBody.resource(mapper, body, "security_group", GROUP, GROUP_POST, "POST");
        Body fields = NeutronBody.fields(r);
        String project = lookup.owner(c, r);
        return new GroupCommand.CreateGroup(null, fields.string("name", true), fields.string("description", false), project,
                !Boolean.FALSE.equals(fields.bool("stateful")), false, false, new GroupCommand.InitialRules.ProfileDefault());
    }

    private void createRule(Context ctx) {
        Caller c = caller(ctx);
        List<String> items = bulk(ctx, "security_group_rule", "security_group_rules");
        List<SecurityGroup> owners = new ArrayList<>();
        List<GroupCommand.NewRule> rules = new ArrayList<>();
        for (String item : items == null ? List.of(ctx.body()) : items) {
            ObjectNode r = NeutronBody.resource(mapper, item, "security_group_rule", NeutronRules.ATTRIBUTES, NeutronRules.POST, "POST");
            if (!r.hasNonNull("security_group_id")) {
                throw NeutronErrors.invalid("security_group_id", "is required");
            }
            // As Neutron: the body is judged before the group it names is looked up.
            RuleSpec rule = NeutronRules.spec(r, ids);
            SecurityGroup g = lookup.group(c, NeutronRules.text(r, "security_group_id"));
            String project = r.hasNonNull("project_id") || r.hasNonNull("tenant_id") ? lookup.owner(c, r) : null;
            owners.add(g);
            rules.add(new GroupCommand.NewRule(g.id(), rule, project));
        }
        List<Rule> added = groups.add(c, new GroupCommand.AddRules(rules));
        List<ObjectNode> made = new ArrayList<>();
        for (int i = 0; i < added.size(); i++) {
            made.add(views.rule(owners.get(i), added.get(i)));
        }
        answer(ctx, items != null, "security_group_rule", "security_group_rules", made);
    }

    private void createAddressGroup(Context ctx) {
        ObjectNode r = NeutronBody.resource(mapper, ctx.body(), "address_group", ADDRESS_GROUP, ADDRESS_GROUP_POST, "POST");
        Caller c = caller(ctx);
        Body fields = NeutronBody.fields(r);
        // Neutron's name may be empty; an ip set has one, so an unnamed address group is named by its id (and shown unnamed).
        String id = Ids.newId(Ids.IP_SET);
        String name = !r.path("name").isTextual() || r.get("name").asText().isEmpty() ? id : r.get("name").asText();
        String description = fields.string("description", false);
        List<IpSetCommand.Entry> entries;
        if (r.path("addresses").isArray()) {
            entries = normalized(fields.strings("addresses")).stream().map(a -> new IpSetCommand.Entry(a, "")).toList();
        } else if (r.hasNonNull("addresses")) {
            throw ApiException.badRequest("addresses", "must be a list");
        } else {
            entries = List.of();
        }
        IpVersion version = IpVersion.V4;
        JsonNode first = r.path("addresses").path(0);
        if (first.isTextual()) {
            try {
                version = Cidr.parseLoose(first.asText(), "addresses[0]").cidr().version();
            } catch (ValidationException e) {
                throw NeutronErrors.invalid("addresses[0]", "'" + first.asText() + "' is not a valid IP network");
            }
        }
        IpSetCommand.CreateIpSet create = new IpSetCommand.CreateIpSet(id, name, description, lookup.owner(c, r), version, false, entries);
        one(ctx, 201, "address_group", views.addressGroup(ipSets.create(c, create)));
    }

    private List<String> addresses(Context ctx) {
        JsonNode n = NeutronBody.json(mapper, ctx.body());
        if (!n.isObject() || !n.has("addresses")) {
            throw NeutronErrors.badRequest("Unable to find 'addresses' in request body");
        }
        List<String> list = NeutronBody.fields((ObjectNode) n).strings("addresses");
        if (list == null) {
            throw NeutronErrors.invalid("addresses", "must be a list of IP networks");
        }
        return normalized(list);
    }

    /**
     * Addresses as Neutron takes them ({@code convert_ip_prefix_to_cidr}, then a set): host bits
     * cleared, each network once. Text that is no address is left for the ip set to refuse by name.
     */
    private static List<String> normalized(List<String> addresses) {
        if (addresses == null) {
            return null;
        }
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (String a : addresses) {
            try {
                out.add(Cidr.parseLoose(a, "addresses").cidr().toString());
            } catch (ValidationException e) {
                out.add(a);
            }
        }
        return List.copyOf(out);
    }

    /** Addresses to remove as CIDRs; a text that is none is refused naming it ({@code entries[i]}, shown as {@code addresses[i]}). */
    private static List<Cidr> cidrs(List<String> addresses) {
        List<Cidr> out = new ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) {
            out.add(Cidr.parseLoose(addresses.get(i), "entries[" + i + "]").cidr());
        }
        return out;
    }

    private List<SecurityGroup> visibleGroups(Context ctx, World w) {
        Caller c = caller(ctx);
        return w.groups().values().stream().filter(g -> c.sees(g.projectId(), g.global())).toList();
    }

    private SecurityGroup group(Context ctx) {
        return lookup.group(caller(ctx), ctx.pathParam("id"));
    }

    private IpSet addressGroup(Context ctx) {
        return lookup.addressGroup(caller(ctx), ctx.pathParam("id"));
    }

    private void list(Context ctx, String collection, String resource, Set<String> attributes, java.util.function.Function<World, List<ObjectNode>> items) {
        NeutronQuery q = new NeutronQuery(ctx.queryParamMap(), base(ctx) + ctx.path(), attributes);
        send(ctx, 200, q.collection(mapper, collection, resource + "NotFound", items.apply(ctl.world())));
    }

    private void route(HandlerType method, String path, String summary, String resource, Handler h) {
        table.accept(new String[] {method.name(), path, summary});
        methods.computeIfAbsent(path.replaceAll("\\{[^}]+}", "[^/]+"), k -> new ArrayList<>()).add(method.name());
        app.addHttpHandler(method, path, ctx -> {
            ctx.header("X-Openstack-Request-Id", "req-" + java.util.UUID.randomUUID());
            try {
                authenticate(ctx);
                io.stockade.server.Authz.require(caller(ctx), method.name(), path);
                h.handle(ctx);
            } catch (ApiException e) {
                error(ctx, e, resource);
            } catch (io.stockade.server.command.Refusal e) {
                error(ctx, ApiException.of(e), resource);
            } catch (ValidationException e) {
                error(ctx, ApiException.invalid(e.field(), e.getMessage()), resource);
            } catch (StoreException e) {
                error(ctx, new ApiException(503, "unavailable", null, e.getMessage()), resource);
            } catch (io.javalin.http.HttpResponseException e) {
                error(ctx, new ApiException(e.getStatus(), e.getStatus() == 413 ? "too_large" : "HTTP" + e.getStatus(), null, e.getMessage()), resource);
            } catch (RuntimeException e) {
                log.error("internal error on {} {}", ctx.method(), ctx.path(), e);
                error(ctx, new ApiException(500, "HTTPInternalServerError", null, "internal error: " + e.getClass().getSimpleName()), resource);
            }
        });
    }

    /** {@code X-Auth-Token}: a Stockade admin or member token (a host's token has no business here). */
    private void authenticate(Context ctx) {
        String token = ctx.header("X-Auth-Token");
        if (token == null) {
            throw new ApiException(401, "NotAuthenticated", null, "Authentication required: send a Stockade token in X-Auth-Token");
        }
        Caller c = auth.authenticate(token.strip(), ctx.ip());
        if (c.role() == Caller.Role.HOST) {
            throw new ApiException(403, "PolicyNotAuthorized", null, "a host's token may not use the Neutron API");
        }
        ctx.attribute(Caller.ATTRIBUTE, c);
        if (c.role() == Caller.Role.MEMBER) {
            // As Neutron: a project's default group is made on its first request when it has none.
            admin.ensure(c, new io.stockade.server.command.AdminCommand.EnsureDefaultGroup(c.projectId()));
        }
    }

    /** Whether a path is one of the OpenStack routes', whose errors are Neutron's (Identity's under {@code /projects}). */
    public static boolean serves(String path) {
        return path.startsWith("/v2.0") || path.startsWith("/projects") || path.startsWith("/os-quota-sets");
    }

    /** An error raised before a route's handler runs (the input limits), answered in that route's own error shape. */
    public void fail(Context ctx, ApiException e) {
        error(ctx, e, ctx.path().startsWith("/projects") ? "Project" : "Resource");
    }

    private void error(Context ctx, ApiException e, String resource) {
        send(ctx, resource.equals("Project") ? e.status() : NeutronErrors.status(e), errorBody(e, resource));
    }

    /** The error body of a route of this resource: Identity's for projects, Neutron's otherwise (also for {@code /openapi.json}). */
    public ObjectNode errorBody(ApiException e, String resource) {
        ObjectNode o = mapper.createObjectNode();
        if (resource.equals("Project")) {
            o.putObject("error").put("code", e.status()).put("message", e.getMessage()).put("title", e.status() == 404 ? "Not Found" : "Error");
            return o;
        }
        return errors.body(mapper, e, resource);
    }
}
