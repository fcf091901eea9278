package io.stockade.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.stockade.store.Store;
import io.stockade.wire.HubFeeder;
import io.stockade.wire.WatchHub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running controller: store, in-memory world, watch hub and the HTTP APIs. */
public final class StockadeServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StockadeServer.class);

    private final Store store;
    private final Controller controller;
    private final WatchHub hub;
    private final HubFeeder feeder;
    private final Auth auth;
    private final Javalin app;
    private final Path adminTokenFile;

    /** How many past diffs of a host's slice the watch hub keeps: an agent further behind gets a snapshot. */
    public static final int WATCH_HISTORY = 256;

    private StockadeServer(ServerConfig config) {
        this.store = config.dbUrl() == null ? Store.sqlite(config.dataDir()) : Store.postgres(config.dbUrl(), config.dbUser(), config.dbPassword());
        ObjectMapper mapper = new ObjectMapper();
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.controller = new Controller(store, config.policy(), mapper, metrics);
        this.hub = new WatchHub(controller.world(), WATCH_HISTORY);
        this.feeder = new HubFeeder(hub);
        controller.onChange(feeder::offer);
        this.auth = new Auth(store, project -> controller.world().projects().containsKey(project));
        this.adminTokenFile = config.dataDir().resolve("admin.token");
        if (!auth.hasAdmin()) {
            writeAdminToken(auth.create("admin", null, null, "created on first start"));
        }
        if (!store.isSqlite()) {
            Thread sync = new Thread(this::followOtherControllers, "stockade-sync");
            sync.setDaemon(true);
            sync.start();
        }
        Thread statuses = new Thread(this::writeHostStatuses, "stockade-host-status");
        statuses.setDaemon(true);
        statuses.start();
        this.app = new Routes(controller, hub, auth, metrics, config).app();
        if (config.tls() == null) {
            app.start(config.bind(), config.port());
        } else {
            app.start();
        }
        log.info("stockade server listening on {}://{}:{} (profile {}, revision {})", config.tls() == null ? "http" : "https", config.bind(), app.port(),
                config.policy().profile(), controller.world().revision());
    }

    /** Several controllers on one PostgreSQL: wake on NOTIFY (or every second) and catch up. */
    private void followOtherControllers() {
        while (!closed) {
            try {
                store.awaitNotification(1000);
                if (!closed) {
                    controller.catchUp();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("catching up with the store failed: {}", e.getMessage());
            }
        }
    }

    /** Writes the agents' status reports to the store once a second (they are kept in memory as they come). */
    private void writeHostStatuses() {
        while (!closed) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            controller.hostStatuses().flush();
        }
    }

    private volatile boolean closed;

    public static StockadeServer start(ServerConfig config) {
        return new StockadeServer(config);
    }

    private void writeAdminToken(String secret) {
        try {
            Files.createDirectories(adminTokenFile.getParent());
            Files.deleteIfExists(adminTokenFile);
            Files.createFile(adminTokenFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(adminTokenFile, secret + "\n");
            log.info("admin token written to {} (owner-only)", adminTokenFile.toAbsolutePath());
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the admin token to " + adminTokenFile + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return app.port();
    }

    public Controller controller() {
        return controller;
    }

    public WatchHub hub() {
        return hub;
    }

    public Auth auth() {
        return auth;
    }

    public Path adminTokenFile() {
        return adminTokenFile;
    }

    /** Stops taking requests, lets running ones finish, then closes the store. */
    @Override
    public void close() {
        closed = true;
        app.stop();
        feeder.close();
        controller.hostStatuses().flush();
        store.close();
    }

}
