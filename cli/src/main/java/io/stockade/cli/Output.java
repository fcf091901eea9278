package io.stockade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** How client commands print: a table for people (default), JSON or YAML for scripts, or ids only. */
final class Output {
    enum Format { table, json, yaml }

    @Option(names = {"-o", "--output"}, description = "table (default), json or yaml")
    Format format = Format.table;

    @Option(names = {"-q", "--quiet"}, description = "print ids only")
    boolean quiet;

    /** A column: header and how to get its text from an item. */
    record Column(String header, Function<JsonNode, String> value) {
        static Column of(String header, String field) {
            return new Column(header, n -> text(n.path(field)));
        }
    }

    void items(PrintWriter out, JsonNode items, List<Column> columns) {
        if (quiet) {
            items.forEach(i -> out.println(i.path("id").asText()));
        } else if (format == Format.table) {
            table(out, items, columns);
        } else {
            structured(out, items);
        }
        out.flush();
    }

    void item(PrintWriter out, JsonNode item, List<Column> columns) {
        if (quiet) {
            out.println(item.path("id").asText());
        } else if (format == Format.table) {
            for (Column c : columns) {
                out.printf("%-14s %s%n", c.header() + ":", c.value().apply(item));
            }
        } else {
            structured(out, item);
        }
        out.flush();
    }

    private void structured(PrintWriter out, JsonNode node) {
        try {
            ObjectMapper m = format == Format.json ? new ObjectMapper()
                    : new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
            out.println(m.writerWithDefaultPrettyPrinter().writeValueAsString(node).stripTrailing());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void table(PrintWriter out, JsonNode items, List<Column> columns) {
        List<String[]> rows = new ArrayList<>();
        rows.add(columns.stream().map(Column::header).toArray(String[]::new));
        items.forEach(i -> rows.add(columns.stream().map(c -> c.value().apply(i)).toArray(String[]::new)));
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
