package io.stockade.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * {@code GET /} serves two audiences. A browser (its {@code Accept} header contains
 * {@code text/html}) gets the web console; every other client (the {@code openstack} client's
 * version discovery first of all) gets the Neutron versions document. This is the one place
 * that decides between them.
 */
public final class RootRoute {
    private RootRoute() {}

    public static boolean wantsHtml(Context ctx) {
        String accept = ctx.header("Accept");
        return accept != null && accept.contains("text/html");
    }

    public static void install(Javalin app, Handler versions, Handler console) {
        app.get("/", ctx -> {
            if (wantsHtml(ctx)) {
                console.handle(ctx);
            } else {
                versions.handle(ctx);
            }
        });
    }
}
