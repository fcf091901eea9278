package io.stockade.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How a client command reaches the server: options, else STOCKADE_URL / STOCKADE_TOKEN / STOCKADE_TOKEN_FILE. */
final class Connection {
    @Option(names = "--server", paramLabel = "URL", description = "server URL (default $STOCKADE_URL, else http://127.0.0.1:8750)")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN", description = "bearer token (default $STOCKADE_TOKEN)")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", description = "file holding the token (default $STOCKADE_TOKEN_FILE)")
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
            t = readToken(file);
        }
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new Api.Error(0, "--server: expected a URL starting with http:// or https://, got '" + url + "'", null);
        }
        return new Api(URI.create(url.endsWith("/") ? url : url + "/"), t);
    }

    private static String readToken(Path file) {
        try {
            String t = Files.readString(file).strip();
            if (t.isEmpty()) {
                throw new Api.Error(0, "--token-file " + file + ": the file is empty", null);
            }
            return t;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new Api.Error(0, "--token-file " + file + ": no such file", null);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new Api.Error(0, "--token-file " + file + ": permission denied", null);
        } catch (IOException e) {
            throw new Api.Error(0, "--token-file " + file + ": cannot read it (" + e.getMessage() + ")", null);
        }
    }

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v;
    }
}
