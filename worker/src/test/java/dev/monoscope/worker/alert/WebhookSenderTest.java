package dev.monoscope.worker.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.api.worker.WorkerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WebhookSenderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final WebhookSender.Retry FAST =
            new WebhookSender.Retry(5, Duration.ofMillis(50), Duration.ofMillis(200));

    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer receiver;

    @AfterEach
    void stop() {
        release.countDown();
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void postsThePayloadWithTheSourceCredentialsStripped() throws Exception {
        String url = receive(() -> 200);
        WorkerConfig.StreamRef ref = new WorkerConfig.StreamRef();
        ref.namespace = "news";
        ref.name = "channel-1";
        try (WebhookSender sender = new WebhookSender(
                url,
                ref,
                "http://user:s3cret@cdn.example:8080/live/ch1.m3u8?token=abc",
                "instance-1",
                new WorkerConfig.Webhook(),
                FAST)) {
            Defect black = defect(1, "black");
            sender.defectStarted(black);
            black.end = 13.054;
            black.endedAt = "2026-01-01T00:00:13Z";
            sender.defectEnded(black);

            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
            assertThat(sender.deliveredCount()).isEqualTo(2);
        }
        JsonNode started = received.get(0);
        assertThat(started.path("event").asText()).isEqualTo("defect_started");
        assertThat(started.path("instanceId").asText()).isEqualTo("instance-1");
        assertThat(started.path("stream").path("namespace").asText()).isEqualTo("news");
        assertThat(started.path("stream").path("name").asText()).isEqualTo("channel-1");
        assertThat(started.path("stream").path("url").asText()).startsWith("http://cdn.example:8080/live/ch1.m3u8");
        assertThat(started.path("defect").path("type").asText()).isEqualTo("black");
        assertThat(started.path("defect").path("start").asDouble()).isEqualTo(10.021);
        // the start message was taken before the tracker set the end on its own object
        assertThat(started.path("defect").has("end")).isFalse();
        JsonNode ended = received.get(1);
        assertThat(ended.path("event").asText()).isEqualTo("defect_ended");
        assertThat(ended.path("defect").path("end").asDouble()).isEqualTo(13.054);
        assertThat(received.toString()).doesNotContain("s3cret", "abc", "user");
    }

    @Test
    void retriesAReceiverThatFailsTheFirstTries() throws Exception {
        String url = receive(() -> requests.get() <= 3 ? 503 : 200);
        try (WebhookSender sender =
                new WebhookSender(url, null, "udp://239.0.0.1:1234", "i", new WorkerConfig.Webhook(), FAST)) {
            sender.defectStarted(defect(1, "freeze"));
            await().atMost(Duration.ofSeconds(10)).until(() -> sender.deliveredCount() == 1);
            assertThat(requests.get()).isEqualTo(4);
            assertThat(received).hasSize(1);
            assertThat(sender.droppedCount()).isZero();
        }
    }

    @Test
    void retriesWhenNothingListensYet() throws Exception {
        // a receiver that comes up after the first attempts failed to connect
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        WebhookSender.Retry patient = new WebhookSender.Retry(20, Duration.ofMillis(100), Duration.ofMillis(300));
        try (WebhookSender sender = new WebhookSender(
                "http://127.0.0.1:" + port + "/hook", null, "srt://x:9000", "i", new WorkerConfig.Webhook(), patient)) {
            sender.defectStarted(defect(1, "silence"));
            Thread.sleep(400);
            receiveOn(port, () -> 200);
            await().atMost(Duration.ofSeconds(15)).until(() -> sender.deliveredCount() == 1);
            assertThat(received.get(0).path("defect").path("type").asText()).isEqualTo("silence");
        }
    }

    @Test
    void aFullQueueDropsTheOldestAndCountsThemWithoutBlockingTheCaller() throws Exception {
        String url = receive(() -> {
            try {
                release.await(); // a receiver that hangs
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 200;
        });
        WorkerConfig.Webhook settings = new WorkerConfig.Webhook();
        settings.queueCapacity = 1000;
        settings.timeoutSeconds = 20;
        try (WebhookSender sender = new WebhookSender(url, null, "http://x/y", "i", settings, FAST)) {
            // the caller is the decode thread: 5,000 defects against a hung receiver must all return at once
            for (int i = 1; i <= 5000; i++) {
                sender.defectStarted(defect(i, "corruption"));
            }
            // one message is stuck in flight, 1,000 wait in the queue, the rest were dropped
            await().atMost(Duration.ofSeconds(5)).until(() -> sender.droppedCount() >= 3999);
            assertThat(sender.droppedCount()).isBetween(3999L, 4000L);

            release.countDown();
            await().atMost(Duration.ofSeconds(20)).until(() -> sender.deliveredCount() + sender.droppedCount() == 5000);
            // the newest message was kept
            assertThat(received.get(received.size() - 1)
                            .path("defect")
                            .path("id")
                            .asLong())
                    .isEqualTo(5000);
        }
    }

    @Test
    void aRefusedMessageIsDroppedAndCountedNotRetried() throws Exception {
        String url = receive(() -> 400);
        try (WebhookSender sender = new WebhookSender(url, null, "http://x/y", "i", new WorkerConfig.Webhook(), FAST)) {
            sender.defectStarted(defect(1, "black"));
            await().atMost(Duration.ofSeconds(5)).until(() -> sender.droppedCount() == 1);
            assertThat(requests.get()).isEqualTo(1);
        }
    }

    @Test
    void neverLogsTheWebhookUrl() throws Exception {
        String url = receive(() -> 500);
        List<String> logged = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger(WebhookSender.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(capture);
        logger.setLevel(Level.ALL);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try (WebhookSender sender = new WebhookSender(
                url + "?token=SECRET-TOKEN",
                null,
                "http://x/y",
                "i",
                new WorkerConfig.Webhook(),
                new WebhookSender.Retry(2, Duration.ofMillis(20), Duration.ofMillis(20)))) {
            sender.defectStarted(defect(1, "black"));
            await().atMost(Duration.ofSeconds(5)).until(() -> sender.droppedCount() == 1);
        } finally {
            System.setErr(originalErr);
            logger.removeHandler(capture);
        }
        assertThat(logged).isNotEmpty();
        assertThat(String.join("\n", logged) + err).doesNotContain("SECRET-TOKEN", "127.0.0.1");
    }

    private String receive(IntSupplier status) throws Exception {
        return receiveOn(0, status);
    }

    private String receiveOn(int port, IntSupplier status) throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        receiver.setExecutor(Executors.newCachedThreadPool());
        receiver.createContext("/hook", ex -> {
            requests.incrementAndGet();
            byte[] body = ex.getRequestBody().readAllBytes();
            int code = status.getAsInt();
            if (code == 200) {
                received.add(JSON.readTree(body));
            }
            ex.sendResponseHeaders(code, -1);
            ex.close();
        });
        receiver.start();
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    private static Defect defect(long id, String type) {
        Defect d = new Defect();
        d.id = id;
        d.type = type;
        d.severity = "critical";
        d.start = 10.021;
        d.startedAt = "2026-01-01T00:00:10Z";
        return d;
    }
}
