package io.stockade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code stockade completion bash}: a completion script for the shell, which completes commands
 * and flags, and the names of objects (groups, vnics, hosts…) by asking the server through
 * {@code stockade completion names KIND}.
 */
@Command(name = "completion", mixinStandardHelpOptions = true, description = {"Prints a shell completion script (commands, flags and object names).", "",
    "Example:", "  source <(stockade completion bash)"}, subcommands = {CompletionCommand.Bash.class, CompletionCommand.Names.class})
final class CompletionCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing shell: stockade completion bash (zsh loads it too, with bashcompinit)");
    }

    /** Completes object names where a command or flag takes them, else what picocli's script completes. */
    private static final String NAMES = """

            # Object names come from the server (the same --server, --token and context as the command).
            function _stockade_names() {
              local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" kind=""
              if [[ "$cur" != -* && $COMP_CWORD -ge 3 && "${COMP_WORDS[2]}" != create && "${COMP_WORDS[2]}" != list ]]; then
                case "${COMP_WORDS[1]}" in
                  group|rule) kind=security-groups ;;
                  vnic) kind=vnics; case "${COMP_WORDS[2]}" in attach|detach|set-groups) (( COMP_CWORD >= 4 )) && kind=security-groups ;; esac ;;
                  instance) kind=instances; [[ "${COMP_WORDS[2]}" == set-groups ]] && (( COMP_CWORD >= 4 )) && kind=security-groups ;;
                  host) kind=hosts ;;
                  ipset) kind=ip-sets ;;
                  project) kind=projects ;;
                  network) kind=networks ;;
                esac
              fi
              case "$prev" in
                --project) kind=projects ;;
                --host) kind=hosts ;;
                --group|--from-group) kind=security-groups ;;
                --instance) kind=instances ;;
                --from-ipset) kind=ip-sets ;;
                --network) kind=networks ;;
                --from|--to) [[ "${COMP_WORDS[1]}" == explain ]] && kind=vnics ;;
              esac
              if [[ -n "$kind" ]]; then
                COMPREPLY=( $(compgen -W "$("${COMP_WORDS[0]}" completion names "$kind" 2>/dev/null)" -- "$cur") )
                return 0
              fi
              _complete_stockade "$@"
            }
            complete -F _stockade_names -o default stockade
            """;

    @Command(name = "bash", aliases = "zsh", mixinStandardHelpOptions = true, description = {"Prints the completion script for bash (zsh loads it too, with bashcompinit).",
        "", "Example:", "  source <(stockade completion bash)"})
    static final class Bash implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(AutoComplete.bash("stockade", spec.root().commandLine()) + NAMES);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "names", mixinStandardHelpOptions = true, description = {"Prints the names of the objects of a kind, one a line (the completion script uses it).",
        "", "Example:", "  stockade completion names security-groups"})
    static final class Names extends GroupCommand.Verb {
        static final List<String> KINDS = List.of("projects", "hosts", "security-groups", "ip-sets", "vnics", "instances", "networks");

        @Parameters(paramLabel = "KIND", description = "projects, hosts, security-groups, ip-sets, vnics, instances or networks")
        String kind;

        @Override
        public Integer call() throws Exception {
            if (!KINDS.contains(kind)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "KIND: expected one of " + String.join(", ", KINDS) + ", got '" + kind + "'");
            }
            java.util.Set<String> names = new java.util.TreeSet<>();
            for (JsonNode o : api().get("v1/" + kind + "?limit=1000").path("items")) {
                String name = o.path("name").asText("");
                names.add(name.isEmpty() || name.contains(" ") ? o.path("id").asText() : name);
            }
            names.forEach(out()::println);
            out().flush();
            return 0;
        }
    }
}
