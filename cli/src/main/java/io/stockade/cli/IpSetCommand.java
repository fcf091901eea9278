package io.stockade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.IpVersion;
import io.stockade.server.command.IpSetCommand.AddEntries;
import io.stockade.server.command.IpSetCommand.CreateIpSet;
import io.stockade.server.command.IpSetCommand.DeleteIpSet;
import io.stockade.server.command.IpSetCommand.Entry;
import io.stockade.server.command.IpSetCommand.RemoveEntries;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stockade ipset}: named CIDR lists that rules use as a remote. */
@Command(name = "ipset", mixinStandardHelpOptions = true, description = "Ip sets: list, show, create, add, remove, delete.",
        subcommands = {IpSetCommand.ListSets.class, IpSetCommand.Show.class, IpSetCommand.Create.class, IpSetCommand.Add.class,
            IpSetCommand.Remove.class, IpSetCommand.Delete.class})
final class IpSetCommand extends Noun {

    static final List<Output.Column> COLUMNS = List.of(Output.Column.id(), Output.Column.of("NAME", "name"),
            Output.Column.ref("PROJECT", "project", "projects"), Output.Column.of("VERSION", "version"),
            Output.Column.of("ENTRIES", n -> String.join(",", n.path("entries").findValuesAsText("cidr"))),
            Output.Column.ref("USED BY", "usedBy", "security-groups"));

    /** Entries as typed: the server reads each (skipping duplicates, reporting the ones it cannot take). */
    static List<Entry> entries(List<String> texts) {
        return texts.stream().map(t -> new Entry(t, "")).toList();
    }

    static String path(String set) {
        return "v1/ip-sets/" + URLEncoder.encode(set, StandardCharsets.UTF_8);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {"Lists ip sets.", "", "Example:", "  stockade ipset list"})
    static final class ListSets extends GroupCommand.Verb {
        @Override
        public Integer call() throws Exception {
            return list("ip-sets", COLUMNS);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = {"Shows an ip set, its entries and the groups whose rules use it.", "", "Example:", "  stockade ipset show office"})
    static final class Show extends GroupCommand.Verb {
        @Parameters(paramLabel = "IPSET", description = "ip set id or name")
        String set;

        @Override
        public Integer call() throws Exception {
            return show(path(set), COLUMNS);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = {"Creates an ip set.", "", "Example:", "  stockade ipset create office --ip-version 4 198.51.100.0/24 203.0.113.7"})
    static final class Create extends GroupCommand.Verb {
        @Parameters(index = "0", paramLabel = "NAME", description = "the ip set's name")
        String name;

        @Parameters(index = "1..*", paramLabel = "ENTRY", description = "addresses or CIDRs to start with")
        List<String> entries = List.of();

        @Option(names = "--ip-version", defaultValue = "4", description = "4 (default) or 6")
        int version;

        @Option(names = "--project", description = "project id or name (admins)")
        String project;

        @Option(names = "--description", description = "what the addresses are")
        String description;

        @Override
        public Integer call() throws Exception {
            output.changed(out(), "ipset", api().send(command()), "created");
            return 0;
        }

        CreateIpSet command() {
            return new CreateIpSet(null, name, description, project, IpVersion.ofNumber(version, "version"), false, entries(entries));
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Adds entries in bulk: duplicates are skipped, invalid ones listed with the reason (exit 1 if any).", "", "Example:",
                "  stockade ipset add office 198.51.100.0/24 192.0.2.5"})
    static final class Add extends GroupCommand.Verb {
        @Parameters(index = "0", paramLabel = "IPSET", description = "ip set id or name")
        String set;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "ENTRY", description = "addresses or CIDRs")
        List<String> entries;

        @Override
        public Integer call() throws Exception {
            JsonNode r = api().send(new AddEntries(set, entries(entries)));
            if (output.table()) {
                r.path("added").forEach(c -> out().println("added      " + c.asText()));
                r.path("duplicates").forEach(c -> out().println("duplicate  " + c.asText()));
                r.path("invalid").forEach(c -> out().println("invalid    " + c.path("entry").asText() + ": " + c.path("reason").asText()));
            } else {
                output.item(out(), r, List.of());
            }
            out().flush();
            return r.path("invalid").isEmpty() ? 0 : 1;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = {"Removes entries.", "", "Example:", "  stockade ipset remove office 203.0.113.7"})
    static final class Remove extends GroupCommand.Verb {
        @Parameters(index = "0", paramLabel = "IPSET", description = "ip set id or name")
        String set;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "ENTRY", description = "addresses or CIDRs")
        List<String> entries;

        @Override
        public Integer call() throws Exception {
            output.changed(out(), "ipset", api().send(command()), "entries removed: " + String.join(",", entries));
            return 0;
        }

        /** The entries to remove, each read as a CIDR (a bare address as its host route), as the server reads them. */
        RemoveEntries command() {
            List<Cidr> cidrs = new java.util.ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                cidrs.add(Cidr.parseLoose(entries.get(i), "entries[" + i + "]").cidr());
            }
            return new RemoveEntries(set, cidrs);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = {"Deletes an ip set no rule uses.", "", "Example:", "  stockade ipset delete office"})
    static final class Delete extends GroupCommand.Verb {
        @Parameters(paramLabel = "IPSET", description = "ip set id or name")
        String set;

        @Override
        public Integer call() throws Exception {
            api().send(new DeleteIpSet(set));
            output.deleted(out(), "ipset", set);
            return 0;
        }
    }
}
