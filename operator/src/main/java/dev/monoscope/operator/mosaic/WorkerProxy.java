package dev.monoscope.operator.mosaic;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.worker.AudioLevel;
import dev.monoscope.api.worker.WorkerReport;
import dev.monoscope.operator.OperatorConfig;
import dev.monoscope.operator.pods.WorkerPods;
import dev.monoscope.operator.reports.ReportFetcher;
import io.fabric8.kubernetes.api.model.Pod;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Fetches a stream's thumbnail and live readings from one of its worker pods, by the pod's IP, on the browser's
 * behalf: the browser talks only to the operator. The same limits as report polling ({@link ReportFetcher}: a body
 * of at most 1 MiB, whole within a deadline) and at most {@value #MAX_IN_FLIGHT} requests at once, past which the
 * mosaic is told to come back later rather than queue.
 */
@Singleton
public class WorkerProxy {

    static final int MAX_IN_FLIGHT = 64;
    /** Evidence files at once, and the largest: a 30 s clip at 8 Mb/s is about 30 MiB. */
    static final int MAX_EVIDENCE_IN_FLIGHT = 4;

    static final int MAX_EVIDENCE_BYTES = 48 << 20;
    /** The worker's evidence file names (its EvidenceFolder's form): nothing else is asked for. */
    static final java.util.regex.Pattern EVIDENCE_NAME =
            java.util.regex.Pattern.compile("[0-9]{4,19}-[a-z0-9_]{1,32}-[0-9]{1,12}\\.[0-9]{3}\\.(jpg|mp4)");

    static final Duration DEADLINE = Duration.ofSeconds(5);
    static final String AGE_HEADER = "X-Monoscope-Picture-Age-Ms";

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** What came back: an HTTP status, a body and its type, the picture's age where the worker said it. */
    public record Answer(int status, byte[] body, String contentType, String ageMillis) {
        static Answer json(int status, String json) {
            return new Answer(status, json.getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json", null);
        }
    }

    /** What a tile shows live besides the picture: from the worker's report. */
    public record Live(boolean connected, List<String> activeDefects, List<AudioLevel> audioLevels) {}

    private final ReportFetcher fetcher;
    private final int port;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final ReportFetcher evidenceFetcher;
    private final Semaphore evidenceInFlight = new Semaphore(MAX_EVIDENCE_IN_FLIGHT);

    public WorkerProxy(OperatorConfig config) {
        this.fetcher = new ReportFetcher(config.report().connectTimeout(), ReportFetcher.MAX_BODY);
        this.evidenceFetcher = new ReportFetcher(config.report().connectTimeout(), MAX_EVIDENCE_BYTES);
        this.port = config.report().port();
    }

    /** The worker's thumbnail, or its 404 with the reason, or 404/503 saying why there is none to ask. */
    public CompletableFuture<Answer> thumbnail(Pod pod) {
        return ask(pod, "/api/v1/thumbnail.jpg").thenApply(r -> {
            String type = r.headers().firstValue("content-type").orElse("application/octet-stream");
            if (r.statusCode() == 200 && !"image/jpeg".equals(type)) {
                return Answer.json(502, "{\"reason\":\"bad_answer\",\"message\":\"the worker sent no JPEG\"}");
            }
            return new Answer(
                    r.statusCode(),
                    r.body(),
                    type,
                    r.headers().firstValue(AGE_HEADER).orElse(null));
        });
    }

    /** The worker's connection, active defects and audio levels, from its report (which must name the pod). */
    public CompletableFuture<Optional<Live>> live(Pod pod) {
        return ask(pod, "/api/v1/report").thenApply(r -> {
            if (r.statusCode() != 200) {
                return Optional.empty();
            }
            try {
                WorkerReport report = JSON.readValue(r.body(), WorkerReport.class);
                if (report.podUid != null
                        && !Objects.equals(report.podUid, pod.getMetadata().getUid())) {
                    return Optional.empty();
                }
                return Optional.of(new Live(
                        report.connected,
                        report.activeDefects.stream()
                                .map(d -> d.type)
                                .distinct()
                                .toList(),
                        report.audioLevels == null ? List.of() : List.copyOf(report.audioLevels)));
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }

    /** One of the worker's evidence files (a defect's JPEG or MP4 clip), named as the worker names them. */
    public CompletableFuture<Answer> evidence(Pod pod, String file) {
        if (!EVIDENCE_NAME.matcher(file).matches()) {
            return CompletableFuture.completedFuture(
                    Answer.json(404, "{\"reason\":\"not_evidence\",\"message\":\"not an evidence file name\"}"));
        }
        return ask(pod, "/api/v1/evidence/" + file, evidenceFetcher, evidenceInFlight, Duration.ofSeconds(30))
                .thenApply(r ->
                        new Answer(r.statusCode(), r.body(), file.endsWith(".jpg") ? "image/jpeg" : "video/mp4", null));
    }

    private CompletableFuture<HttpResponse<byte[]>> ask(Pod pod, String path) {
        return ask(pod, path, fetcher, inFlight, DEADLINE);
    }

    private CompletableFuture<HttpResponse<byte[]>> ask(
            Pod pod, String path, ReportFetcher via, Semaphore slots, Duration deadline) {
        Optional<String> ip = WorkerPods.ip(pod);
        if (ip.isEmpty()) {
            return CompletableFuture.failedFuture(new IOException("the pod has no IP"));
        }
        if (!slots.tryAcquire()) {
            return CompletableFuture.failedFuture(new Busy());
        }
        String host = ip.get().contains(":") ? "[" + ip.get() + "]" : ip.get();
        return via.fetch(URI.create("http://" + host + ":" + port + path), deadline)
                .whenComplete((r, e) -> slots.release());
    }

    /** Too many proxied requests at once. */
    static final class Busy extends IOException {
        Busy() {
            super("too many worker requests at once");
        }
    }

    /** An answer for a failed fetch: 503 when busy, 504 for a worker that did not answer in time or at all. */
    static Answer failure(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause()
                : error;
        if (cause instanceof Busy) {
            return Answer.json(503, "{\"reason\":\"busy\",\"message\":\"too many thumbnail requests at once\"}");
        }
        return Answer.json(504, "{\"reason\":\"worker_unreachable\",\"message\":\"the worker did not answer\"}");
    }

    /** Whether this StreamMonitor's pods can be asked at all. */
    static boolean askable(StreamMonitor m) {
        return m.getSpec() != null && !m.getSpec().isSuspended();
    }
}
