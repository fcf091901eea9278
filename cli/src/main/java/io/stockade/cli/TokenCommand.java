package io.stockade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.stockade.server.Caller;
import io.stockade.server.command.AdminCommand.CreateToken;
import io.stockade.server.command.AdminCommand.RevokeToken;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stockade token}: the API's bearer tokens (admins). */
@Command(name = "token", mixinStandardHelpOptions = true, description = "API tokens (admins): create, list, revoke.",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand extends Noun {

    static final List<Output.Column> COLUMNS = List.of(Output.Column.of("ID", "id"), Output.Column.of("ROLE", "role"),
            Output.Column.ref("PROJECT", "project", "projects"), Output.Column.of("HOST", "host"), Output.Column.of("CREATED", "createdAt"),
            Output.Column.of("DESCRIPTION", "description"));

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Creates a token and prints its secret (shown this once) on standard output.", "", "Examples:",
                "  stockade token create --role member --project demo --description 'ci' > demo.token",
                "  stockade token create --role host --host hv01 > /etc/stockade/host.token"})
    static final class Create extends GroupCommand.Verb {
        @Option(names = "--role", required = true, description = "admin, member (of a --project) or host (the agent of a --host)")
        String role;

        @Option(names = "--project", description = "with --role member: the project (id or name)")
        String project;

        @Option(names = "--host", description = "with --role host: the host (id or name)")
        String host;

        @Option(names = "--description", description = "what or who the token is for")
        String description;

        @Override
        public Integer call() throws Exception {
            if (role.equals("member") && project == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--project: a member token needs the project it may act in");
            }
            if (role.equals("host") && host == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--host: a host token needs the host whose agent uses it");
            }
            JsonNode t = api().send(command(host == null ? null : api().get(HostCommand.path(host)).path("name").asText()));
            if (output.table() || output.quiet) {
                out().println(t.path("token").asText());
                if (!output.quiet) {
                    spec.commandLine().getErr().println("stockade: " + role + " token created"
                            + (project != null ? " for project " + project : host != null ? " for host " + host : "") + "; its secret is shown only this once");
                }
            } else {
                output.structured(out(), t);
            }
            out().flush();
            return 0;
        }

        /** The token to make, for the host of that name (the agent's --host): a role the server does not know is refused naming --role. */
        CreateToken command(String hostName) {
            Caller.Role r = java.util.Arrays.stream(Caller.Role.values()).filter(x -> x.name().equalsIgnoreCase(role)).findFirst()
                    .orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(), "--role: must be admin, service, auditor, member or host, got '"
                            + role + "'"));
            return new CreateToken(r, r == Caller.Role.MEMBER ? project : null, r == Caller.Role.HOST ? hostName : null, description);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {"Lists tokens (never their secrets).", "", "Example:", "  stockade token list"})
    static final class ListTokens extends GroupCommand.Verb {
        @Override
        public Integer call() throws Exception {
            output.items(out(), api().get("v1/tokens").path("items"), COLUMNS);
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = {"Revokes tokens: they stop working at once.", "", "Example:", "  stockade token revoke tok-abc123"})
    static final class Revoke extends GroupCommand.Verb {
        @Parameters(paramLabel = "TOKEN-ID", arity = "1..*", description = "token ids (stockade token list shows them)")
        List<String> tokens;

        @Override
        public Integer call() throws Exception {
            for (String t : tokens) {
                api().send(new RevokeToken(t));
                if (!output.quiet) {
                    out().println("token " + t + " revoked");
                }
            }
            out().flush();
            return 0;
        }
    }
}
