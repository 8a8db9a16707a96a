package dev.monoscope.worker.media;

import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;

import dev.monoscope.worker.decode.BundledFfmpeg;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;

/**
 * Test media: clips generated once with the {@link BundledFfmpeg}, cached under
 * {@code target/corpus} (system property {@code monoscope.corpus.dir}), and the real broadcast captures.
 */
public final class TestMedia {

    private TestMedia() {}

    /**
     * {@code seconds} of 640x360 25 fps MPEG-2 test pattern (a keyframe every second) and an MP2 tone, MPEG-TS: quick
     * to make, and every TS packet of it is plain to read.
     */
    public static Path mpeg2TestPattern(String name, int seconds) {
        return clip(
                name,
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=size=640x360:rate=25:duration=" + seconds,
                        "-f",
                        "lavfi",
                        "-i",
                        "sine=frequency=440:sample_rate=48000:duration=" + seconds,
                        "-c:v",
                        "mpeg2video",
                        "-b:v",
                        "1M",
                        "-g",
                        "25",
                        "-c:a",
                        "mp2",
                        "-b:a",
                        "128k"));
    }

    /** The corpus folder. */
    public static Path corpusDir() {
        return Path.of(System.getProperty("monoscope.corpus.dir", "target/corpus"))
                .toAbsolutePath();
    }

    /**
     * FFmpeg's MPEG-TS muxer options for every TS the tests make: PCRs at most 40 ms apart (DVB, ETSI TR 101 290)
     * where FFmpeg would space them up to 100 ms in VBR streams, and one audio frame per PES packet, so that an
     * audio-only stream (whose PCRs ride on its audio PES packets) does too. A clip must not carry a transport error
     * it is not labelled with.
     */
    public static final List<String> TS_MUX_OPTIONS = List.of("-pcr_period", "20", "-pes_payload_size", "0");

    /**
     * The clip {@code name} (its extension picks the container), made by running
     * {@code ffmpeg -y <ffmpegArgs> -f <muxer of the extension> <output>} the first time and cached afterwards.
     * The args must not name the output. Written to a temporary name and renamed, so a killed run never leaves a half file behind.
     */
    public static Path clip(String name, List<String> ffmpegArgs) {
        return clip(name, ffmpegArgs, file -> true);
    }

    /**
     * As {@link #clip(String, List)}, for a recipe whose random part can miss what the clip is labelled with: a file
     * that opens but is not {@code usable} (cached or just made) is made again, as one that does not open is.
     */
    public static synchronized Path clip(String name, List<String> ffmpegArgs, Predicate<Path> usable) {
        Path target = corpusDir().resolve(name);
        // a TS clip made with other muxer options (an older cache) is made again
        boolean ts = name.endsWith(".ts");
        Path tsMarker = target.resolveSibling(".mux-" + name);
        if (Files.isRegularFile(target) && (!ts || muxedWith(tsMarker, TS_MUX_OPTIONS)) && usable.test(target)) {
            return target;
        }
        try {
            Files.createDirectories(target.getParent());
            // A recipe with random damage can make a file FFmpeg cannot read back, and FFmpeg still exits 0: the mp4
            // muxer adds a negative size to 'mdat' when the noise filter breaks an AV1 OBU header (seen ~1 run in 4,
            // FFmpeg 8.1), or leaves the damaged temporal unit out altogether (a recipe's `usable` check). Such a file
            // is made again; the damage differs each time, as SVT-AV1's output does.
            for (int attempt = 1; ; attempt++) {
                Path made = make(name, ffmpegArgs, ts);
                if (opens(made) && usable.test(made)) {
                    Files.move(made, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    break;
                }
                Files.deleteIfExists(made);
                if (attempt == 5) {
                    throw new IllegalStateException("ffmpeg made " + name + " 5 times; none of them is usable");
                }
            }
            if (ts) {
                Files.writeString(tsMarker, String.join(" ", TS_MUX_OPTIONS));
            }
            return target;
        } catch (IOException e) {
            throw new IllegalStateException("cannot make " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted making " + name, e);
        }
    }

    /** Runs ffmpeg once into a temporary file beside the cache and returns it. */
    private static Path make(String name, List<String> ffmpegArgs, boolean ts)
            throws IOException, InterruptedException {
        Path target = corpusDir().resolve(name);
        String ext = name.contains(".") ? name.substring(name.lastIndexOf('.')) : "";
        Path tmp = target.resolveSibling(".tmp-" + ProcessHandle.current().pid() + "-" + name);
        List<String> cmd = new ArrayList<>();
        cmd.add(BundledFfmpeg.executable().toString());
        cmd.addAll(List.of("-hide_banner", "-loglevel", "error", "-nostdin", "-y"));
        cmd.addAll(ffmpegArgs);
        if (ts) {
            cmd.addAll(TS_MUX_OPTIONS);
        }
        if (!ext.isEmpty()) { // the temp name hides the extension from ffmpeg
            cmd.add("-f");
            cmd.add(muxerFor(ext));
        }
        cmd.add(tmp.toString());
        Path log = target.resolveSibling(".log-" + name + ".txt");
        Process p = BundledFfmpeg.processBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("ffmpeg timed out making " + name);
        }
        if (p.exitValue() != 0) {
            Files.deleteIfExists(tmp);
            throw new IllegalStateException(
                    "ffmpeg failed making " + name + ": " + String.join(" ", cmd) + "\n" + Files.readString(log));
        }
        Files.deleteIfExists(log);
        return tmp;
    }

    /** Whether libavformat opens the file and finds its streams, as every reader of a clip will. */
    private static boolean opens(Path file) {
        if (file.getFileName().toString().endsWith(".m3u8")) {
            return true; // a playlist names its segments; they are checked by the tests that serve them
        }
        AVFormatContext fmt = probed(file);
        if (fmt == null) {
            return false;
        }
        avformat_close_input(fmt);
        return true;
    }

    /** The file opened and its streams found, to be closed by the caller; null when libavformat cannot. */
    public static AVFormatContext probed(Path file) {
        AVFormatContext fmt = avformat_alloc_context();
        if (avformat_open_input(fmt, file.toString(), null, null) < 0) {
            return null; // libavformat frees the context on failure
        }
        if (avformat_find_stream_info(fmt, (AVDictionary) null) < 0) {
            avformat_close_input(fmt);
            return null;
        }
        return fmt;
    }

    private static boolean muxedWith(Path marker, List<String> options) {
        try {
            return Files.isRegularFile(marker) && Files.readString(marker).equals(String.join(" ", options));
        } catch (IOException e) {
            return false;
        }
    }

    /** A real broadcast capture from the committed fixtures ({@code src/test/resources/broadcast/}) (system property {@code monoscope.broadcast.dir}). */
    public static Path broadcast(String file) {
        Path dir = Path.of(System.getProperty("monoscope.broadcast.dir", "src/test/resources/broadcast"));
        return dir.resolve(file).toAbsolutePath().normalize();
    }

    private static String muxerFor(String ext) {
        return switch (ext) {
            case ".ts" -> "mpegts";
            case ".mp4", ".m4v" -> "mp4";
            case ".mkv" -> "matroska";
            case ".webm" -> "webm";
            case ".wav" -> "wav";
            case ".m3u8" -> "hls";
            default -> ext.substring(1);
        };
    }
}
