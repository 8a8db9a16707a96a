package dev.monoscope.worker.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.api.worker.WebhookMessage;
import dev.monoscope.api.worker.WorkerConfig;
import dev.monoscope.worker.defect.DefectListener;
import dev.monoscope.worker.source.SourceUrl;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Posts defect start/end messages (docs/architecture.md, "Webhook payload") to {@code MONOSCOPE_WEBHOOK_URL}. The
 * pipeline
 * thread only puts a message on a bounded queue; one sender thread posts them in order, retrying failures with
 * exponential backoff. When the queue is full the oldest message is dropped, and every drop is counted. The URL
 * may hold a token, so it is never logged.
 */
public final class WebhookSender implements DefectListener, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WebhookSender.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The contract's floor (docs/architecture.md): an outage of the receiver must not lose a burst of defects. */
    static final int MIN_QUEUE = 1000;

    private final URI target;
    private final WebhookMessage.Stream stream;
    private final String instanceId;
    private final Retry retry;
    private final Duration timeout;
    private final BlockingQueue<WebhookMessage> queue;
    private final HttpClient client;
    private final Thread sender;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closing;

    /** How often and how patiently one message is retried before it is dropped. */
    public record Retry(int maxAttempts, Duration firstBackoff, Duration maxBackoff) {
        /** About two minutes of retries per message: 0.5 s, 1 s, 2 s … capped at 30 s. */
        public static final Retry DEFAULT = new Retry(8, Duration.ofMillis(500), Duration.ofSeconds(30));

        Duration backoff(int failedAttempts) {
            long millis = firstBackoff.toMillis() << Math.min(20, failedAttempts - 1);
            return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
        }
    }

    /**
     * @param webhookUrl the secret target URL
     * @param streamRef  the StreamMonitor this worker serves (may be null)
     * @param sourceUrl  the monitored URL; sent with credentials redacted
     */
    public WebhookSender(
            String webhookUrl,
            WorkerConfig.StreamRef streamRef,
            String sourceUrl,
            String instanceId,
            WorkerConfig.Webhook settings,
            Retry retry) {
        this.target = parse(webhookUrl);
        this.stream = new WebhookMessage.Stream();
        if (streamRef != null) {
            stream.namespace = streamRef.namespace;
            stream.name = streamRef.name;
        }
        stream.url = SourceUrl.redact(sourceUrl);
        this.instanceId = instanceId;
        this.retry = retry;
        this.timeout = Duration.ofMillis(Math.max(100, (long) (settings.timeoutSeconds * 1000)));
        this.queue = new ArrayBlockingQueue<>(Math.max(MIN_QUEUE, settings.queueCapacity));
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.sender = new Thread(this::deliverLoop, "webhook-sender");
        sender.setDaemon(true);
        sender.start();
    }

    /** Checks the URL; the error messages never echo it, since it may carry a token. */
    private static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the webhook URL is not a valid URL");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                || uri.getHost() == null) {
            throw new IllegalArgumentException("the webhook URL must be an http or https URL with a host");
        }
        return uri;
    }

    @Override
    public void defectStarted(Defect defect) {
        enqueue(WebhookMessage.DEFECT_STARTED, defect);
    }

    @Override
    public void defectEnded(Defect defect) {
        enqueue(WebhookMessage.DEFECT_ENDED, defect);
    }

    /** Messages posted and acknowledged with a 2xx. */
    public long deliveredCount() {
        return delivered.get();
    }

    /** Messages given up on: queue full, retries exhausted, refused by the receiver, or left at shutdown. */
    public long droppedCount() {
        return dropped.get();
    }

    /** Stops taking messages, gives the queue up to {@code drain} to empty, then stops the sender. */
    public void close(Duration drain) {
        closing = true;
        long deadline = System.nanoTime() + drain.toNanos();
        while (!queue.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        sender.interrupt();
        try {
            sender.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dropped.addAndGet(queue.size());
        queue.clear();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(2));
    }

    private void enqueue(String event, Defect defect) {
        WebhookMessage message = new WebhookMessage();
        message.stream = stream;
        message.event = event;
        message.instanceId = instanceId;
        message.defect = defect.copy(); // the tracker may keep changing its own object
        if (closing) {
            dropped.incrementAndGet();
            return;
        }
        while (!queue.offer(message)) {
            if (queue.poll() != null) {
                dropped.incrementAndGet();
            }
        }
    }

    private void deliverLoop() {
        while (true) {
            WebhookMessage message;
            try {
                message = queue.take();
            } catch (InterruptedException e) {
                return; // closing
            }
            try {
                if (!deliver(message)) {
                    dropped.incrementAndGet();
                }
            } catch (InterruptedException e) {
                dropped.incrementAndGet(); // closing with this one still undelivered
                return;
            }
        }
    }

    /** Posts one message, retrying with backoff; false when it was given up on. */
    private boolean deliver(WebhookMessage message) throws InterruptedException {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(message);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "webhook: cannot serialise a message: " + e);
            return false;
        }
        HttpRequest request = HttpRequest.newBuilder(target)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            String failure;
            try {
                int status = client.send(request, HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                if (status >= 200 && status < 300) {
                    delivered.incrementAndGet();
                    return true;
                }
                if (status >= 400 && status < 500 && status != 408 && status != 429) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "webhook: receiver refused a message with HTTP " + status + "; dropped");
                    return false;
                }
                failure = "HTTP " + status;
            } catch (java.io.IOException e) {
                // the exception text may name the host; the class is enough to tell what happened
                failure = e.getClass().getSimpleName();
            }
            if (attempt == retry.maxAttempts() || closing) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "webhook: giving up on a " + message.event + " message after " + attempt + " attempts ("
                                + failure + ")");
                return false;
            }
            Duration wait = retry.backoff(attempt);
            LOG.log(
                    System.Logger.Level.DEBUG,
                    "webhook: attempt " + attempt + " failed (" + failure + "), retrying in " + wait.toMillis()
                            + " ms");
            TimeUnit.MILLISECONDS.sleep(wait.toMillis());
        }
        return false;
    }
}
