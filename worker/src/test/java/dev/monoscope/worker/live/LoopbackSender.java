package dev.monoscope.worker.live;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.monoscope.worker.decode.BundledFfmpeg;
import dev.monoscope.worker.media.TestMedia;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Serves a pre-encoded clip on loopback the way a live source does: the bundled ffmpeg sends it at real time
 * ({@code -re -c copy}), so the sender keeps pace on a busy machine. {@link #stop()} makes the source go quiet
 * without closing anything (a stall, the hard case for a monitor), {@link #start()} plays the clip again from its
 * beginning.
 */
public abstract class LoopbackSender implements AutoCloseable {

    protected final Path clip;
    private final List<Process> running = new CopyOnWriteArrayList<>();

    private LoopbackSender(Path clip) {
        this.clip = clip;
    }

    /** The URL the monitor opens. */
    public abstract String url();

    /** Starts (again) sending the clip from its beginning. */
    public abstract void start() throws IOException;

    /** Goes quiet: the ffmpeg sending the clip is killed, connections stay open and carry nothing more. */
    public void stop() {
        for (Process p : running) {
            p.destroyForcibly();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        running.clear();
    }

    @Override
    public void close() {
        stop();
    }

    protected Process ffmpeg(List<String> args, ProcessBuilder.Redirect stdout) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                BundledFfmpeg.executable().toString(),
                "-hide_banner",
                "-loglevel",
                "error",
                "-nostdin",
                "-re",
                "-i",
                clip.toString(),
                "-c",
                "copy"));
        if (args.contains("mpegts")) {
            cmd.addAll(TestMedia.TS_MUX_OPTIONS); // PCRs at most 40 ms apart (DVB): no transport error on the way
        }
        cmd.addAll(args);
        Process p = BundledFfmpeg.processBuilder(cmd)
                .redirectOutput(stdout)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        running.add(p);
        return p;
    }

    /** Progressive MPEG-TS over HTTP: each GET gets the clip from its start, at real time. */
    public static LoopbackSender http(Path clip) throws IOException {
        return new Http(clip);
    }

    /** Live HLS: ffmpeg's hls muxer writes 1 s segments and a sliding playlist, served over HTTP. */
    public static LoopbackSender hls(Path clip, Path dir) throws IOException {
        return new Hls(clip, dir);
    }

    /** MPEG-TS over UDP to 127.0.0.1 (the monitor listens on the port). */
    public static LoopbackSender udp(Path clip) throws IOException {
        return new Udp(clip);
    }

    /**
     * MPEG-TS over SRT: ffmpeg is the listener and the monitor calls it ({@code callerUrl}), or ffmpeg calls the
     * monitor listening on the port ({@code listenerUrl}); encrypted with {@code passphrase} unless null.
     */
    public static Srt srt(Path clip, boolean monitorListens, String passphrase) throws IOException {
        return new Srt(clip, monitorListens, passphrase);
    }

    /** SRT on 127.0.0.1: {@link #url()} is what the monitor opens. */
    public static final class Srt extends LoopbackSender {
        private final int port;
        private final boolean monitorListens;
        private final String passphrase;

        Srt(Path clip, boolean monitorListens, String passphrase) throws IOException {
            super(clip);
            this.monitorListens = monitorListens;
            this.passphrase = passphrase;
            try (DatagramSocket probe = new DatagramSocket(0)) {
                port = probe.getLocalPort();
            }
        }

        @Override
        public String url() {
            return "srt://127.0.0.1:" + port + (monitorListens ? "?mode=listener" : "");
        }

        @Override
        public void start() throws IOException {
            String peer = "srt://127.0.0.1:" + port
                    + (monitorListens ? "?mode=caller&connect_timeout=20000" : "?mode=listener")
                    + (passphrase == null ? "" : "&passphrase=" + passphrase);
            ffmpeg(List.of("-f", "mpegts", peer), ProcessBuilder.Redirect.DISCARD);
        }

        /** Waits until ffmpeg listens on the port (the kernel lists it bound); false at the deadline. */
        public boolean awaitListening(Duration timeout) throws InterruptedException, IOException {
            String local = String.format(":%04X ", port); // /proc/net/udp: local_address is HEXIP:HEXPORT
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (String line : Files.readAllLines(Path.of("/proc/net/udp"))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 1 && (f[1] + " ").endsWith(local)) {
                        return true;
                    }
                }
                Thread.sleep(20); // not bound yet: look again
            }
            return false;
        }
    }

    private static final class Http extends LoopbackSender {
        private final HttpServer server;
        private final CountDownLatch closed = new CountDownLatch(1);
        private volatile boolean sending;

        Http(Path clip) throws IOException {
            super(clip);
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/live.ts", this::serve);
            server.start();
        }

        @Override
        public String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/live.ts";
        }

        @Override
        public void start() {
            sending = true;
        }

        @Override
        public void stop() {
            sending = false;
            super.stop();
        }

        private void serve(HttpExchange ex) throws IOException {
            if (!sending) {
                ex.sendResponseHeaders(503, -1);
                ex.close();
                return;
            }
            Process p = ffmpeg(List.of("-f", "mpegts", "pipe:1"), ProcessBuilder.Redirect.PIPE);
            ex.getResponseHeaders().set("Content-Type", "video/mp2t");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
                out.flush();
                if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    out.close(); // the clip ended normally
                    return;
                }
                closed.await(); // killed: hold the connection open with nothing on it
            } catch (IOException e) {
                // the monitor hung up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                p.destroyForcibly();
                ex.close();
            }
        }

        @Override
        public void close() {
            super.close();
            closed.countDown();
            server.stop(0);
        }
    }

    private static final class Hls extends LoopbackSender {
        private final Path dir;
        private final HttpServer server;
        private int starts;

        Hls(Path clip, Path dir) throws IOException {
            super(clip);
            this.dir = dir;
            Files.createDirectories(dir);
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/", this::serve);
            server.start();
        }

        @Override
        public String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/live.m3u8";
        }

        @Override
        public void start() throws IOException {
            // a restarted packager starts a fresh playlist; it continues the media sequence, as real ones do
            try (var old = Files.list(dir)) {
                for (Path f : (Iterable<Path>) old::iterator) {
                    Files.deleteIfExists(f);
                }
            }
            int first = 1000 * starts++;
            ffmpeg(
                    List.of(
                            "-f",
                            "hls",
                            "-hls_time",
                            "1",
                            "-hls_list_size",
                            "6",
                            "-start_number",
                            Integer.toString(first),
                            "-hls_segment_filename",
                            dir.resolve("seg%d.ts").toString(),
                            dir.resolve("live.m3u8").toString()),
                    ProcessBuilder.Redirect.DISCARD);
            // like a packager that is already on air: the playlist lists a segment before anyone asks
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!playlistReady() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private void serve(HttpExchange ex) throws IOException {
            String name = ex.getRequestURI().getPath().substring(1);
            Path file = dir.resolve(name).normalize();
            try (ex) {
                if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] body = Files.readAllBytes(file);
                ex.getResponseHeaders()
                        .set("Content-Type", name.endsWith(".m3u8") ? "application/vnd.apple.mpegurl" : "video/mp2t");
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
        }

        /** True once the playlist lists at least one segment. */
        boolean playlistReady() throws IOException {
            Path playlist = dir.resolve("live.m3u8");
            return Files.isRegularFile(playlist) && Files.readString(playlist).contains(".ts");
        }

        @Override
        public void close() {
            super.close();
            server.stop(0);
        }
    }

    private static final class Udp extends LoopbackSender {
        private final int port;

        Udp(Path clip) throws IOException {
            super(clip);
            try (DatagramSocket probe = new DatagramSocket(0)) {
                port = probe.getLocalPort();
            }
        }

        @Override
        public String url() {
            return "udp://127.0.0.1:" + port;
        }

        @Override
        public void start() throws IOException {
            ffmpeg(
                    List.of("-f", "mpegts", "udp://127.0.0.1:" + port + "?pkt_size=1316"),
                    ProcessBuilder.Redirect.DISCARD);
        }
    }
}
