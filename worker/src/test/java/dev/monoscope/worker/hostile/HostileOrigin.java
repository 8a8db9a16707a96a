package dev.monoscope.worker.hostile;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.monoscope.worker.media.TestMedia;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP origin on loopback that misbehaves on purpose: responses that stall after their headers (until the origin
 * is closed), bodies of any size, redirects; it records every request's path and Authorization header.
 */
final class HostileOrigin implements AutoCloseable {

    /** What a path answers. */
    interface Response {
        void send(HttpExchange ex, HostileOrigin origin) throws IOException;
    }

    /** One request as the origin saw it. */
    record Request(String path, String authorization, long nanos) {}

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(16);
    private final Map<String, Response> routes = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    HostileOrigin() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(pool);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            requests.add(new Request(path, ex.getRequestHeaders().getFirst("Authorization"), System.nanoTime()));
            Response r = routes.get(path);
            try {
                if (r == null) {
                    ex.sendResponseHeaders(404, -1);
                } else {
                    r.send(ex, this);
                }
            } catch (IOException e) {
                // the client went away: expected of a monitor that gave up on us
            } finally {
                ex.close();
            }
        });
        server.start();
    }

    HostileOrigin route(String path, Response response) {
        routes.put(path, response);
        return this;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The time of the first request for {@code path}, or -1. */
    long firstRequestNanos(String path) {
        return requests.stream()
                .filter(r -> r.path().equals(path))
                .mapToLong(Request::nanos)
                .findFirst()
                .orElse(-1);
    }

    /** Blocks the handler until the origin closes (a stalled response). */
    void stall() {
        try {
            closed.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Response text(String body) {
        return (ex, origin) -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
        };
    }

    static Response file(Path file) {
        return (ex, origin) -> {
            byte[] bytes = java.nio.file.Files.readAllBytes(file);
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
        };
    }

    /** The headers and the first bytes of {@code body}, then nothing. */
    static Response stallingAfter(String head) {
        return (ex, origin) -> {
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            out.write(head.getBytes(StandardCharsets.UTF_8));
            out.flush();
            origin.stall();
        };
    }

    static Response redirect(String location) {
        return (ex, origin) -> {
            ex.getResponseHeaders().set("Location", location);
            ex.sendResponseHeaders(302, -1);
        };
    }

    /** A 1 s MPEG-TS clip (320x240 H.264, AAC tone): every segment of the test playlists. */
    static Path segment() {
        return oneSecondClip("hostile-segment-1s.ts");
    }

    /** A 1 s clip, 320x240 H.264 and an AAC tone, in the container its name's extension picks. */
    static Path oneSecondClip(String name) {
        return TestMedia.clip(
                name,
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=size=320x240:rate=25:duration=1",
                        "-f",
                        "lavfi",
                        "-i",
                        "sine=frequency=440:sample_rate=48000:duration=1",
                        "-c:v",
                        "libopenh264",
                        "-g",
                        "25",
                        "-c:a",
                        "aac"));
    }

    /** A live media playlist (no end) of the given segment names, 1 s each. */
    static String livePlaylist(String... segments) {
        StringBuilder b =
                new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:0\n");
        for (String s : segments) {
            b.append("#EXTINF:1.0,\n").append(s).append('\n');
        }
        return b.toString();
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        pool.shutdownNow();
    }
}
