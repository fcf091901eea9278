package io.stockade.server;

import io.javalin.http.Context;

/** Query parameters read with their bounds: a bad one is a 400 that names it. */
final class QueryParams {
    private QueryParams() {}

    /** The whole number {@code name}, {@code dflt} when absent; anything outside min..max is refused. */
    static int integer(Context ctx, String name, int dflt, int min, int max) {
        String s = ctx.queryParam(name);
        if (s == null || s.isBlank()) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(s.strip());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiException.badRequest(name, "must be an integer from " + min + " to " + max + ", got '" + s + "'");
    }
}
