package io.stockade.cli;

import io.stockade.core.policy.Policy;
import io.stockade.server.ServerConfig;
import io.stockade.server.StockadeServer;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stockade server}: the controller, with the embedded SQLite store unless a PostgreSQL URL is given. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Runs the controller: the /v1 API, the watch stream for agents, metrics and health.",
            "Settings come from options, else environment variables (STOCKADE_PORT, STOCKADE_BIND, STOCKADE_DATA_DIR,",
            "STOCKADE_DB_URL, STOCKADE_DB_USER, STOCKADE_DB_PASSWORD, STOCKADE_PROFILE), else the --config file",
            "(keys port, bind, data.dir, db.url, db.user, db.password, policy.profile, policy.KNOB).",
            "", "Examples:", "  stockade server --data-dir /var/lib/stockade",
            "  stockade server --db-url jdbc:postgresql://db:5432/stockade?user=stockade --profile openstack"})
final class ServerCommand implements Callable<Integer> {
    @Option(names = "--config", description = "properties file with the settings")
    Path config;

    @Option(names = "--port", description = "TCP port (default 8750; 0 = any free port)")
    Integer port;

    @Option(names = "--bind", description = "address to listen on (default 127.0.0.1)")
    String bind;

    @Option(names = "--data-dir", description = "where the SQLite file and the admin token live (default ./stockade-data)")
    Path dataDir;

    @Option(names = "--db-url", description = "PostgreSQL JDBC URL; without it the embedded SQLite store is used")
    String dbUrl;

    @Option(names = "--profile", description = "policy profile: wakame (default), openstack, cloudstack, vps-panel")
    String profile;

    @Option(names = "--tls-keystore", description = "serve HTTPS with this PKCS#12 keystore (key and certificate); also STOCKADE_TLS_KEYSTORE")
    Path tlsKeystore;

    @Option(names = "--tls-password", description = "the keystore's password; also STOCKADE_TLS_PASSWORD")
    String tlsPassword;

    @Option(names = "--set", description = "override a policy knob, e.g. --set maxGroupsPerVnic=8")
    Map<String, String> knobs = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        Properties p = new Properties();
        if (config != null) {
            try (Reader r = Files.newBufferedReader(config)) {
                p.load(r);
            }
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        p.stringPropertyNames().stream().filter(k -> k.startsWith("policy.") && !k.equals("policy.profile"))
                .forEach(k -> overrides.put(k.substring(7), p.getProperty(k)));
        overrides.putAll(knobs);
        Policy policy = Policy.of(pick(profile, "STOCKADE_PROFILE", p, "policy.profile", Policy.WAKAME), overrides);
        ServerConfig cfg = new ServerConfig(pick(bind, "STOCKADE_BIND", p, "bind", "127.0.0.1"),
                Integer.parseInt(pick(port == null ? null : port.toString(), "STOCKADE_PORT", p, "port", "8750")),
                Path.of(pick(dataDir == null ? null : dataDir.toString(), "STOCKADE_DATA_DIR", p, "data.dir", "stockade-data")),
                pick(dbUrl, "STOCKADE_DB_URL", p, "db.url", null), pick(null, "STOCKADE_DB_USER", p, "db.user", null),
                pick(null, "STOCKADE_DB_PASSWORD", p, "db.password", null), policy, 1_048_576);
        String keystore = pick(tlsKeystore == null ? null : tlsKeystore.toString(), "STOCKADE_TLS_KEYSTORE", p, "tls.keystore", null);
        if (keystore != null) {
            cfg = cfg.withTls(new ServerConfig.Tls(Path.of(keystore), pick(tlsPassword, "STOCKADE_TLS_PASSWORD", p, "tls.password", "")));
        }
        StockadeServer server = StockadeServer.start(cfg);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    static String pick(String option, String env, Properties p, String key, String dflt) {
        if (option != null) {
            return option;
        }
        String e = System.getenv(env);
        if (e != null && !e.isBlank()) {
            return e;
        }
        return p.getProperty(key, dflt);
    }

    static String readToken(Path file) throws IOException {
        return Files.readString(file).strip();
    }
}
