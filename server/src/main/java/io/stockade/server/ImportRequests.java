package io.stockade.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.stockade.core.model.ValidationException;
import io.stockade.server.command.ImportCommand;
import io.stockade.server.command.ImportCommand.Item;
import io.stockade.server.command.ImportCommand.NewGroup;
import io.stockade.server.command.ImportCommand.NewHost;
import io.stockade.server.command.ImportCommand.NewInstance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * An import's document read as one command, outside the write lock: {@code {"revision",
 * "projects", "networks", "hosts", "ipSets", "groups", "instances", "vnics"}}, each object read
 * as its create route reads it (with the ids an export carries); an error names the object
 * ({@code vnics[12]}, its id) and the field.
 */
public final class ImportRequests {
    static final List<String> KINDS = List.of("projects", "networks", "hosts", "ipSets", "groups", "instances", "vnics");
    static final Set<String> FIELDS = with(Set.copyOf(KINDS), "revision");
    /** The largest import body read (a 100,000-vnic world is about 45 MiB). */
    static final long MAX_BYTES = 512L << 20;
    private static final Set<String> HOST_FIELDS = with(AdminRequests.HOST_FIELDS, "id");
    private static final Set<String> RULE_FIELDS = with(GroupRequests.RULE_FIELDS, "id");

    private ImportRequests() {}

    private static Set<String> with(Set<String> fields, String more) {
        Set<String> out = new HashSet<>(fields);
        out.add(more);
        return Set.copyOf(out);
    }

    /** The import a document asks for. */
    public static ImportCommand read(JsonNode doc) {
        Body top = Body.of(doc, "", FIELDS);
        InputLimits.check(doc, "");
        top.integer("revision");
        return new ImportCommand(
                items(top, "projects", AdminRequests.PROJECT_FIELDS, AdminRequests::project),
                items(top, "networks", AdminRequests.NETWORK_FIELDS, AdminRequests::network),
                items(top, "hosts", HOST_FIELDS, b -> {
                    String name = b.string("name", true);
                    return new NewHost(b.string("id", false), name, b.string("bridge", false), b.has("uplinks") ? b.strings("uplinks") : List.of());
                }),
                items(top, "ipSets", IpSetRequests.FIELDS, IpSetRequests::create),
                items(top, "groups", GroupRequests.GROUP_FIELDS, b -> new NewGroup(GroupRequests.create(b, RULE_FIELDS), ruleIds(b))),
                items(top, "instances", VnicRequests.INSTANCE_FIELDS, b -> {
                    String name = b.string("name", true);
                    return new NewInstance(b.string("id", false), name, b.string("project", false));
                }),
                items(top, "vnics", VnicRequests.VNIC_FIELDS, VnicRequests::create));
    }

    /** The ids a group's rules had in the export, by the rule's place in {@code rules}. */
    private static Map<Integer, String> ruleIds(Body b) {
        Map<Integer, String> out = new HashMap<>();
        List<JsonNode> given = b.has("rules") ? b.objects("rules") : List.of();
        for (int r = 0; r < given.size(); r++) {
            if (given.get(r).hasNonNull("id")) {
                out.put(r, given.get(r).path("id").asText());
            }
        }
        return out;
    }

    /** The objects of one kind, each read with {@code read}; an error names the object and its field. */
    private static <T> List<Item<T>> items(Body top, String kind, Set<String> fields, Function<Body, T> read) {
        List<JsonNode> given = top.objects(kind);
        if (given == null) {
            return List.of();
        }
        List<Item<T>> out = new ArrayList<>(given.size());
        for (int i = 0; i < given.size(); i++) {
            JsonNode n = given.get(i);
            String where = kind + "[" + i + "]";
            String what = where + (n != null && n.path("id").isTextual() ? " (" + n.path("id").asText() + ")" : "");
            try {
                out.add(new Item<>(where, what, read.apply(Body.of(n, "", fields))));
            } catch (ApiException e) {
                throw new ApiException(e.status(), e.code(), e.field() == null ? where : where + "." + e.field(), what + ": " + e.getMessage())
                        .withPosition(e.line(), e.column());
            } catch (ValidationException e) {
                throw ApiException.invalid(e.field() == null ? where : where + "." + e.field(), what + ": " + e.getMessage());
            }
        }
        return out;
    }
}
