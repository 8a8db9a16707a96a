package dev.monoscope.worker.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.monoscope.api.worker.WorkerReport;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The worker's HTTP server (docs/architecture.md, "Worker report"): {@code GET /api/v1/report} with long-poll,
 * {@code GET /api/v1/thumbnail.jpg} ({@link Thumbnails}), {@code /q/health/live}, {@code /q/health/ready},
 * {@code /q/metrics} and, with an evidence folder, {@code /api/v1/evidence/<file>}. The JDK's own server keeps the pod
 * small.
 * Requests run on a fixed pool of {@value #THREADS} threads, of which long-polls may hold {@value #MAX_WAITING_POLLS}:
 * the rest are always there for health probes and scrapes. A request's headers must be in within
 * {@value #HEADER_DEADLINE_MILLIS} ms ({@link BoundedRequestPool}). Anyone who can reach the port can take the
 * long-poll slots; past them a long-poll is answered at once with the current report, so a squatter can make the
 * operator poll rather than wait, never starve it of reports (and the network policy keeps others off the port).
 */
public final class ReportServer implements AutoCloseable {

    /** Longest long-poll a client may ask for; longer requests are cut to this. */
    public static final int MAX_WAIT_SECONDS = 60;

    /** Long-polls waiting at once; past this a long-poll answers at once with the current report. */
    static final int MAX_WAITING_POLLS = 8;

    /** Request threads: long-polls, probes and scrapes together. */
    static final int THREADS = 16;

    /** How long a client may take to send a request's line and headers. */
    static final long HEADER_DEADLINE_MILLIS = 10_000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final ReportState state;
    private final ThumbnailEndpoint thumbnail;
    private final Supplier<String> metrics;
    private final BooleanSupplier live;
    private final HttpServer server;
    private final BoundedRequestPool pool;
    private final Semaphore waitingPolls = new Semaphore(MAX_WAITING_POLLS);
    private volatile boolean serving;

    /**
     * @param host    address to bind; null or blank for all interfaces
     * @param port    port, 0 for any free one (tests)
     * @param metrics the Prometheus text exposition, produced on each scrape
     * @param live    whether the pipeline is alive (liveness)
     */
    public ReportServer(ReportState state, Supplier<String> metrics, BooleanSupplier live, String host, int port)
            throws IOException {
        this(state, null, metrics, live, host, port, HEADER_DEADLINE_MILLIS);
    }

    /** As above, serving the stream's thumbnails too. */
    public ReportServer(
            ReportState state,
            Thumbnails thumbnails,
            Supplier<String> metrics,
            BooleanSupplier live,
            String host,
            int port)
            throws IOException {
        this(state, thumbnails, metrics, live, host, port, HEADER_DEADLINE_MILLIS);
    }

    /** As above, with another deadline for request headers (tests). */
    ReportServer(
            ReportState state,
            Thumbnails thumbnails,
            Supplier<String> metrics,
            BooleanSupplier live,
            String host,
            int port,
            long headerDeadlineMillis)
            throws IOException {
        this.state = state;
        this.thumbnail = new ThumbnailEndpoint(state, thumbnails);
        this.metrics = metrics;
        this.live = live;
        InetSocketAddress address =
                host == null || host.isBlank() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
        this.server = HttpServer.create(address, 64);
        this.pool = new BoundedRequestPool(THREADS, headerDeadlineMillis);
        server.setExecutor(pool);
        route("/api/v1/report", this::report);
        route("/api/v1/thumbnail.jpg", thumbnail::handle);
        route("/q/health/live", ex -> health(ex, live.getAsBoolean()));
        route("/q/health/ready", ex -> health(ex, serving));
        route("/q/metrics", this::metrics);
        server.createContext("/", ex -> {
            if (pool.headersRead()) {
                notFound(ex);
            }
        });
    }

    /** Serves the files of {@code folder} at {@code GET /api/v1/evidence/<file>}; before {@link #start()}. */
    public ReportServer serveEvidence(EvidenceFolder folder) {
        EvidenceRoute route = new EvidenceRoute(folder);
        server.createContext(EvidenceRoute.PREFIX, ex -> {
            if (pool.headersRead()) {
                route.handle(ex);
            }
        });
        return this;
    }

    /** Contexts match by prefix: only the exact path is served. */
    private void route(String path, HttpHandler handler) {
        server.createContext(path, ex -> {
            if (!pool.headersRead()) {
                return; // too late: the connection is closed
            }
            if (path.equals(ex.getRequestURI().getPath())) {
                handler.handle(ex);
            } else {
                notFound(ex);
            }
        });
    }

    private static void notFound(HttpExchange ex) throws IOException {
        send(ex, 404, "text/plain", "not found\n");
    }

    public ReportServer start() {
        server.start();
        serving = true;
        return this;
    }

    /** The bound port (useful when constructed with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        serving = false;
        server.stop(0);
        pool.close();
    }

    private void report(HttpExchange ex) throws IOException {
        if (!"GET".equals(ex.getRequestMethod())) {
            send(ex, 405, "text/plain", "method not allowed\n");
            return;
        }
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        long since;
        long waitSeconds;
        try {
            since = Long.parseLong(query.getOrDefault("since", "-1"));
            waitSeconds =
                    Math.min(MAX_WAIT_SECONDS, Math.max(0, Long.parseLong(query.getOrDefault("waitSeconds", "0"))));
        } catch (NumberFormatException e) {
            send(ex, 400, "text/plain", "since and waitSeconds must be integers\n");
            return;
        }
        WorkerReport report;
        if (waitSeconds > 0 && since >= 0 && waitingPolls.tryAcquire()) {
            try {
                report = state.awaitVersionAfter(since, TimeUnit.SECONDS.toMillis(waitSeconds));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                report = state.snapshot();
            } finally {
                waitingPolls.release();
            }
        } else {
            report = state.snapshot();
        }
        send(ex, 200, "application/json", JSON.writeValueAsString(report));
    }

    private void health(HttpExchange ex, boolean up) throws IOException {
        send(ex, up ? 200 : 503, "application/json", "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"checks\":[]}");
    }

    private void metrics(HttpExchange ex) throws IOException {
        send(ex, 200, PROMETHEUS_TEXT, metrics.get());
    }

    static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
        send(ex, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Answers and closes the exchange; a HEAD request gets the headers only. */
    static void send(HttpExchange ex, int status, String contentType, byte[] bytes) throws IOException {
        try (ex) {
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            boolean head = "HEAD".equals(ex.getRequestMethod());
            ex.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }
}
