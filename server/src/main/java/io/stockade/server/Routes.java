package io.stockade.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.stockade.compiler.Compiler;
import io.stockade.compiler.Render;
import io.stockade.core.model.HostSlice;
import io.stockade.core.model.IpSet;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.World;
import io.stockade.core.ruletext.RuleText;
import io.stockade.server.command.AdminCommand;
import io.stockade.server.command.GroupCommand;
import io.stockade.server.command.IpSetCommand;
import io.stockade.server.command.VnicCommand;
import io.stockade.store.HostStatus;
import io.stockade.store.StoreException;
import io.stockade.wire.WatchAnswers;
import io.stockade.wire.WatchHub;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The native API {@code /v1}: every endpoint in one table; handlers parse, call the controller, render. */
final class Routes {
    private static final Logger log = LoggerFactory.getLogger("stockade.http");
    private static final String CALLER = Caller.ATTRIBUTE;

    private final Controller ctl;
    private final WatchHub hub;
    private final Auth auth;
    private final PrometheusMeterRegistry metrics;
    private final ServerConfig config;
    private final ObjectMapper mapper;
    private final Views views;
    private final GroupOps groups;
    private final IpSetOps ipSets;
    private final VnicOps vnics;
    private final AdminOps admin;
    private final ImportOps imports;
    private final AccessOps access;
    private final WatchAnswers watchAnswers;
    private final List<String[]> table = new ArrayList<>();
    private Javalin app;
    private io.stockade.server.neutron.NeutronRoutes neutron;

    Routes(Controller ctl, WatchHub hub, Auth auth, PrometheusMeterRegistry metrics, ServerConfig config) {
        this.ctl = ctl;
        this.hub = hub;
        this.auth = auth;
        this.metrics = metrics;
        this.config = config;
        this.mapper = ctl.mapper();
        this.views = new Views(ctl);
        this.groups = new GroupOps(ctl);
        this.ipSets = new IpSetOps(ctl);
        this.vnics = new VnicOps(ctl);
        this.admin = new AdminOps(ctl);
        this.imports = new ImportOps(ctl);
        this.access = new AccessOps(ctl, auth);
        this.watchAnswers = new WatchAnswers(mapper, ctl.json());
    }

