package dev.monoscope.worker.live;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.monoscope.worker.media.TestMedia;
import dev.monoscope.worker.transport.HlsTransportTest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A live HLS origin on loopback that misbehaves on demand: a 30 s generated stream cut into 1 s segments, one more
 * listed every second (a window of 6, target duration 1), and switches a test turns: the playlist stops advancing
 * (still served), a segment answers 404, segments are sent slowly, the media sequence jumps back or forward; cue tags
 * can be written before a segment.
 */
public final class LiveHlsOrigin implements AutoCloseable {

    private static final long STEP_NANOS = 1_000_000_000L;
    private static final int WINDOW = 6;
    private static final Pattern SEGMENT = Pattern.compile("/seg([0-9]+)\\.ts");

    private final List<byte[]> segments;
    private final HttpServer http;
    private final long start = System.nanoTime();
    private final Set<Long> missing = ConcurrentHashMap.newKeySet();
    private final Map<Long, String> tags = new ConcurrentHashMap<>();
    private long frozenAt = -1;
    private long frozenNanos;
    private long shift;
    private volatile long slowMillis;

    public LiveHlsOrigin() throws IOException {
        byte[] ts = Files.readAllBytes(stream());
        segments = HlsTransportTest.segments(ts, HlsTransportTest.cuts(ts));
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 32);
        http.setExecutor(Executors.newCachedThreadPool());
        http.createContext("/", this::serve);
        http.start();
    }

    /** 30 s of 640x360 MPEG-2 video and MP2 audio, a keyframe every second. */
    static Path stream() {
        return TestMedia.mpeg2TestPattern("live-hls-origin-30s.ts", 30);
    }

    public String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/live.m3u8";
    }

    /** The sequence number of the newest segment listed now. */
    public synchronized long newest() {
        long running = (frozenAt >= 0 ? frozenAt : System.nanoTime()) - start - frozenNanos;
        long listed = Math.min(segments.size(), 1 + running / STEP_NANOS);
        return Math.max(0, listed - 1 + shift);
    }

    /** The playlist stops advancing, and is still served. */
    public synchronized void freeze() {
        frozenAt = System.nanoTime();
    }

    public synchronized void resume() {
        frozenNanos += System.nanoTime() - frozenAt;
        frozenAt = -1;
    }

    /** The media sequence moves by {@code segments} at once (back when negative), without a discontinuity. */
    public synchronized void jump(long segments) {
        shift += segments;
    }

    /** Segment {@code sequence} answers 404. */
    public void missing(long sequence) {
        missing.add(sequence);
    }

    /** Each segment is held this long before it is sent (0: at once). */
    public void slow(long millis) {
        slowMillis = millis;
    }

    /** A tag line written before segment {@code sequence}. */
    public void tagBefore(long sequence, String tag) {
        tags.merge(sequence, tag, (a, b) -> a + "\n" + b);
    }

    private String playlist() {
        long newest = newest();
        long first = Math.max(0, newest - WINDOW + 1);
        StringBuilder p = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n")
                .append("#EXT-X-MEDIA-SEQUENCE:")
                .append(first)
                .append('\n');
        for (long k = first; k <= newest; k++) {
            String tag = tags.get(k);
            if (tag != null) {
                p.append(tag).append('\n');
            }
            p.append("#EXTINF:1.0,\nseg").append(k).append(".ts\n");
        }
        return p.toString();
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            Matcher m = SEGMENT.matcher(path);
            if (path.equals("/live.m3u8")) {
                byte[] body = playlist().getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/vnd.apple.mpegurl");
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            } else if (m.matches() && !missing.contains(Long.parseLong(m.group(1)))) {
                byte[] body = segments.get((int) (Long.parseLong(m.group(1)) % segments.size()));
                sendSegment(ex, body);
            } else {
                ex.sendResponseHeaders(404, -1);
            }
        }
    }

    /** Sends a segment, in ten pieces spread over {@link #slowMillis} when slow. */
    private void sendSegment(HttpExchange ex, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "video/mp2t");
        ex.sendResponseHeaders(200, body.length);
        OutputStream out = ex.getResponseBody();
        long pause = slowMillis / 10;
        for (int piece = 0; piece < 10; piece++) {
            if (pause > 0) {
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            int from = body.length * piece / 10;
            out.write(body, from, body.length * (piece + 1) / 10 - from);
            out.flush();
        }
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
