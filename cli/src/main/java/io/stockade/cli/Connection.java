package io.stockade.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How a client command reaches the server: options, else STOCKADE_URL / STOCKADE_TOKEN / STOCKADE_TOKEN_FILE. */
final class Connection {
    @Option(names = "--server", description = "server URL (default $STOCKADE_URL, else http://127.0.0.1:8750)")
    String server;

    @Option(names = "--token", description = "bearer token (default $STOCKADE_TOKEN)")
    String token;

    @Option(names = "--token-file", description = "file holding the token (default $STOCKADE_TOKEN_FILE)")
    Path tokenFile;

    /** Options first, then environment variables, then the current context of the config file. */
    Api api() throws IOException {
        com.fasterxml.jackson.databind.JsonNode ctx = ContextCommand.load();
        ctx = ctx.path("contexts").path(ctx.path("current").asText());
        String url = server != null ? server : env("STOCKADE_URL", ctx.path("server").asText("http://127.0.0.1:8750"));
        String t = token != null ? token : System.getenv("STOCKADE_TOKEN") != null ? System.getenv("STOCKADE_TOKEN") : ctx.path("token").asText(null);
        Path file = tokenFile != null ? tokenFile : System.getenv("STOCKADE_TOKEN_FILE") != null ? Path.of(System.getenv("STOCKADE_TOKEN_FILE"))
                : ctx.has("tokenFile") ? Path.of(ctx.path("tokenFile").asText()) : null;
        if (t == null && file != null) {
            t = Files.readString(file).strip();
        }
        return new Api(URI.create(url.endsWith("/") ? url : url + "/"), t);
    }

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v;
    }
}
