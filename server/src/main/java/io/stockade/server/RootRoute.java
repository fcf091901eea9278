package io.stockade.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * {@code GET /} serves two audiences. A browser (its {@code Accept} header contains
 * {@code text/html}) gets a page that points to the APIs; every other client (the
 * {@code openstack} client's version discovery first of all) gets the Neutron versions document.
 * This is the one place that decides between them.
 */
public final class RootRoute {
    private RootRoute() {}

    public static boolean wantsHtml(Context ctx) {
        String accept = ctx.header("Accept");
        return accept != null && accept.contains("text/html");
    }

    public static void install(Javalin app, Handler versions) {
        app.get("/", ctx -> {
            if (wantsHtml(ctx)) {
                ctx.contentType("text/html; charset=utf-8").result(PAGE);
            } else {
                versions.handle(ctx);
            }
        });
    }

    private static final String PAGE = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Stockade</title></head>
            <body><h1>Stockade</h1>
            <p>The native API is under <a href="/v1/policy">/v1</a>, described by <a href="/openapi.json">/openapi.json</a>;
            the Neutron-compatible API is under /v2.0 (for the <code>openstack</code> client).</p>
            </body></html>
            """;
}
