package dev.monoscope.worker.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.monoscope.api.DefectType;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/v1/thumbnail.jpg}: the latest picture, at most {@value Thumbnails#MAX_WIDTH} pixels wide, with its
 * age in {@code Age} (seconds) and {@value #AGE_HEADER} (milliseconds). In signal loss, before the first picture and
 * where nothing decodes pictures it answers 404 with a JSON reason at once, so a mosaic never waits on a dead stream.
 */
final class ThumbnailEndpoint {

    static final String AGE_HEADER = "X-Monoscope-Picture-Age-Ms";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ReportState state;
    private final Thumbnails thumbnails;

    ThumbnailEndpoint(ReportState state, Thumbnails thumbnails) {
        this.state = state;
        this.thumbnails = thumbnails;
    }

    void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            ReportServer.send(ex, 405, "text/plain", "method not allowed\n");
            return;
        }
        if (thumbnails == null) {
            notFound(ex, "no_pictures", "this worker makes no thumbnails");
            return;
        }
        String lost = state.read(r -> r.activeDefects.stream()
                .filter(d -> DefectType.SIGNAL_LOSS.id().equals(d.type))
                .map(d -> d.details == null ? "" : String.valueOf(d.details.getOrDefault("reason", "")))
                .findFirst()
                .orElse(null));
        if (lost != null) {
            notFound(ex, "signal_loss", "signal lost" + (lost.isEmpty() ? "" : ": " + lost));
            return;
        }
        if (!state.read(r -> r.connected)) {
            notFound(ex, "not_connected", "the stream is not connected");
            return;
        }
        Thumbnails.Thumbnail t;
        try {
            t = thumbnails.latest();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            t = null;
        }
        if (t == null) {
            notFound(ex, "no_picture", "no picture decoded yet");
            return;
        }
        long ageMillis = TimeUnit.NANOSECONDS.toMillis(Math.max(0, System.nanoTime() - t.decodedAtNanos()));
        ex.getResponseHeaders().set("Age", Long.toString(ageMillis / 1000));
        ex.getResponseHeaders().set(AGE_HEADER, Long.toString(ageMillis));
        ReportServer.send(ex, 200, "image/jpeg", t.jpeg());
    }

    private static void notFound(HttpExchange ex, String reason, String message) throws IOException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("reason", reason);
        body.put("message", message);
        ReportServer.send(ex, 404, "application/json", JSON.writeValueAsString(body));
    }
}
