package io.stockade.deb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The [Service] section of an installed unit file, and its command line as systemd builds it:
 * Environment= first, then EnvironmentFile= (a leading '-' lets it be missing; its lines win),
 * then ExecStart= with {@code ${VAR}} as one word and {@code $VAR} split at white space.
 */
record SystemdUnit(String user, Map<String, String> environment, List<String> execStart) {
    private static final Pattern VAR = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");

    static SystemdUnit read(Path unit) throws IOException {
        String user = null;
        String exec = null;
        Map<String, String> env = new LinkedHashMap<>();
        List<String> envFiles = new ArrayList<>();
        boolean service = false;
        for (String raw : Files.readAllLines(unit)) {
            String line = raw.strip();
            if (line.startsWith("[")) {
                service = line.equals("[Service]");
                continue;
            }
            if (!service || line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String key = line.substring(0, line.indexOf('='));
            String value = line.substring(line.indexOf('=') + 1);
            switch (key) {
                case "User" -> user = value;
                case "Environment" -> env.put(value.substring(0, value.indexOf('=')), value.substring(value.indexOf('=') + 1));
                case "EnvironmentFile" -> envFiles.add(value);
                case "ExecStart" -> exec = value;
                default -> { }
            }
        }
        for (String f : envFiles) {
            Path file = Path.of(f.startsWith("-") ? f.substring(1) : f);
            if (!Files.exists(file) && f.startsWith("-")) {
                continue;
            }
            for (String l : Files.readAllLines(file)) {
                String s = l.strip();
                if (!s.isEmpty() && !s.startsWith("#") && s.contains("=")) {
                    env.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
                }
            }
        }
        List<String> argv = new ArrayList<>();
        for (String word : exec.split("\\s+")) {
            Matcher m = VAR.matcher(word);
            if (m.matches() && m.group(2) != null) {
                String v = env.getOrDefault(m.group(2), "").strip();
                if (!v.isEmpty()) {
                    argv.addAll(List.of(v.split("\\s+")));
                }
            } else {
                argv.add(m.replaceAll(r -> Matcher.quoteReplacement(env.getOrDefault(r.group(1) != null ? r.group(1) : r.group(2), ""))));
            }
        }
        return new SystemdUnit(user, Map.copyOf(env), List.copyOf(argv));
    }

    /** A process as systemd would start it: as User= (with its groups), in /, with a clean environment. */
    ProcessBuilder process() {
        List<String> cmd = new ArrayList<>();
        if (user != null) {
            cmd.addAll(List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", "--"));
        }
        cmd.addAll(execStart);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(new java.io.File("/"));
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        pb.environment().putAll(environment);
        return pb;
    }
}
