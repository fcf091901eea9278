package io.stockade.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code stockade completion bash}: a completion script for the shell. */
@Command(name = "completion", mixinStandardHelpOptions = true, description = {"Prints a shell completion script.", "", "Example:", "  source <(stockade completion bash)"})
final class CompletionCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash (zsh loads it too, with bashcompinit)")
    String shell;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "only bash and zsh are supported, got '" + shell + "'");
        }
        spec.commandLine().getOut().print(AutoComplete.bash("stockade", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
