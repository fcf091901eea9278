package io.stockade.cli;

import io.stockade.core.ruletext.RuleText;
import io.stockade.core.ruletext.RuleTextError;
import io.stockade.core.ruletext.RuleTextException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code stockade rules ...}: work with Wakame-vdc rule text offline. */
@Command(name = "rules", description = "Work with rule text (Wakame-vdc syntax) offline.",
        mixinStandardHelpOptions = true, subcommands = {RulesCommand.Check.class})
final class RulesCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: rules check");
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Reads rule text and prints its canonical form, or each error as FILE:LINE:COL: message (exit 1).",
                "", "Example:", "  printf 'tcp: 22, 22, ip4:0.0.0.0\\n' | stockade rules check -"})
    static final class Check implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", defaultValue = "-", paramLabel = "FILE|-", description = "the rule text; - (the default) reads standard input")
        String file;

        @Override
        public Integer call() throws IOException {
            String name = file.equals("-") ? "<stdin>" : file;
            String text;
            try {
                text = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : Files.readString(Path.of(file));
            } catch (NoSuchFileException e) {
                spec.commandLine().getErr().println("stockade: " + file + ": no such file");
                return 1;
            }
            try {
                spec.commandLine().getOut().print(RuleText.print(RuleText.parse(text)));
                spec.commandLine().getOut().flush();
                return 0;
            } catch (RuleTextException e) {
                for (RuleTextError err : e.errors()) {
                    spec.commandLine().getErr().println(name + ":" + err);
                }
                spec.commandLine().getErr().flush();
                return 1;
            }
        }
    }
}
