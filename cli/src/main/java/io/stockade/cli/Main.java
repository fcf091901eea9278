package io.stockade.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code stockade} command. Every subcommand is registered in {@link #commandLine}; exit codes
 * are 0 (ok), 1 (error) and 2 (usage).
 */
@Command(name = "stockade", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Security-group firewall for virtual machines, enforced with nftables.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given output streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand(new RulesCommand());
        cl.addSubcommand(new ServerCommand());
        cl.addSubcommand(new AgentCommand());
        cl.addSubcommand(new LabCommand());
        cl.addSubcommand(new HostCommand());
        cl.addSubcommand(new GroupCommand());
        cl.addSubcommand(new VnicCommand());
        cl.addSubcommand(new ExplainCommand());
        cl.addSubcommand(new AuditCommand());
        cl.addSubcommand(new ImportCommand());
        cl.addSubcommand(new ImportCommand.Export());
        cl.addSubcommand(new RuleCommand());
        cl.addSubcommand(new IpSetCommand());
        cl.addSubcommand(new ProjectCommand());
        cl.addSubcommand(new NetworkCommand());
        cl.addSubcommand(new InstanceCommand());
        cl.addSubcommand(new WatchCommand());
        cl.addSubcommand(new ContextCommand());
        cl.addSubcommand(new TokenCommand());
        cl.addSubcommand(new CompletionCommand());
        cl.addSubcommand(new LibvirtHookCommand());
        cl.setUsageHelpWidth(HELP_WIDTH);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof Api.Error api && api.field != null) {
                commandLine.getErr().println("stockade: " + flag(commandLine, api.field) + ": " + e.getMessage());
            } else if (e instanceof io.stockade.core.model.ValidationException v && v.field() != null) {
                commandLine.getErr().println("stockade: " + flag(commandLine, v.field()) + ": " + e.getMessage());
            } else {
                commandLine.getErr().println("stockade: " + e.getMessage());
            }
            return 1;
        });
        return cl;
    }

    /** Help is wrapped at this width, once: descriptions are written in lines shorter than it. */
    static final int HELP_WIDTH = 120;

    /** The API's field names that the CLI's flags spell differently. */
    private static final Map<String, String> FLAGS = Map.ofEntries(Map.entry("remoteIpPrefix", "--from"), Map.entry("remoteGroup", "--from-group"),
            Map.entry("remoteIpSet", "--from-ipset"), Map.entry("portRangeMin", "--port"), Map.entry("portRangeMax", "--port"),
            Map.entry("protocol", "--proto"), Map.entry("securityGroups", "--group"), Map.entry("addresses", "--address"),
            Map.entry("version", "--ip-version"), Map.entry("uplinks", "--uplink"), Map.entry("subnets", "--subnet"), Map.entry("gateways", "--gateway"),
            Map.entry("dhcpServers", "--dhcp"), Map.entry("dnsServers", "--dns"), Map.entry("routerMacs", "--router-mac"), Map.entry("rules", "--rule"),
            Map.entry("text", "RULE-TEXT"), Map.entry("entries", "ENTRY"));

    /**
     * How the command the user ran names an API field: its flag ({@code remoteIpPrefix} is
     * {@code --from}, {@code icmpType} is {@code --icmp-type}) or parameter ({@code NAME}), else
     * the field itself.
     */
    static String flag(CommandLine command, String field) {
        String base = field.replaceAll("\\[\\d+]", "").replaceAll("^.*\\.", "");
        var spec = command.getCommandSpec();
        String mapped = FLAGS.get(base);
        String kebab = "--" + base.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
        for (String candidate : mapped == null ? List.of(kebab) : List.of(mapped, kebab)) {
            if (spec.findOption(candidate) != null
                    || spec.positionalParameters().stream().anyMatch(p -> p.paramLabel().equals(candidate))) {
                return candidate;
            }
        }
        String label = base.toUpperCase(java.util.Locale.ROOT);
        return spec.positionalParameters().stream().anyMatch(p -> p.paramLabel().equals(label)) ? label : field;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version from the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("/stockade-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"stockade " + p.getProperty("version", "unknown")};
        }
    }
}
