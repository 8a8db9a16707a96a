package dev.monoscope.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.monoscope.api.worker.DecoderInfo;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.api.worker.StreamInfo;
import dev.monoscope.api.worker.WorkerReport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A worker's report endpoint on a loopback address (127.0.0.x): serves real {@link WorkerReport} JSON with the
 * documented long-poll semantics ({@code since}, {@code waitSeconds}), so the operator's HTTP path is the real one.
 */
public class FakeWorker implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    public final String ip;
    private final HttpServer server;
    private WorkerReport report = new WorkerReport();
    final AtomicInteger requests = new AtomicInteger();

    public FakeWorker(String ip, int port) throws IOException {
        this.ip = ip;
        report.instanceId = UUID.randomUUID().toString();
        report.version = 1;
        report.connected = true;
        report.stream = new StreamInfo();
        report.stream.container = "mpegts";
        report.stream.videoCodec = "h264";
        report.stream.width = 1280;
        report.stream.height = 720;
        report.stream.frameRate = 25.0;
        report.decoder = new DecoderInfo(DecoderInfo.CPU, "auto", null);
        report.detectors = List.of("black", "freeze", "silence", "corruption", "signalLoss");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(ip), port), 50);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/api/v1/report", exchange -> {
            requests.incrementAndGet();
            Map<String, String> query = query(exchange.getRequestURI());
            long since = Long.parseLong(query.getOrDefault("since", "-1"));
            long waitMillis = (long) (Double.parseDouble(query.getOrDefault("waitSeconds", "0")) * 1000);
            byte[] body;
            synchronized (this) {
                long deadline = System.currentTimeMillis() + waitMillis;
                while (report.version <= since && System.currentTimeMillis() < deadline) {
                    try {
                        wait(Math.max(1, deadline - System.currentTimeMillis()));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                body = JSON.writeValueAsBytes(report);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/api/v1/evidence/", exchange -> {
            String file = exchange.getRequestURI().getPath().substring("/api/v1/evidence/".length());
            byte[] body = ("evidence " + file).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", file.endsWith(".jpg") ? "image/jpeg" : "video/mp4");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/api/v1/thumbnail.jpg", exchange -> {
            byte[] jpeg = thumbnail();
            exchange.getResponseHeaders().add("Content-Type", "image/jpeg");
            exchange.getResponseHeaders().add("X-Monoscope-Picture-Age-Ms", "40");
            exchange.sendResponseHeaders(200, jpeg.length);
            exchange.getResponseBody().write(jpeg);
            exchange.close();
        });
        server.start();
    }

    /** A picture as a worker's thumbnail endpoint serves it: a small JPEG, a new shade each time. */
    private byte[] thumbnail() throws java.io.IOException {
        java.awt.image.BufferedImage picture =
                new java.awt.image.BufferedImage(320, 180, java.awt.image.BufferedImage.TYPE_INT_RGB);
        int shade = thumbnails.incrementAndGet() * 40 % 256;
        for (int y = 0; y < 180; y++) {
            for (int x = 0; x < 320; x++) {
                picture.setRGB(x, y, (shade << 16) | (x * 255 / 320) << 8 | (y * 255 / 180));
            }
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(picture, "jpg", out);
        return out.toByteArray();
    }

    /** Thumbnails served so far. */
    public final AtomicInteger thumbnails = new AtomicInteger();

    /** The worker runs in this pod: its report names the pod's UID and shard, as a real worker's does. */
    public synchronized void runsIn(io.fabric8.kubernetes.api.model.Pod pod) {
        report.podUid = pod.getMetadata().getUid();
        report.shardIndex = dev.monoscope.operator.pods.WorkerPods.shard(pod);
        bump();
    }

    /** The report names this pod UID, whatever pod the worker runs in. */
    public synchronized void claims(String podUid) {
        report.podUid = podUid;
        bump();
    }

    /** Starts a defect; returns it. */
    public synchronized Defect start(String type, String subtype, String severity, double at) {
        Defect d = new Defect();
        d.id = ++report.defectSeq;
        d.type = type;
        d.subtype = subtype;
        d.severity = severity;
        d.start = at;
        d.startedAt = Instant.now().toString();
        report.activeDefects.add(d);
        bump();
        return d;
    }

    /** The defect's evidence was written: its files are served, and the next report names them. */
    public synchronized void evidence(Defect d, String jpeg, String mp4) {
        d.evidence = new dev.monoscope.api.worker.Evidence();
        d.evidence.jpeg = jpeg;
        d.evidence.mp4 = mp4;
        bump();
    }

    public synchronized void end(Defect d, double at) {
        report.activeDefects.removeIf(a -> a.id.equals(d.id));
        Defect ended = d.copy();
        ended.end = at;
        ended.endedAt = Instant.now().toString();
        report.recentDefects.add(ended);
        bump();
    }

    /** A new worker process: new instanceId, ids from 1 again, nothing active. */
    public synchronized void restart() {
        report.instanceId = UUID.randomUUID().toString();
        report.defectSeq = 0;
        report.activeDefects.clear();
        report.recentDefects.clear();
        bump();
    }

    public synchronized void decoder(DecoderInfo decoder) {
        report.decoder = decoder;
        bump();
    }

    /** An audio track's level, as counters: no version bump. */
    public synchronized void level(int track, double peakDbtp, double shortTermLufs) {
        dev.monoscope.api.worker.AudioLevel level = new dev.monoscope.api.worker.AudioLevel();
        level.track = track;
        level.peakDbtp = peakDbtp;
        level.shortTermLufs = shortTermLufs;
        report.audioLevels = List.of(level);
        notifyAll();
    }

    /** Counters change without a version bump, as a real worker's do. */
    public synchronized void tick() {
        report.counters.merge("framesDecoded", 25L, Long::sum);
        notifyAll();
    }

    public synchronized String instanceId() {
        return report.instanceId;
    }

    private void bump() {
        report.version++;
        notifyAll();
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> q = new HashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(
                            pair.substring(0, eq),
                            java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
