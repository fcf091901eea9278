package io.stockade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fresh-machine path of {@code bin/test} and {@code bin/stockade}, as far as it can be checked
 * on a machine that is not fresh: every program the scripts run comes from a package of
 * {@code bin/packages} (or what those pull in) or from Debian's essential and required packages,
 * which a fresh Debian has; and {@code bin/ensure-packages} names what is missing, for the uses
 * asked, when it cannot install it.
 */
class BinScriptsTest {
    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    static final List<String> SCRIPTS = List.of("bin/test", "bin/stockade", "bin/ensure-packages", "bin/java-home");

    private static String sh(String script, String... args) throws Exception {
        String[] argv = new String[args.length + 3];
        argv[0] = "bash";
        argv[1] = "-c";
        argv[2] = script;
        System.arraycopy(args, 0, argv, 3, args.length);
        CliProcess r = CliProcess.run(Map.of("PATH", System.getenv("PATH")), argv);
        return r.out().strip();
    }

    /** bin/packages as package → use (build, lab, test). */
    static Map<String, String> packages() throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(ROOT.resolve("bin/packages"))) {
            String[] w = line.strip().split("\\s+");
            if (!line.isBlank() && !line.startsWith("#")) {
                out.put(w[0], w[1]);
            }
        }
        return out;
    }

    @Test
    void everyProgramTheScriptsRunComesFromBinPackagesOrABaseDebian() throws Exception {
        assertThat(packages().values()).allMatch(List.of("build", "lab", "test")::contains);
        for (String s : SCRIPTS) {
            assertThat(sh("bash -n \"$0\" && echo ok", ROOT.resolve(s).toString())).as(s + " parses").isEqualTo("ok");
        }
        // The words the scripts could run (outside comments) that are programs on this machine, and their packages.
        Set<String> words = new TreeSet<>();
        for (String s : SCRIPTS) {
            for (String line : Files.readAllLines(ROOT.resolve(s))) {
                // Not comments, single-quoted arguments (sed scripts, formats) or what echo says.
                String code = line.replaceFirst("(^|\\s)#.*$", "").replaceAll("'[^']*'", "").replaceAll("echo\\s+\"[^\"]*\"", "echo");
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?<![\\w.$/{-])[a-z][a-z0-9_-]*(?![\\w/.=-])").matcher(code);
                while (m.find()) {
                    words.add(m.group());
                }
            }
        }
        Map<String, String> programs = new LinkedHashMap<>();
        for (String w : words) {
            String type = sh("type -t \"$0\" || true", w);
            if (type.equals("file")) {
                // The package that owns it, by its path or (merged /usr) the path dpkg knows it by.
                String owner = sh("for f in \"$(command -v \"$0\")\" \"$(readlink -f \"$(command -v \"$0\")\")\" /bin/\"$0\" /sbin/\"$0\" /usr/bin/\"$0\" /usr/sbin/\"$0\"; do "
                        + "dpkg -S \"$f\" 2>/dev/null | grep -q \": $f\\$\" && { dpkg -S \"$f\" | grep \": $f\\$\" | head -1 | cut -d: -f1; break; }; done", w);
                programs.put(w, owner);
            }
        }
        assertThat(programs).as("the programs the scripts run").containsKeys("mvn", "dpkg-query", "apt-get", "pg_isready", "psql", "runuser", "sed", "find");
        Set<String> provided = closure(packages().keySet());
        Map<String, String> unprovided = new LinkedHashMap<>();
        programs.forEach((program, pkg) -> {
            if (pkg.isEmpty() || !(provided.contains(pkg) || base(pkg))) {
                unprovided.put(program, pkg.isEmpty() ? "(no package owns it here)" : pkg);
            }
        });
        assertThat(unprovided).as("programs of bin/test and bin/stockade that a fresh Debian lacks and bin/packages does not install").isEmpty();
    }

    /** Whether a fresh Debian has the package: essential, or of required priority (what debootstrap installs). */
    private static boolean base(String pkg) {
        try {
            String f = sh("dpkg-query -W -f='${Essential} ${Priority}' \"$0\" 2>/dev/null", pkg);
            return f.startsWith("yes") || f.endsWith("required");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The packages and everything they depend on, as installed here (Depends and Pre-Depends, any alternative). */
    private static Set<String> closure(Set<String> roots) throws Exception {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            String p = todo.pop();
            if (!seen.add(p)) {
                continue;
            }
            String deps = sh("dpkg-query -W -f='${Depends}, ${Pre-Depends}' \"$0\" 2>/dev/null || true", p);
            for (String d : deps.split("[,|]")) {
                String name = d.strip().replaceFirst("[\\s(:].*$", "");
                if (!name.isEmpty()) {
                    todo.push(name);
                }
            }
        }
        return seen;
    }

    /** On a machine that has none of them, and not as root: it names, once, the packages the uses need, and installs nothing. */
    @Test
    void ensurePackagesNamesWhatAFreshMachineMisses(@TempDir Path dir) throws Exception {
        Path fake = Files.createDirectories(dir.resolve("bin"));
        for (String[] f : List.of(new String[] {"dpkg-query", "exit 1"}, new String[] {"id", "echo 1000"}, new String[] {"apt-get", "echo apt-get ran >&2; exit 9"})) {
            Path p = fake.resolve(f[0]);
            Files.writeString(p, "#!/bin/sh\n" + f[1] + "\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Map<String, String> env = Map.of("PATH", fake + ":" + System.getenv("PATH"));
        CliProcess lab = CliProcess.run(env, ROOT.resolve("bin/ensure-packages").toString(), "build", "lab");
        assertThat(lab.exit()).isEqualTo(1);
        List<String> buildAndLab = packages().entrySet().stream().filter(e -> !e.getValue().equals("test")).map(Map.Entry::getKey).toList();
        assertThat(lab.err()).startsWith("stockade: missing Debian packages: " + String.join(" ", buildAndLab) + "\n")
                .contains("sudo apt-get install --no-install-recommends " + String.join(" ", buildAndLab)).doesNotContain("apt-get ran");
        CliProcess all = CliProcess.run(env, ROOT.resolve("bin/ensure-packages").toString(), "build", "lab", "test");
        assertThat(all.err()).startsWith("stockade: missing Debian packages: " + String.join(" ", packages().keySet()) + "\n");
        assertThat(Files.readString(ROOT.resolve("bin/test"))).contains("bin/ensure-packages\" build lab test");
        assertThat(Files.readString(ROOT.resolve("bin/stockade"))).contains("bin/ensure-packages\" build lab");
    }
}
