package io.stockade.cli;

import picocli.CommandLine;

/** A command whose work is done by its subcommands (group, host, vnic…): run without one, it names them. */
abstract class Noun implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand ("
                + String.join(", ", new java.util.LinkedHashSet<>(spec.subcommands().values().stream().map(CommandLine::getCommandName).toList())) + ")");
    }
}
