package dev.monoscope.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A live MPEG-TS over HTTP on loopback, for the demo and the end-to-end tests: a clip encoded once with the bundled
 * ffmpeg (a moving test pattern with a 1 kHz tone) and played in a loop at real time, so that every
 * {@link #CYCLE} it goes black for 8 s at {@link #BLACK_AT}, freezes for 8 s at {@link #FREEZE_AT} and goes silent
 * for 8 s at {@link #SILENCE_AT}. Every client gets the same live stream from the moment it connects.
 */
public final class DemoStream implements AutoCloseable {

    public static final Duration CYCLE = Duration.ofSeconds(60);
    public static final Duration SEGMENT = Duration.ofSeconds(8);
    public static final Duration BLACK_AT = Duration.ofSeconds(12);
    public static final Duration FREEZE_AT = Duration.ofSeconds(28);
    public static final Duration SILENCE_AT = Duration.ofSeconds(44);
    public static final String PATH = "/live.ts";
    static final int FRAME_RATE = 25;

    /** 64 transport-stream packets: every chunk starts on a packet boundary, wherever a client joins. */
    private static final int CHUNK = 188 * 64;

    private final HttpServer server;
    private final Process player;
    private final Set<BlockingQueue<byte[]>> clients = new CopyOnWriteArraySet<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(LocalPodRunner.daemon("demo-stream"));
    private final Instant startedAt;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DemoStream(Path clip, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext(PATH, this::serve);
        server.setExecutor(threads);
        // constant bitrate, as on air: the PCRs then keep their 20 ms pace across the loop's splice, where a
        // variable-rate mux would leave a 56 ms gap (a TR 101 290 PCR repetition error every minute)
        long muxRate = Math.max(1_000_000, 2 * Files.size(clip) * 8 / CYCLE.toSeconds());
        player = FfmpegExecutable.command(List.of(
                        "-hide_banner",
                        "-loglevel",
                        "error",
                        "-nostdin",
                        "-re",
                        "-stream_loop",
                        "-1",
                        "-i",
                        clip.toString(),
                        "-c",
                        "copy",
                        "-muxrate",
                        Long.toString(muxRate),
                        "-pcr_period",
                        "20",
                        "-f",
                        "mpegts",
                        "pipe:1"))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        startedAt = Instant.now();
        shutdownHook = new Thread(this::close, "demo-stream-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        threads.execute(this::broadcast);
        server.start();
    }

    /**
     * Encodes the clip once (about 15 s for 720p on two cores) and caches it in {@code cacheDir} as
     * {@code demo-<w>x<h>.ts}.
     */
    public static Path encode(Path cacheDir, int width, int height) {
        Path clip = cacheDir.resolve("demo-" + width + "x" + height + ".ts");
        if (Files.isRegularFile(clip)) {
            return clip;
        }
        long seconds = CYCLE.toSeconds();
        int freezeFirst = (int) (FREEZE_AT.toSeconds() * FRAME_RATE);
        int freezeLast = (int) ((FREEZE_AT.toSeconds() + SEGMENT.toSeconds()) * FRAME_RATE) - 1;
        String video = "[0:v]split[a][b];[a][b]freezeframes=first=%d:last=%d:replace=%d,"
                        .formatted(freezeFirst, freezeLast, freezeFirst)
                + "drawbox=x=0:y=0:w=iw:h=ih:color=black:t=fill:enable='between(t,%d,%d)',format=yuv420p[v];"
                        .formatted(BLACK_AT.toSeconds(), BLACK_AT.toSeconds() + SEGMENT.toSeconds())
                + "[1:a]volume=volume=0:enable='between(t,%d,%d)'[a]"
                        .formatted(SILENCE_AT.toSeconds(), SILENCE_AT.toSeconds() + SEGMENT.toSeconds());
        try {
            Files.createDirectories(cacheDir);
            Path partial = Files.createTempFile(cacheDir, "demo-", ".ts.part");
            ProcessBuilder encode = FfmpegExecutable.command(encoderArgs(width, height, seconds, video, partial))
                    .redirectErrorStream(true);
            Process p = encode.start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                Files.deleteIfExists(partial);
                throw new IOException("ffmpeg could not encode the demo clip: " + output);
            }
            Files.move(partial, clip, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return clip;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while encoding the demo clip", e);
        }
    }

    /** Starts playing the clip in a loop, served at {@code http://127.0.0.1:<port>/live.ts} (port 0: any free). */
    public static DemoStream start(Path clip, int port) {
        try {
            return new DemoStream(clip, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    /** Where the loop is now, from 0 to {@link #CYCLE}. */
    public Duration position() {
        long millis = Duration.between(startedAt, Instant.now()).toMillis() % CYCLE.toMillis();
        return Duration.ofMillis(millis);
    }

    /** How long until the loop reaches {@code offset} (within the cycle) next. */
    public Duration until(Duration offset) {
        long wait = (offset.toMillis() - position().toMillis() + CYCLE.toMillis()) % CYCLE.toMillis();
        return Duration.ofMillis(wait);
    }

    private void broadcast() {
        try (InputStream live = player.getInputStream()) {
            while (true) {
                byte[] chunk = live.readNBytes(CHUNK);
                if (chunk.length == 0) {
                    break;
                }
                for (BlockingQueue<byte[]> client : clients) {
                    if (!client.offer(chunk)) {
                        clients.remove(client); // too slow for a live stream: it gets cut off, as by a real server
                        client.clear();
                        client.offer(new byte[0]);
                    }
                }
            }
        } catch (IOException ended) {
            // the player was stopped
        }
        clients.forEach(c -> c.offer(new byte[0]));
    }

    private void serve(HttpExchange exchange) throws IOException {
        BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(256);
        exchange.getResponseHeaders().add("Content-Type", "video/mp2t");
        exchange.getResponseHeaders().add("Cache-Control", "no-cache");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
            return;
        }
        exchange.sendResponseHeaders(200, 0);
        clients.add(queue);
        try (OutputStream out = exchange.getResponseBody()) {
            while (true) {
                byte[] chunk = queue.poll(10, TimeUnit.SECONDS);
                if (chunk == null || chunk.length == 0) {
                    break;
                }
                out.write(chunk);
                out.flush();
            }
        } catch (IOException | InterruptedException clientGone) {
            // the client disconnected
        } finally {
            clients.remove(queue);
            exchange.close();
        }
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        server.stop(0);
        ProcessTree.stop(player.toHandle(), Duration.ofSeconds(2));
        clients.forEach(c -> c.offer(new byte[0]));
        threads.shutdownNow();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run
        }
    }

    /** FFmpeg's arguments for the demo clip: test pattern and tone, the defects drawn in, H.264 + AAC in MPEG-TS. */
    private static List<String> encoderArgs(int width, int height, long seconds, String video, Path out) {
        return List.of(
                "-hide_banner",
                "-loglevel",
                "error",
                "-nostdin",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=%dx%d:rate=%d:duration=%d".formatted(width, height, FRAME_RATE, seconds),
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=1000:sample_rate=48000:duration=" + seconds,
                "-filter_complex",
                video,
                "-map",
                "[v]",
                "-map",
                "[a]",
                "-c:v",
                "libopenh264",
                "-b:v",
                width >= 1280 ? "2M" : "400k",
                "-g",
                String.valueOf(FRAME_RATE),
                "-c:a",
                "aac",
                "-b:a",
                "128k",
                "-ac",
                "2",
                "-pcr_period",
                "20",
                "-f",
                "mpegts",
                out.toString());
    }
}
