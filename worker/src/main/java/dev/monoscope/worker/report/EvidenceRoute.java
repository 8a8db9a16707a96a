package dev.monoscope.worker.report;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code GET /api/v1/evidence/<file>}: one file of the evidence folder, by a name of the form the worker gives them
 * ({@link EvidenceFolder#find}); anything else (another name, a path, an encoded slash or dot) is not found.
 */
final class EvidenceRoute {

    static final String PREFIX = "/api/v1/evidence/";

    private final EvidenceFolder folder;

    EvidenceRoute(EvidenceFolder folder) {
        this.folder = folder;
    }

    void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                reply(ex, 405, "method not allowed\n");
                return;
            }
            String raw = ex.getRequestURI().getRawPath(); // raw: an encoded "/" or "." never matches a name
            Optional<Path> file =
                    raw.startsWith(PREFIX) ? folder.find(raw.substring(PREFIX.length())) : Optional.empty();
            if (file.isEmpty()) {
                reply(ex, 404, "not found\n");
                return;
            }
            String name = file.get().getFileName().toString();
            ex.getResponseHeaders().set("Content-Type", contentType(name));
            ex.getResponseHeaders().set("Content-Disposition", "inline; filename=\"" + name + "\"");
            long size;
            try {
                size = Files.size(file.get());
            } catch (IOException e) {
                reply(ex, 404, "not found\n"); // removed meanwhile (the folder's cap)
                return;
            }
            boolean head = "HEAD".equals(method);
            ex.sendResponseHeaders(200, head ? -1 : size);
            if (!head) {
                try (OutputStream out = ex.getResponseBody()) {
                    Files.copy(file.get(), out);
                }
            }
        }
    }

    private static String contentType(String name) {
        if (name.endsWith(".jpg")) {
            return "image/jpeg";
        }
        return name.endsWith(".mp4") ? "video/mp4" : "video/mp2t";
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
