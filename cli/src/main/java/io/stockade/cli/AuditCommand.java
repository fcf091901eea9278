package io.stockade.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stockade audit}: the change log. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = {"Prints the change log: revision, time, who, what.", "", "Example:", "  stockade audit --since 120"})
final class AuditCommand extends GroupCommand.Verb {
    @Option(names = "--since", defaultValue = "0", description = "only changes after this revision")
    long since;

    @Option(names = "--limit", defaultValue = "100")
    int limit;

    @Override
    public Integer call() throws Exception {
        output.items(out(), connection.api().get("v1/audit?since=" + since + "&limit=" + limit).path("items"), List.of(
                Output.Column.of("REVISION", "revision"), Output.Column.of("AT", "at"), Output.Column.of("ACTOR", "actor"),
                Output.Column.of("ACTION", "action"), Output.Column.of("OBJECT", "object"),
                new Output.Column("WHAT", n -> n.path("detail").path("what").asText())));
        return 0;
    }
}
