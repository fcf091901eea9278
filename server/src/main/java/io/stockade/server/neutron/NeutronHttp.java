package io.stockade.server.neutron;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.stockade.server.Caller;
import java.util.List;

/** The few things every Neutron handler does with a request and its answer. */
final class NeutronHttp {
    private NeutronHttp() {}

    static Caller caller(Context ctx) {
        return ctx.attribute(Caller.ATTRIBUTE);
    }

    static void send(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType("application/json").result(body.toString());
    }

    /** One resource under its singular key; {@code fields=} keeps only the attributes asked for. */
    static void one(Context ctx, int status, String wrapper, ObjectNode item) {
        List<String> fields = ctx.queryParams("fields").stream().filter(f -> !f.isBlank()).toList();
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set(wrapper, fields.isEmpty() ? item : item.retain(fields));
        send(ctx, status, o);
    }

    static void noContent(Context ctx, Runnable r) {
        r.run();
        ctx.status(204);
    }

    /** The scheme, host and port the client used: links in answers point back the same way. */
    static String base(Context ctx) {
        return ctx.scheme() + "://" + ctx.host();
    }
}
