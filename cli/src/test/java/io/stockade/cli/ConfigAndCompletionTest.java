package io.stockade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.server.ServerConfig;
import io.stockade.server.StockadeServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as a process of its own against a real server: where it keeps its contexts
 * ($STOCKADE_CONFIG, else $XDG_CONFIG_HOME/stockade, else $HOME/.config/stockade, owner-only), and
 * the bash completion script, sourced in a real bash, completing object names from the server.
 */
class ConfigAndCompletionTest {
    @TempDir
    static Path dir;
    static StockadeServer server;
    static String url;
    static String token;
    static Path bin;

    @BeforeAll
    static void up() throws Exception {
        server = StockadeServer.start(ServerConfig.sqlite(Files.createDirectories(dir.resolve("server")), 0));
        url = "http://127.0.0.1:" + server.port();
        token = Files.readString(server.adminTokenFile()).strip();
        bin = Files.createDirectories(dir.resolve("bin"));
        CliProcess.script(bin);
        List<List<String>> setup = List.of(List.of("project", "create", "acme"), List.of("host", "create", "hv07"), List.of("host", "create", "hv08"),
                List.of("group", "create", "web", "--project", "acme"), List.of("group", "create", "db", "--project", "acme"),
                List.of("vnic", "create", "--name", "shop1-eth0", "--project", "acme", "--mac", "52:54:00:00:07:01"));
        for (List<String> args : setup) {
            CliRun r = CliRun.against(url, token, args.toArray(String[]::new));
            assertThat(r.exit()).as(r.err()).isZero();
        }
    }

    @AfterAll
    static void down() {
        server.close();
    }

    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private static CliProcess stockade(Map<String, String> env, String... args) throws Exception {
        String[] argv = new String[args.length + 1];
        argv[0] = bin.resolve("stockade").toString();
        System.arraycopy(args, 0, argv, 1, args.length);
        CliProcess r = CliProcess.run(env, argv);
        assertThat(r.exit()).as("stockade %s: %s", String.join(" ", args), r.err()).isZero();
        return r;
    }

    @Test
    void contextsGoToXdgConfigHomeElseHomeAndStockadeConfigWins() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home1"));
        Path xdg = dir.resolve("xdg");
        Map<String, String> withXdg = env("HOME", home.toString(), "XDG_CONFIG_HOME", xdg.toString());
        assertThat(stockade(withXdg, "context", "add", "lab", "--server", url, "--token", token).out()).isEqualTo("context lab added (current)\n");
        Path xdgFile = xdg.resolve("stockade/config.json");
        assertThat(xdgFile).exists();
        assertThat(Files.getPosixFilePermissions(xdgFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(home.resolve(".config")).doesNotExist();
        assertThat(stockade(withXdg, "group", "list").out()).contains("web").contains("db");

        // No XDG_CONFIG_HOME, or a relative one (the XDG spec says to ignore it): $HOME/.config/stockade.
        Map<String, String> homeOnly = env("HOME", home.toString());
        assertThat(stockade(homeOnly, "context", "list").out()).as("the XDG file is not read without XDG_CONFIG_HOME").isEmpty();
        stockade(homeOnly, "context", "add", "home", "--server", url, "--token", token);
        Path homeFile = home.resolve(".config/stockade/config.json");
        assertThat(homeFile).exists();
        assertThat(Files.getPosixFilePermissions(homeFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(stockade(env("HOME", home.toString(), "XDG_CONFIG_HOME", "relative/dir"), "context", "list").out()).contains("home").doesNotContain("lab");
        assertThat(stockade(homeOnly, "host", "list", "-q").out().lines()).hasSize(2);

        // STOCKADE_CONFIG names the file itself, whatever XDG_CONFIG_HOME and HOME say.
        Path own = dir.resolve("own.json");
        Map<String, String> explicit = env("HOME", home.toString(), "XDG_CONFIG_HOME", xdg.toString(), "STOCKADE_CONFIG", own.toString());
        stockade(explicit, "context", "add", "own", "--server", url, "--token", token);
        assertThat(stockade(explicit, "context", "list").out()).contains("own").doesNotContain("lab").doesNotContain("home");
        assertThat(Files.readString(xdgFile)).doesNotContain("own");

        assertThat(stockade(homeOnly, "context", "--help").out()).contains("$XDG_CONFIG_HOME/stockade/config.json").contains("~/.config/stockade/config.json");
    }

    /** COMPREPLY after the completion function ran on the words typed so far (the last one being completed). */
    private static List<String> complete(String... words) throws Exception {
        StringBuilder typed = new StringBuilder();
        for (String w : words) {
            typed.append(" '").append(w).append('\'');
        }
        String script = "source <(stockade completion bash)\n"
                + "COMP_WORDS=(" + typed + ")\nCOMP_CWORD=" + (words.length - 1) + "\nCOMP_LINE=\"${COMP_WORDS[*]}\"\nCOMP_POINT=${#COMP_LINE}\n"
                + "fn=$(complete -p stockade | sed -E 's/.*-F ([^ ]+).*/\\1/')\n"
                + "\"$fn\" stockade \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\"\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        CliProcess r = CliProcess.run(env("PATH", bin + ":" + System.getenv("PATH"), "HOME", dir.toString(), "STOCKADE_URL", url, "STOCKADE_TOKEN", token),
                "bash", "-c", script);
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out().lines().filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void bashCompletesObjectNamesFromTheServer() throws Exception {
        assertThat(complete("stockade", "group", "show", "")).containsExactlyInAnyOrder("db", "web");
        assertThat(complete("stockade", "group", "show", "w")).containsExactly("web");
        assertThat(complete("stockade", "vnic", "list", "--host", "")).containsExactlyInAnyOrder("hv07", "hv08");
        assertThat(complete("stockade", "vnic", "attach", "shop1-eth0", "")).containsExactlyInAnyOrder("db", "web");
        assertThat(complete("stockade", "vnic", "show", "s")).containsExactly("shop1-eth0");
        assertThat(complete("stockade", "project", "show", "")).containsExactly("acme");
        assertThat(complete("stockade", "gro")).as("commands still complete as picocli's script does").containsExactly("group");
    }
}
