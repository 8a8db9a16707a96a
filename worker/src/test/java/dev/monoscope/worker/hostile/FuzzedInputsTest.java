package dev.monoscope.worker.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.worker.cli.CliRun;
import dev.monoscope.worker.media.TestMedia;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzed and hostile inputs, seeded (a failure is reproducible): the committed broadcast captures and clips made at
 * test time (TS, MP4) with bytes flipped, cut short, headers smashed and chunks swapped; random bytes; packets with
 * valid sync bytes and random everything else; absurd MP4 box sizes; absurd HLS playlists served on loopback. Each
 * {@code monitor --json} run ends by itself with a summary, with no stack trace on stderr (a JVM crash would end
 * the test's JVM).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FuzzedInputsTest {

    private static final long SEED = 14L;
    /** The largest part of a capture used: enough for every structure, short enough to decode in a moment. */
    private static final int CAPTURE_BYTES = 300_000;

    @Test
    void everyRunEndsWithASummaryAndNoStackTrace(@TempDir Path dir) throws Exception {
        Random random = new Random(SEED);
        Map<String, byte[]> inputs = new LinkedHashMap<>();
        Map<String, byte[]> bases = new LinkedHashMap<>();
        bases.put("test-151.ts", head(Files.readAllBytes(TestMedia.broadcast("test-151.ts"))));
        bases.put("test-026.ts", head(Files.readAllBytes(TestMedia.broadcast("test-026.ts"))));
        bases.put("segment.ts", Files.readAllBytes(HostileOrigin.segment()));
        bases.put("clip.mp4", Files.readAllBytes(HostileOrigin.oneSecondClip("hostile-clip-1s.mp4")));
        bases.forEach((name, bytes) -> {
            inputs.put("flipped-" + name, flipped(bytes, random));
            inputs.put("truncated-" + name, Arrays.copyOf(bytes, 1 + random.nextInt(bytes.length - 1)));
            inputs.put("smashed-" + name, smashed(bytes, random));
            inputs.put("swapped-" + name, swapped(bytes, random));
        });
        byte[] noise = new byte[256 * 1024];
        random.nextBytes(noise);
        inputs.put("random.ts", noise);
        inputs.put("empty.ts", new byte[0]);
        inputs.put("synced-random.ts", syncedRandom(random, 2000));
        inputs.put("all-pids.ts", HostileTs.withManyPids(bases.get("segment.ts"), 8000, 12));
        inputs.put("huge-box.mp4", hugeBox(bases.get("clip.mp4")));

        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, byte[]> input : inputs.entrySet()) {
            Path file = dir.resolve(input.getKey());
            Files.write(file, input.getValue());
            check(input.getKey(), file.toString(), failures);
        }
        try (HostileOrigin origin = playlists()) {
            for (String path : List.of(
                    "/nan.m3u8", "/self.m3u8", "/negative.m3u8", "/binary.m3u8", "/long-line.m3u8", "/deep.m3u8")) {
                check(path, origin.url(path), failures);
            }
        }
        assertThat(failures).isEmpty();
    }

    /** Runs the monitor on one input; a missing summary, a stack trace or a run that does not end is a failure. */
    private static void check(String name, String input, List<String> failures) throws Exception {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            Future<CliRun> run = runner.submit(() -> CliRun.of("monitor", "--json", "--timeout", "1", input));
            CliRun result;
            try {
                result = run.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                failures.add(name + ": did not end within 30 s");
                return;
            }
            String stderr = err.toString(StandardCharsets.UTF_8) + result.stderr();
            if (result.events().stream().noneMatch(e -> e.path("event").asText().equals("summary"))) {
                failures.add(name + ": no summary (exit " + result.exitCode() + ")");
            }
            if (stderr.contains("\tat ") || stderr.contains("Exception in thread")) {
                failures.add(name + ": a stack trace on stderr:\n" + stderr);
            }
        } finally {
            System.setErr(originalErr);
            originalErr.print(err.toString(StandardCharsets.UTF_8));
            runner.shutdownNow();
        }
    }

    private static HostileOrigin playlists() throws Exception {
        HostileOrigin origin = new HostileOrigin();
        String vod = "#EXT-X-PLAYLIST-TYPE:VOD\n";
        StringBuilder negative = new StringBuilder("#EXTM3U\n#EXT-X-TARGETDURATION:-7\n" + vod);
        for (int i = 0; i < 5000; i++) {
            negative.append("#EXTINF:-1e300,\n").append("s").append(i).append(".ts\n");
        }
        negative.append("#EXT-X-ENDLIST\n");
        StringBuilder deep = new StringBuilder("#EXTM3U\n");
        for (int i = 0; i < 2000; i++) {
            deep.append("#EXT-X-STREAM-INF:BANDWIDTH=")
                    .append(i)
                    .append("\nvariant")
                    .append(i)
                    .append(".m3u8\n");
        }
        byte[] binary = new byte[64 * 1024];
        new Random(SEED).nextBytes(binary);
        return origin.route(
                        "/nan.m3u8",
                        HostileOrigin.text("#EXTM3U\n#EXT-X-TARGETDURATION:NaN\n" + vod
                                + "#EXTINF:NaN,\nmissing.ts\n#EXT-X-ENDLIST\n"))
                .route("/self.m3u8", HostileOrigin.text("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nself.m3u8\n"))
                .route("/negative.m3u8", HostileOrigin.text(negative.toString()))
                .route("/deep.m3u8", HostileOrigin.text(deep.toString()))
                .route("/binary.m3u8", (ex, o) -> {
                    byte[] body = concat("#EXTM3U\n".getBytes(StandardCharsets.UTF_8), binary);
                    ex.sendResponseHeaders(200, body.length);
                    ex.getResponseBody().write(body);
                })
                .route(
                        "/long-line.m3u8",
                        HostileOrigin.text("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\n" + "x".repeat(1_000_000)
                                + ".ts\n#EXT-X-ENDLIST\n"));
    }

    private static byte[] head(byte[] bytes) {
        return Arrays.copyOf(bytes, Math.min(bytes.length, CAPTURE_BYTES));
    }

    private static byte[] flipped(byte[] bytes, Random random) {
        byte[] out = bytes.clone();
        for (int i = 0; i < 200; i++) {
            out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        }
        return out;
    }

    private static byte[] smashed(byte[] bytes, Random random) {
        byte[] out = bytes.clone();
        byte[] noise = new byte[Math.min(2048, out.length)];
        random.nextBytes(noise);
        System.arraycopy(noise, 0, out, 0, noise.length);
        return out;
    }

    private static byte[] swapped(byte[] bytes, Random random) {
        byte[] out = bytes.clone();
        int chunk = 4096;
        for (int i = 0; i < 8 && out.length > 2 * chunk; i++) {
            int a = random.nextInt(out.length - chunk);
            int b = random.nextInt(out.length - chunk);
            byte[] tmp = Arrays.copyOfRange(out, a, a + chunk);
            System.arraycopy(out, b, out, a, chunk);
            System.arraycopy(tmp, 0, out, b, chunk);
        }
        return out;
    }

    /** Packets whose sync bytes are right and everything else random: PIDs, flags, adaptation fields, tables. */
    private static byte[] syncedRandom(Random random, int packets) {
        byte[] out = new byte[packets * HostileTs.PACKET];
        random.nextBytes(out);
        for (int i = 0; i < packets; i++) {
            out[i * HostileTs.PACKET] = 0x47;
            if (i % 10 == 0) {
                out[i * HostileTs.PACKET + 1] &= (byte) 0x40; // now and then PID 0: a random PAT
                out[i * HostileTs.PACKET + 2] = 0;
            }
        }
        return out;
    }

    /** The MP4 with its second box claiming to be nearly 4 GiB long. */
    private static byte[] hugeBox(byte[] mp4) {
        byte[] out = mp4.clone();
        int second = ((out[0] & 0xff) << 24) | ((out[1] & 0xff) << 16) | ((out[2] & 0xff) << 8) | (out[3] & 0xff);
        if (second > 0 && second + 4 <= out.length) {
            out[second] = (byte) 0xff;
            out[second + 1] = (byte) 0xff;
            out[second + 2] = (byte) 0xff;
            out[second + 3] = (byte) 0xf0;
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
