package io.stockade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.stockade.server.V1Request;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * How client commands print: a table for people (default; objects by name), a wide table (ids as
 * well), JSON or YAML for scripts, or ids only.
 */
final class Output {
    enum Format { table, wide, json, yaml }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default, by name), wide (ids too), json or yaml")
    Format format = Format.table;

    @Option(names = {"-q", "--quiet"}, description = "print ids only")
    boolean quiet;

    /** How ids of other objects are shown; set once the command has reached the server. */
    Names names = Names.NONE;

    /** A column: header, how to get its text from an item, and whether only the wide table shows it. */
    record Column(String header, BiFunction<JsonNode, Names, String> value, boolean wideOnly) {
        static Column of(String header, String field) {
            return new Column(header, (n, names) -> text(n.path(field)), false);
        }

        static Column of(String header, Function<JsonNode, String> value) {
            return new Column(header, (n, names) -> value.apply(n), false);
        }

        /** A field holding the id (or ids) of other objects of a kind, shown by name. */
        static Column ref(String header, String field, String kind) {
            return new Column(header, (n, names) -> names.show(kind, n.path(field)), false);
        }

        /** The object's own id: shown in the wide table. */
        static Column id() {
            return new Column("ID", (n, names) -> text(n.path("id")), true);
        }
    }

    boolean table() {
        return format == Format.table || format == Format.wide;
    }

    void items(PrintWriter out, JsonNode items, List<Column> columns) {
        if (quiet) {
            items.forEach(i -> out.println(i.path("id").asText()));
        } else if (table()) {
            table(out, items, shown(columns));
        } else {
            structured(out, items);
        }
        out.flush();
    }

    void item(PrintWriter out, JsonNode item, List<Column> columns) {
        if (quiet) {
            out.println(item.path("id").asText());
        } else if (table()) {
            for (Column c : shown(columns)) {
                out.printf("%-14s %s%n", c.header() + ":", c.value().apply(item, names));
            }
        } else {
            structured(out, item);
        }
        out.flush();
    }

    /** What a change did: one line for people ("group dbsrv created (sg-dbsrv)"), the object for scripts, or its id. */
    void changed(PrintWriter out, String kind, JsonNode item, String verb) {
        String id = item.path("id").asText();
        if (quiet) {
            out.println(id);
        } else if (table()) {
            String name = item.path("name").asText("");
            out.println(kind + " " + (name.isEmpty() ? id : name) + " " + verb + (name.isEmpty() || name.equals(id) ? "" : " (" + id + ")"));
        } else {
            structured(out, item);
        }
        out.flush();
    }

    /** The fields a change set, as "name=web, stateful=false". */
    /** The fields a change sets, as {@code name=value, ...}: the JSON body of its request. */
    static String what(V1Request change) {
        List<String> parts = new ArrayList<>();
        try {
            new ObjectMapper().readTree(change.body()).fields().forEachRemaining(e -> parts.add(e.getKey() + "=" + value(e.getValue())));
        } catch (IOException e) {
            throw new IllegalStateException("a change's body is JSON", e);
        }
        return String.join(", ", parts);
    }

    private static String value(JsonNode v) {
        if (v.isArray()) {
            List<String> items = new ArrayList<>();
            v.forEach(i -> items.add(value(i)));
            return "[" + String.join(", ", items) + "]";
        }
        return v.isNull() ? "null" : v.asText();
    }

    /** What a deletion did ("vnic vif-db1 deleted"); nothing with -q. */
    void deleted(PrintWriter out, String kind, String what) {
        if (!quiet) {
            out.println(kind + " " + what + " deleted");
            out.flush();
        }
    }

    void structured(PrintWriter out, JsonNode node) {
        try {
            ObjectMapper m = format == Format.yaml
                    ? new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)) : new ObjectMapper();
            out.println(m.writerWithDefaultPrettyPrinter().writeValueAsString(node).stripTrailing());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Column> shown(List<Column> columns) {
        return columns.stream().filter(c -> format == Format.wide || !c.wideOnly()).toList();
    }

    private void table(PrintWriter out, JsonNode items, List<Column> columns) {
        List<String[]> rows = new ArrayList<>();
        rows.add(columns.stream().map(Column::header).toArray(String[]::new));
        items.forEach(i -> rows.add(columns.stream().map(c -> c.value().apply(i, names)).toArray(String[]::new)));
        int[] width = new int[columns.size()];
        for (String[] r : rows) {
            for (int k = 0; k < r.length; k++) {
                width[k] = Math.max(width[k], r[k].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < r.length; k++) {
                sb.append(k == r.length - 1 ? r[k] : String.format("%-" + (width[k] + 2) + "s", r[k]));
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    static String text(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return "";
        }
        if (n.isArray()) {
            List<String> parts = new ArrayList<>();
            n.forEach(x -> parts.add(x.isValueNode() ? x.asText() : x.toString()));
            return String.join(",", parts);
        }
        return n.asText();
    }
}
