package dev.monoscope.worker.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monoscope.api.worker.WorkerConfig;
import dev.monoscope.worker.alert.WebhookSender;
import dev.monoscope.worker.defect.DefectListener;
import dev.monoscope.worker.monitor.Monitor;
import dev.monoscope.worker.monitor.MonitorSettings;
import dev.monoscope.worker.report.EvidenceFolder;
import dev.monoscope.worker.report.ReportServer;
import dev.monoscope.worker.report.ReportState;
import dev.monoscope.worker.report.WorkerMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The worker pod's main process (docs/architecture.md, "Worker configuration"): reads {@code MONOSCOPE_CONFIG} and the
 * secret
 * environment variables, serves the report, health and metrics at once (ready before the stream connects, so a
 * stream that never connects is still reported), and monitors the stream until SIGTERM. The monitor reconnects by
 * itself; this class only wires the parts together and shuts them down in order.
 */
public final class ServerMode implements AutoCloseable {

    /** Exit code for a missing or invalid configuration, as on the command line. */
    public static final int BAD_CONFIGURATION = 2;

    private static final ObjectMapper JSON = new ObjectMapper()
            // an operator one release ahead may send fields this worker does not know yet
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final ReportState state = new ReportState();
    private final WorkerMetrics metrics = new WorkerMetrics(state);
    private final WebhookSender webhook;
    private final Monitor monitor;
    private final ReportServer server;
    private final Thread pipeline;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean closing;
    private volatile Throwable crash;
    private final PipelineLiveness liveness;

    private ServerMode(WorkerConfig config, Map<String, String> env, String host, int port) throws IOException {
        liveness = PipelineLiveness.fromEnv(env);
        String podUid = env.get(WorkerConfig.ENV_POD_UID); // the operator drops a report that names another pod
        state.change(r -> r.podUid = podUid);
        List<DefectListener> listeners = new ArrayList<>();
        listeners.add(metrics);
        String webhookUrl = env.get(WorkerConfig.ENV_WEBHOOK_URL);
        if (webhookUrl != null && !webhookUrl.isBlank()) {
            webhook = new WebhookSender(
                    webhookUrl,
                    config.stream,
                    config.source.url,
                    state.instanceId(),
                    config.webhook == null ? new WorkerConfig.Webhook() : config.webhook,
                    WebhookSender.Retry.DEFAULT);
            listeners.add(webhook);
        } else {
            webhook = null;
        }
        metrics.countOf(
                "monoscope.webhook.dropped",
                "Webhook messages given up on",
                () -> webhook == null ? 0 : webhook.droppedCount());
        metrics.countOf(
                "monoscope.webhook.delivered",
                "Webhook messages delivered",
                () -> webhook == null ? 0 : webhook.deliveredCount());
        MonitorSettings settings = MonitorSettings.fromConfig(config, env);
        monitor = new Monitor(settings, state, listeners);
        metrics.bind(monitor.readings());
        metrics.countOf(
                "monoscope.thumbnails.made",
                "Thumbnails made for GET /api/v1/thumbnail.jpg (none while nobody asks)",
                () -> monitor.thumbnails().made());
        pipeline = new Thread(this::monitor, "pipeline");
        try {
            server = new ReportServer(state, monitor.thumbnails(), metrics::scrape, this::alive, host, port);
            if (settings.evidenceDir != null) {
                server.serveEvidence(new EvidenceFolder(settings.evidenceDir, settings.evidenceMaxBytes));
            }
        } catch (IOException | RuntimeException e) {
            if (webhook != null) {
                webhook.close(Duration.ZERO);
            }
            throw e;
        }
    }

    /**
     * Runs the pod's process: returns only after SIGTERM (0), or at once for a bad configuration
     * ({@value #BAD_CONFIGURATION}) or when port 8080 cannot be bound (1).
     */
    public static int run() {
        return run(System.getenv(), System.err);
    }

    static int run(Map<String, String> env, PrintStream err) {
        ServerMode mode;
        try {
            mode = start(
                    readConfig(env.get(WorkerConfig.ENV_CONFIG)),
                    env,
                    env.get(WorkerConfig.ENV_POD_IP),
                    WorkerConfig.PORT);
        } catch (IllegalArgumentException e) {
            err.println("monoscope server: " + e.getMessage());
            return BAD_CONFIGURATION;
        } catch (IOException e) {
            err.println("monoscope server: cannot serve on port " + WorkerConfig.PORT + ": " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(mode::close, "shutdown"));
        mode.awaitClosed();
        return 0;
    }

    /** Starts serving and monitoring; {@code host} null for all interfaces, {@code port} 0 for any (tests). */
    public static ServerMode start(WorkerConfig config, Map<String, String> env, String host, int port)
            throws IOException {
        ServerMode mode = new ServerMode(config, env, host, port);
        mode.pipeline.start(); // first, so that liveness never sees a pipeline not yet started
        mode.server.start();
        return mode;
    }

    /** Parses and checks {@code MONOSCOPE_CONFIG}. */
    public static WorkerConfig readConfig(String json) {
        if (json == null || json.isBlank()) {
            throw new IllegalArgumentException(WorkerConfig.ENV_CONFIG + " is not set: it must hold the worker's "
                    + "configuration as one JSON document");
        }
        WorkerConfig config;
        try {
            config = JSON.readValue(json, WorkerConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(WorkerConfig.ENV_CONFIG + " is not a valid configuration: "
                    + e.getOriginalMessage() + " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")");
        }
        if (config == null || config.source == null || config.source.url == null || config.source.url.isBlank()) {
            throw new IllegalArgumentException(WorkerConfig.ENV_CONFIG + " has no source.url");
        }
        return config;
    }

    public int port() {
        return server.port();
    }

    public ReportState state() {
        return state;
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitClosed() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the monitor, delivers what the webhook still holds (briefly), then stops serving. */
    @Override
    public void close() {
        if (closing) {
            awaitClosed();
            return;
        }
        closing = true;
        try {
            monitor.stop();
            try {
                pipeline.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (webhook != null) {
                webhook.close(Duration.ofSeconds(3));
            }
            server.close();
            monitor.thumbnails().close();
        } finally {
            closed.countDown();
        }
    }

    private void monitor() {
        try {
            monitor.run();
        } catch (Throwable t) {
            crash = t;
            System.err.println("monoscope server: the pipeline stopped: " + t);
        }
    }

    /**
     * Liveness: the pipeline runs and its loop moves ({@link PipelineLiveness}), or it stopped on an error a restart
     * would not fix (an unsupported URL: the report says why). A crashed or stuck pipeline is not alive, so
     * Kubernetes restarts the container.
     */
    boolean alive() {
        if (closing) {
            return true;
        }
        if (pipeline.isAlive()) {
            return liveness.moving(monitor.progressNanos(), System.nanoTime());
        }
        return crash == null && monitor.error() != null;
    }
}
