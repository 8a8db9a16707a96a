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

    public WorkerProxy(OperatorConfig config) {
        this.fetcher = new ReportFetcher(config.report().connectTimeout(), ReportFetcher.MAX_BODY);
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

    private CompletableFuture<HttpResponse<byte[]>> ask(Pod pod, String path) {
        Optional<String> ip = WorkerPods.ip(pod);
        if (ip.isEmpty()) {
            return CompletableFuture.failedFuture(new IOException("the pod has no IP"));
        }
        if (!inFlight.tryAcquire()) {
            return CompletableFuture.failedFuture(new Busy());
        }
        String host = ip.get().contains(":") ? "[" + ip.get() + "]" : ip.get();
        return fetcher.fetch(URI.create("http://" + host + ":" + port + path), DEADLINE)
                .whenComplete((r, e) -> inFlight.release());
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