    Javalin app() {
        app = Javalin.create(c -> {
            c.showJavalinBanner = false;
            c.http.maxRequestSize = config.maxBodyBytes();
            c.useVirtualThreads = true;
            if (config.tls() != null) {
                c.jetty.addConnector((server, http) -> {
                    org.eclipse.jetty.util.ssl.SslContextFactory.Server ssl = new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
                    ssl.setKeyStorePath(config.tls().keystore().toAbsolutePath().toString());
                    ssl.setKeyStorePassword(config.tls().password());
                    http.addCustomizer(new org.eclipse.jetty.server.SecureRequestCustomizer());
                    org.eclipse.jetty.server.ServerConnector https = new org.eclipse.jetty.server.ServerConnector(server, ssl,
                            new org.eclipse.jetty.server.HttpConnectionFactory(http));
                    https.setHost(config.bind());
                    https.setPort(config.port());
                    return https;
                });
            }
        });
        app.before(ctx -> ctx.attribute("stockade.start", System.nanoTime()));
        app.before(InputLimits::request);
        app.before(ctx -> ctl.forgetWrites());
        app.before("/v1/*", ctx -> ctx.attribute(CALLER, auth.authenticate(bearer(ctx), ctx.ip())));
        app.after(this::logRequest);
        app.exception(ApiException.class, (e, ctx) -> error(ctx, e));
        app.exception(io.stockade.server.command.Refusal.class, (e, ctx) -> error(ctx, ApiException.of(e)));
        app.exception(StoreException.class, (e, ctx) -> error(ctx, ApiException.store(e)));
        app.exception(io.stockade.core.model.ValidationException.class, (e, ctx) -> error(ctx, ApiException.invalid(e.field(), e.getMessage())));
        app.exception(io.javalin.http.HttpResponseException.class, (e, ctx) -> error(ctx, new ApiException(e.getStatus(),
                e.getStatus() == 413 ? "too_large" : "http_" + e.getStatus(), null, e.getMessage())));
        app.exception(Exception.class, (e, ctx) -> {
            log.error("internal error on {} {}", ctx.method(), ctx.path(), e);
            error(ctx, new ApiException(500, "internal", null, "internal error: " + e.getClass().getSimpleName()));
        });
        app.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                error(ctx, new ApiException(404, "not_found", null, "no such endpoint: " + ctx.method() + " " + ctx.path()));
            }
        });

        route(HandlerType.GET, "/healthz", "Liveness and store health", ctx -> {
            boolean ok = ctl.store().healthy();
            ctx.status(ok ? 200 : 503);
            json(ctx, Answers.health(mapper, ok, ctl.world().revision()));
        });
        route(HandlerType.GET, "/metrics", "Prometheus metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()));
        route(HandlerType.GET, "/openapi.json", "This API's description", ctx -> json(ctx, OpenApi.document(mapper, table, openApiRender())));
        route(HandlerType.GET, "/v1/policy", "The policy profile and its knobs", ctx -> {
            json(ctx, Answers.policy(mapper, ctl.policy().knobs()));
        });

        route(HandlerType.GET, "/v1/projects", "List projects", ctx -> list(ctx, ctl.world().projects().values().stream()
                .filter(p -> caller(ctx).sees(p.id(), false)), p -> p.name(), p -> p.id(), views::project));
        route(HandlerType.POST, "/v1/projects", "Create a project (admin)", ctx -> created(ctx, views.project(admin.create(caller(ctx), AdminRequests.project(body(ctx, AdminRequests.PROJECT_FIELDS))))));
        route(HandlerType.GET, "/v1/projects/{id}", "Show a project", ctx -> json(ctx, views.project(Resolve.project(ctl.world(), caller(ctx), ctx.pathParam("id")))));
        route(HandlerType.PATCH, "/v1/projects/{id}", "Change a project (admin)", ctx -> json(ctx, views.project(admin.update(caller(ctx), AdminRequests.update(ctx.pathParam("id"), body(ctx, AdminRequests.PROJECT_FIELDS))))));
        route(HandlerType.DELETE, "/v1/projects/{id}", "Delete an empty project and revoke its tokens (admin)", ctx -> {
            String id = Resolve.project(ctl.world(), caller(ctx), ctx.pathParam("id")).id();
            noContent(ctx, () -> admin.delete(caller(ctx), new AdminCommand.DeleteProject(id)));
            auth.revokeProject(id);
            ctl.store().deleteQuotas(id);
        });

        route(HandlerType.GET, "/v1/security-groups", "List security groups (filters: project, name)", ctx -> list(ctx, ctl.world().groups().values().stream()
                .filter(g -> caller(ctx).sees(g.projectId(), g.global())), SecurityGroup::name, SecurityGroup::projectId, views::group));
        route(HandlerType.POST, "/v1/security-groups", "Create a security group (rules optional)", ctx -> created(ctx, views.group(groups.create(caller(ctx), GroupRequests.create(body(ctx, GroupRequests.GROUP_FIELDS), GroupRequests.RULE_FIELDS)))));
        route(HandlerType.GET, "/v1/security-groups/{id}", "Show a security group with its rules", ctx -> json(ctx, views.group(Resolve.group(ctl.world(), caller(ctx), ctx.pathParam("id")))));
        route(HandlerType.PATCH, "/v1/security-groups/{id}", "Change name, description, statefulness or drop logging", ctx -> json(ctx, views.group(groups.update(caller(ctx), GroupRequests.update(ctx.pathParam("id"), body(ctx, GroupRequests.GROUP_FIELDS))))));
        route(HandlerType.DELETE, "/v1/security-groups/{id}", "Delete a group (in use: refused or detached, per profile)", ctx -> noContent(ctx, () -> groups.delete(caller(ctx), new GroupCommand.DeleteGroup(ctx.pathParam("id")))));
        route(HandlerType.GET, "/v1/security-groups/{id}/rules", "The group's rules (JSON, or text/plain rule text naming groups and ip sets where unambiguous)", this::getRules);
        route(HandlerType.POST, "/v1/security-groups/{id}/rules", "Add one rule (JSON fields, or {\"text\": rule text})", ctx -> {
            var r = groups.add(caller(ctx), GroupRequests.addRule(ctx.pathParam("id"), body(ctx, GroupRequests.RULE_FIELDS))).get(0);
            SecurityGroup g = Resolve.group(ctl.world(), caller(ctx), ctx.pathParam("id"));
            created(ctx, ctl.json().rule(r).put("text", RuleText.print(r)).put("group", g.id()));
        });
        route(HandlerType.PUT, "/v1/security-groups/{id}/rules", "Replace all rules with rule text (text/plain), atomically", ctx -> {
            if (ctx.contentType() == null || !ctx.contentType().startsWith("text/plain")) {
                throw ApiException.badRequest(null, "send the rule text as text/plain");
            }
            json(ctx, views.group(groups.replace(caller(ctx), new GroupCommand.ReplaceRules(ctx.pathParam("id"), ctx.body()))));
        });
        route(HandlerType.DELETE, "/v1/security-groups/{id}/rules/{rule}", "Remove one rule", ctx -> noContent(ctx, () -> groups.delete(caller(ctx), new GroupCommand.DeleteRule(ctx.pathParam("id"), ctx.pathParam("rule")))));

        route(HandlerType.GET, "/v1/ip-sets", "List ip sets", ctx -> list(ctx, ctl.world().ipSets().values().stream()
                .filter(s -> caller(ctx).sees(s.projectId(), s.global())), IpSet::name, IpSet::projectId, views::ipSet));
        route(HandlerType.POST, "/v1/ip-sets", "Create an ip set", ctx -> created(ctx, views.ipSet(ipSets.create(caller(ctx), IpSetRequests.create(body(ctx, IpSetRequests.FIELDS))))));
        route(HandlerType.GET, "/v1/ip-sets/{id}", "Show an ip set", ctx -> json(ctx, views.ipSet(Resolve.ipSet(ctl.world(), caller(ctx), ctx.pathParam("id")))));
        route(HandlerType.PATCH, "/v1/ip-sets/{id}", "Change an ip set's name, description or (while empty) version", ctx -> json(ctx, views.ipSet(ipSets.update(caller(ctx), IpSetRequests.update(ctx.pathParam("id"), body(ctx, IpSetRequests.FIELDS))))));
        route(HandlerType.DELETE, "/v1/ip-sets/{id}", "Delete an ip set no rule uses", ctx -> noContent(ctx, () -> ipSets.delete(caller(ctx), new IpSetCommand.DeleteIpSet(ctx.pathParam("id")))));
        route(HandlerType.POST, "/v1/ip-sets/{id}/entries", "Add entries in bulk (duplicates skipped, invalid reported)", ctx -> {
            IpSet.BulkAdd r = ipSets.add(caller(ctx), new IpSetCommand.AddEntries(ctx.pathParam("id"), IpSetRequests.entries(body(ctx, IpSetRequests.ENTRIES_FIELDS))));
            json(ctx, Answers.bulkAdd(mapper, r, views.ipSet(Resolve.ipSet(ctl.world(), caller(ctx), ctx.pathParam("id")))));
        });
        route(HandlerType.DELETE, "/v1/ip-sets/{id}/entries", "Remove entries in bulk", ctx -> json(ctx, views.ipSet(ipSets.remove(caller(ctx), new IpSetCommand.RemoveEntries(ctx.pathParam("id"), IpSetRequests.cidrs(body(ctx, IpSetRequests.ENTRIES_FIELDS)))))));

        route(HandlerType.GET, "/v1/networks", "List networks", ctx -> list(ctx, ctl.world().networks().values().stream(), n -> n.name(), n -> null, views::network));
        route(HandlerType.POST, "/v1/networks", "Create a network (admin)", ctx -> created(ctx, views.network(admin.create(caller(ctx), AdminRequests.network(body(ctx, AdminRequests.NETWORK_FIELDS))))));
        route(HandlerType.GET, "/v1/networks/{id}", "Show a network", ctx -> json(ctx, views.network(Resolve.network(ctl.world(), ctx.pathParam("id")))));
        route(HandlerType.DELETE, "/v1/networks/{id}", "Delete a network without vnics (admin)", ctx -> noContent(ctx, () -> admin.delete(caller(ctx), new AdminCommand.DeleteNetwork(ctx.pathParam("id")))));

        route(HandlerType.GET, "/v1/hosts", "List hosts with agent status and applied revision", ctx -> {
            Map<String, HostStatus> status = ctl.hostStatuses().all();
            list(ctx, ctl.world().hosts().values().stream(), h -> h.name(), h -> null, h -> views.host(h, status.get(h.id()), hub));
        });
        route(HandlerType.POST, "/v1/hosts", "Create a host (admin)", ctx -> created(ctx, views.host(admin.create(caller(ctx), AdminRequests.host(body(ctx, AdminRequests.HOST_FIELDS))), null, hub)));
        route(HandlerType.GET, "/v1/hosts/{id}", "Show a host", ctx -> {
            var h = Resolve.host(ctl.world(), ctx.pathParam("id"));
            json(ctx, views.host(h, ctl.hostStatuses().of(h.id()), hub));
        });
        route(HandlerType.DELETE, "/v1/hosts/{id}", "Delete a host without vnics (admin)", ctx -> noContent(ctx, () -> admin.delete(caller(ctx), new AdminCommand.DeleteHost(ctx.pathParam("id")))));
        route(HandlerType.PUT, "/v1/hosts/{id}/agent", "An agent registers its host (created on first start)", ctx -> json(ctx,
                views.host(admin.register(caller(ctx), AdminRequests.register(ctx.pathParam("id"), body(ctx, AdminRequests.AGENT_FIELDS))), null, hub)));
        route(HandlerType.PUT, "/v1/hosts/{id}/status", "An agent reports its applied revision and last error", ctx -> noContent(ctx,
                () -> access.report(caller(ctx), AdminRequests.status(ctx.pathParam("id"), body(ctx, AdminRequests.STATUS_FIELDS)))));
        new StatsRoutes(ctl).register(this::route);
        new QuotaRoutes(ctl, access).register(this::route);
        route(HandlerType.GET, "/v1/hosts/{id}/ruleset", "The nftables ruleset the host should run (text)", ctx -> {
            var h = Resolve.host(ctl.world(), ctx.pathParam("id"));
            if (caller(ctx).role() == Caller.Role.HOST && !caller(ctx).isHost(h.name())) {
                throw ApiException.forbidden("a host's token may read only its own host's ruleset");
            }
            World slice = HostSlice.of(ctl.world(), h.id());
            ctx.contentType("text/plain").result(Render.full(Compiler.compile(slice, h.id())));
        });

        route(HandlerType.GET, "/v1/instances", "List instances with their vnics", ctx -> list(ctx, ctl.world().instances().values().stream()
                .filter(i -> caller(ctx).sees(i.projectId(), false)), i -> i.name(), i -> i.projectId(), views::instance));
        route(HandlerType.POST, "/v1/instances", "Create an instance", ctx -> created(ctx, views.instance(vnics.create(caller(ctx), VnicRequests.instance(body(ctx, VnicRequests.INSTANCE_FIELDS))))));
        route(HandlerType.GET, "/v1/instances/{id}", "Show an instance", ctx -> json(ctx, views.instance(Resolve.instance(ctl.world(), caller(ctx), ctx.pathParam("id")))));
        route(HandlerType.DELETE, "/v1/instances/{id}", "Delete an instance and its vnics", ctx -> noContent(ctx, () -> vnics.delete(caller(ctx), new VnicCommand.DeleteInstance(ctx.pathParam("id")))));
        route(HandlerType.PUT, "/v1/instances/{id}/security-groups", "Set the groups of all the instance's vnics", ctx -> {
            vnics.set(caller(ctx), new VnicCommand.SetInstanceGroups(ctx.pathParam("id"), VnicRequests.groups(body(ctx, VnicRequests.GROUPS_FIELDS))));
            json(ctx, views.instance(Resolve.instance(ctl.world(), caller(ctx), ctx.pathParam("id"))));
        });

        route(HandlerType.GET, "/v1/vnics", "List vnics", ctx -> list(ctx, ctl.world().vnics().values().stream()
                .filter(v -> caller(ctx).sees(v.projectId(), false)), v -> v.name(), v -> v.projectId(), views::vnic));
        route(HandlerType.POST, "/v1/vnics", "Create a vnic", ctx -> created(ctx, views.vnic(vnics.create(caller(ctx), VnicRequests.create(body(ctx, VnicRequests.VNIC_FIELDS))))));
        route(HandlerType.GET, "/v1/vnics/{id}", "Show a vnic", ctx -> json(ctx, views.vnic(Resolve.vnic(ctl.world(), caller(ctx), ctx.pathParam("id")))));
        route(HandlerType.PATCH, "/v1/vnics/{id}", "Change a vnic (host and device to move it; logDrops)", ctx -> json(ctx, views.vnic(vnics.update(caller(ctx), VnicRequests.update(ctx.pathParam("id"), body(ctx, VnicRequests.VNIC_FIELDS))))));
        route(HandlerType.DELETE, "/v1/vnics/{id}", "Delete a vnic", ctx -> noContent(ctx, () -> vnics.delete(caller(ctx), new VnicCommand.DeleteVnic(ctx.pathParam("id")))));
        route(HandlerType.PUT, "/v1/vnics/{id}/security-groups", "Set a vnic's groups", ctx -> json(ctx, views.vnic(vnics.set(caller(ctx), new VnicCommand.SetVnicGroups(ctx.pathParam("id"), VnicRequests.groups(body(ctx, VnicRequests.GROUPS_FIELDS)))))));

        route(HandlerType.GET, "/v1/export", "Every object the caller sees (a member: its project's), in the shape /v1/import takes",
                ctx -> json(ctx, imports.export(caller(ctx))));
        route(HandlerType.POST, "/v1/import", "Make every object of an export in one revision, all or nothing (a member: into its own project)", ctx -> {
            ImportOps.Imported r = imports.load(caller(ctx), ImportRequests.read(importBody(ctx)));
            ObjectNode o = mapper.createObjectNode().put("revision", r.revision());
            ObjectNode counts = o.putObject("imported");
            r.counts().forEach(counts::put);
            created(ctx, o);
        });
        route(HandlerType.GET, "/v1/explain", "Verdict and trace for a packet (from, to, proto, port, sport, icmpType, icmpCode, state: new, established, reply or invalid)", ctx -> json(ctx, Explain.explain(ctl, caller(ctx), query(ctx))));
        route(HandlerType.GET, "/v1/audit", "The change log (since, project, object, limit)", this::audit);
        route(HandlerType.GET, "/v1/watch", "A host's desired state after a revision (long poll: host, since, wait)", this::watch);
        route(HandlerType.GET, "/v1/tokens", "List tokens (admin)", ctx -> {
            caller(ctx).requireAdmin();
            json(ctx, Answers.tokens(mapper, auth.list()));
        });
        route(HandlerType.POST, "/v1/tokens", "Create a token (admin); its secret is shown once", ctx -> {
            AccessOps.Created t = access.create(caller(ctx), AdminRequests.token(body(ctx, AdminRequests.TOKEN_FIELDS)));
            created(ctx, Answers.createdToken(mapper, t.secret(), t.token().role().name().toLowerCase(java.util.Locale.ROOT), t.projectId(),
                    t.token().host()));
        });
        route(HandlerType.DELETE, "/v1/tokens/{id}", "Revoke a token (admin)", ctx -> noContent(ctx,
                () -> access.revoke(caller(ctx), new AdminCommand.RevokeToken(ctx.pathParam("id")))));
        neutron = new io.stockade.server.neutron.NeutronRoutes(ctl, auth);
        neutron.install(app, table::add);
        ConsoleRoutes console = new ConsoleRoutes(ctl);
        console.register(app, this::route);
        RootRoute.install(app, neutron::versions, console::index);
        return app;
    }

    private void route(HandlerType method, String path, String summary, io.javalin.http.Handler h) {
        table.add(new String[] {method.name(), path, summary});
        app.addHttpHandler(method, path, !path.startsWith("/v1/") ? h : ctx -> {
            Authz.require(caller(ctx), method.name(), path);
            h.handle(ctx);
        });
    }

    private void getRules(Context ctx) {
        World w = ctl.world();
        SecurityGroup g = Resolve.group(w, caller(ctx), ctx.pathParam("id"));
        if (ctx.header("Accept") != null && ctx.header("Accept").startsWith("text/plain")) {
            ctx.contentType("text/plain").result(RuleText.print(g.rules(), GroupOps.resolver(w, caller(ctx), g.projectId())));
            return;
        }
        json(ctx, views.group(g).get("rules"));
    }

    private void audit(Context ctx) {
        Caller c = caller(ctx);
        Map<String, String> q = query(ctx);
        String project = c.admin() ? q.get("project") : c.projectId();
        long since = QueryParams.integer(ctx, "since", 0, 0, Integer.MAX_VALUE);
        int limit = QueryParams.integer(ctx, "limit", 100, 1, 1000);
        json(ctx, Answers.audit(mapper, ctl.world().revision(), ctl.store().changes(since, limit, project, q.get("object"))));
    }

    private void watch(Context ctx) {
        Caller c = caller(ctx);
        Map<String, String> q = query(ctx);
        var h = Resolve.host(ctl.world(), q.getOrDefault("host", ""));
        if (!c.admin() && !c.isHost(h.name())) {
            throw ApiException.forbidden("only an admin or the host's own token may watch host " + h.name());
        }
        long since;
        int wait;
        try {
            since = Long.parseLong(q.getOrDefault("since", "0"));
            wait = Math.min(60, Integer.parseInt(q.getOrDefault("wait", "25")));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("since", "since and wait must be whole numbers");
        }
        CompletableFuture<WatchHub.Update> next = hub.next(h.id(), since);
        ctx.future(() -> next.orTimeout(wait, TimeUnit.SECONDS).handle((u, e) -> {
            if (e != null) {
                next.cancel(false);
                ctx.status(204);
                return null;
            }
            ctx.contentType("application/json").result(watchAnswers.text(u));
            return null;
        }));
    }

    /** A list with filters (project, name) and pagination (limit, offset). */
    private <T> void list(Context ctx, Stream<T> items, Function<T, String> name, Function<T, String> project, Function<T, ObjectNode> view) {
        Map<String, String> q = query(ctx);
        int limit;
        int offset;
        try {
            limit = Integer.parseInt(q.getOrDefault("limit", "100"));
            offset = Integer.parseInt(q.getOrDefault("offset", "0"));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("limit", "limit and offset must be whole numbers");
        }
        if (limit < 1 || limit > 1000 || offset < 0) {
            throw ApiException.badRequest("limit", "limit must be 1..1000 and offset at least 0");
        }
        String wantName = q.get("name");
        String wantProject = q.get("project");
        List<T> all = items.filter(t -> wantName == null || wantName.equals(name.apply(t)))
                .filter(t -> wantProject == null || wantProject.equals(project.apply(t))).toList();
        ArrayNode out = mapper.createArrayNode();
        all.stream().skip(offset).limit(limit).forEach(t -> out.add(view.apply(t)));
        ObjectNode o = mapper.createObjectNode().put("total", all.size());
        if (offset + limit < all.size()) {
            o.put("nextOffset", offset + limit);
        } else {
            o.putNull("nextOffset");
        }
        o.set("items", out);
        json(ctx, o);
    }

    private static Map<String, String> query(Context ctx) {
        Map<String, String> q = new java.util.HashMap<>();
        ctx.queryParamMap().forEach((k, v) -> q.put(k, v.isEmpty() ? "" : v.get(0)));
        return q;
    }

    private Body body(Context ctx, java.util.Set<String> fields) {
        return Body.parse(mapper, ctx.body(), fields);
    }

    /**
     * An import's JSON, read from the request as it streams in, up to {@link ImportRequests#MAX_BYTES}
     * (more than the other routes' limit: an import is a world).
     */
    private JsonNode importBody(Context ctx) throws java.io.IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > ImportRequests.MAX_BYTES) {
            throw new ApiException(413, "too_large", null, "an import is at most " + ImportRequests.MAX_BYTES + " bytes, got " + declared);
        }
        java.io.InputStream limited = new java.io.FilterInputStream(ctx.req().getInputStream()) {
            private long read;

            @Override
            public int read() throws java.io.IOException {
                int b = super.read();
                count(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws java.io.IOException {
                int n = super.read(buf, off, len);
                count(Math.max(n, 0));
                return n;
            }

            private void count(int n) {
                read += n;
                if (read > ImportRequests.MAX_BYTES) {
                    throw new ApiException(413, "too_large", null, "an import is at most " + ImportRequests.MAX_BYTES + " bytes");
                }
            }
        };
        JsonNode n;
        try {
            n = mapper.reader().with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(limited);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest(null, "malformed JSON: " + e.getOriginalMessage());
        }
        if (n == null || n.isMissingNode()) {
            throw ApiException.badRequest(null, "the request needs a JSON object as its body");
        }
        return n;
    }

    static Caller caller(Context ctx) {
        return ctx.attribute(CALLER);
    }

    private static String bearer(Context ctx) {
        String h = ctx.header("Authorization");
        if (h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return h.substring(7).strip();
        }
        return null;
    }

    private void json(Context ctx, JsonNode node) {
        try {
            ctx.contentType("application/json").result(mapper.writeValueAsString(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void created(Context ctx, JsonNode node) {
        ctx.status(201);
        json(ctx, node);
    }

    private static void noContent(Context ctx, Runnable r) {
        r.run();
        ctx.status(204);
    }

    /** The views {@code /openapi.json} renders its example objects with: those of the answers. */
    private OpenApi.Render openApiRender() {
        return new OpenApi.Render() {
            public ObjectNode project(io.stockade.core.model.Project p) {
                return views.project(p);
            }

            public ObjectNode group(SecurityGroup g) {
                return views.group(g);
            }

            public ObjectNode ipSet(io.stockade.core.model.IpSet s) {
                return views.ipSet(s);
            }

            public ObjectNode network(io.stockade.core.model.Network n) {
                return views.network(n);
            }

            public ObjectNode host(io.stockade.core.model.Host h, boolean withStatus) {
                return views.host(h, withStatus ? new HostStatus(h.id(), 7, Instant.now().toString(), "nft: example error") : null, hub);
            }

            public ObjectNode instance(io.stockade.core.model.Instance i) {
                return views.instance(i);
            }

            public ObjectNode vnic(io.stockade.core.model.Vnic v) {
                return views.vnic(v);
            }

            public ObjectNode error(ApiException e) {
                return errorBody(e);
            }

            public ObjectNode openstackError(ApiException e, String resource) {
                return neutron.errorBody(e, resource);
            }
        };
    }

    private void error(Context ctx, ApiException e) {
        if (neutron != null && io.stockade.server.neutron.NeutronRoutes.serves(ctx.path())) {
            neutron.fail(ctx, e);
            return;
        }
        ctx.status(e.status());
        json(ctx, errorBody(e));
    }

    private ObjectNode errorBody(ApiException e) {
        ObjectNode err = mapper.createObjectNode();
        ObjectNode inner = err.putObject("error").put("code", e.code()).put("message", e.getMessage());
        if (e.field() == null) {
            inner.putNull("field");
        } else {
            inner.put("field", e.field());
        }
        if (e.line() > 0) {
            inner.put("line", e.line()).put("column", e.column());
        }
        return err;
    }

    private void logRequest(Context ctx) {
        Long start = ctx.attribute("stockade.start");
        long nanos = start == null ? 0 : System.nanoTime() - start;
        String route = ctx.endpointHandlerPath();
        Timer.builder("stockade_http_requests").tag("method", ctx.method().name()).tag("route", route == null ? "none" : route)
                .tag("status", Integer.toString(ctx.statusCode())).register(metrics).record(nanos, TimeUnit.NANOSECONDS);
        Caller c = ctx.attribute(CALLER);
        log.info("method={} path={} status={} ms={} caller={}", ctx.method(), ctx.path(), ctx.statusCode(), nanos / 1_000_000,
                c == null ? "-" : c.actor());
    }
}
