package io.stockade.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.stockade.core.model.Project;
import io.stockade.core.model.World;
import io.stockade.core.ruletext.Dialect;
import io.stockade.core.ruletext.RuleText;
import io.stockade.core.ruletext.RuleTextException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The web console: its page at {@code /} for browsers, its files under {@code /console/} (from
 * the jar), and the calls it needs that the rest of /v1 lacks: who the token is, a long poll
 * that returns when the world changes so that pages follow edits made elsewhere, and a check
 * of rule text as it is typed.
 */
final class ConsoleRoutes {
    /** How Routes registers an endpoint (so that it is listed in /openapi.json). */
    interface Table {
        void route(HandlerType method, String path, String summary, Handler handler);
    }

    private static final Pattern FILE = Pattern.compile("[a-z0-9-]+(/[a-z0-9-]+)*\\.(js|css|svg|html)");
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml", "html", "text/html; charset=utf-8");

    /** Only the console's own files and its own API: no inline script, no other origin, not framed. */
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private final Controller ctl;
    private final ObjectMapper mapper;
    private final WorldEvents events;

    ConsoleRoutes(Controller ctl) {
        this.ctl = ctl;
        this.mapper = ctl.mapper();
        this.events = new WorldEvents(ctl);
    }

    void register(Javalin app, Table table) {
        app.get("/console/<file>", ctx -> file(ctx, ctx.pathParam("file")));
        table.route(HandlerType.GET, "/v1/whoami", "The caller: role, project, the policy profile and the current revision", this::whoami);
        table.route(HandlerType.GET, "/v1/events", "Long poll: returns when the world's revision passes since (since, wait seconds)", this::events);
        table.route(HandlerType.POST, "/v1/rule-text/check", "Check rule text without saving it: canonical lines, every error and every warning with line and column (text, project, dialect stockade|wakame)",
                this::checkRuleText);
    }

    /** The console's page, for {@code GET /} from a browser (see {@link RootRoute}). */
    void index(Context ctx) throws IOException {
        file(ctx, "index.html");
    }

    private void file(Context ctx, String name) throws IOException {
        if (!FILE.matcher(name).matches()) {
            throw ApiException.notFound("console file", name);
        }
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream("/console/" + name)) {
            if (in == null) {
                throw ApiException.notFound("console file", name);
            }
            ctx.status(200).contentType(TYPES.get(name.substring(name.lastIndexOf('.') + 1))).header("Cache-Control", "no-cache")
                    .header("X-Content-Type-Options", "nosniff").header("Content-Security-Policy", CSP).header("Referrer-Policy", "no-referrer")
                    .result(in.readAllBytes());
        }
    }

    private void whoami(Context ctx) {
        Caller c = Routes.caller(ctx);
        Project p = c.projectId() == null ? null : ctl.world().projects().get(c.projectId());
        ctx.contentType("application/json").result(Answers.whoami(mapper, c, p == null ? null : p.name(), ctl.policy().profile(), ctl.world().revision()).toString());
    }

    private void events(Context ctx) {
        long since;
        int wait;
        try {
            since = Long.parseLong(query(ctx, "since", "0"));
            wait = Integer.parseInt(query(ctx, "wait", "25"));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("since", "since and wait must be whole numbers");
        }
        if (since < 0 || wait < 0 || wait > 60) {
            throw ApiException.badRequest(wait < 0 || wait > 60 ? "wait" : "since", "since must be at least 0 and wait 0..60 seconds");
        }
        CompletableFuture<Long> next = events.after(since);
        ctx.future(() -> next.orTimeout(wait, TimeUnit.SECONDS).handle((rev, e) -> {
            long now = e == null ? rev : events.revision();
            ctx.contentType("application/json").result(Answers.events(mapper, now, now > since).toString());
            return null;
        }));
    }

    /** The rule text as the project's groups would read it; nothing is written. */
    private void checkRuleText(Context ctx) {
        Caller c = Routes.caller(ctx);
        Body b = Body.parse(mapper, ctx.body(), java.util.Set.of("text", "project", "dialect"));
        String text = b.string("text", false);
        String dialectName = b.string("dialect", false);
        Dialect dialect = dialectName == null || dialectName.equals("stockade") ? Dialect.STOCKADE : Dialect.WAKAME;
        if (dialectName != null && !dialectName.equals("stockade") && !dialectName.equals("wakame")) {
            throw ApiException.badRequest("dialect", "dialect must be stockade or wakame, got '" + dialectName + "'");
        }
        World w = ctl.world();
        String project = GroupOps.projectFor(w, c, b.string("project", false));
        ObjectNode o;
        try {
            RuleText.Read read = RuleText.read(text == null ? "" : text, GroupOps.resolver(w, c, project), dialect);
            o = Answers.ruleTextCheck(mapper, read.rules().stream().map(RuleText::print).toList(), read.warnings(), List.of());
        } catch (RuleTextException e) {
            o = Answers.ruleTextCheck(mapper, List.of(), List.of(), e.errors());
        }
        ctx.contentType("application/json").result(o.toString());
    }

    private static String query(Context ctx, String name, String dflt) {
        String v = ctx.queryParam(name);
        return v == null ? dflt : v;
    }
}
