package dev.monoscope.worker.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;

import com.fasterxml.jackson.databind.JsonNode;
import dev.monoscope.worker.cli.CliRun;
import dev.monoscope.worker.corpus.LabelledClip;
import dev.monoscope.worker.decode.BundledFfmpeg;
import dev.monoscope.worker.live.LiveClip;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alarm recordings through the command line: the live-test clip (keyframe every second, black 3-6 s, silence 7-10 s,
 * 12 s) gets a clip per defect, remuxed as MPEG-TS and MP4, from the keyframe at or before start - 5 s to start + 5 s.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EvidenceClipTest {

    @Test
    void everyVideoOrAudioDefectGetsAClipAroundItsStartThatPlays(@TempDir Path dir) {
        CliRun run = monitor(dir, LiveClip.get());

        JsonNode black = evidenceOf(run, "black");
        assertThat(black.path("jpeg").asText()).endsWith(".jpg");
        assertThat(black.path("clipStart").asDouble())
                .as("the clip starts at the first picture")
                .isCloseTo(0, within(0.1));
        assertThat(black.path("clipEnd").asDouble()).isCloseTo(LiveClip.BLACK_START + 5, within(0.2));
        assertPlays(dir.resolve(black.path("clip").asText()), 8.0);
        assertPlays(dir.resolve(black.path("mp4").asText()), 8.0);

        JsonNode silence = evidenceOf(run, "silence");
        assertThat(silence.has("jpeg")).as("no picture for silence").isFalse();
        assertThat(silence.path("clipStart").asDouble())
                .as("from the keyframe at start - 5 s")
                .isCloseTo(LiveClip.SILENCE_START - 5, within(0.1));
        assertPlays(dir.resolve(silence.path("mp4").asText()), LiveClip.DURATION - (LiveClip.SILENCE_START - 5));

        JsonNode ended = run.ended().stream()
                .filter(e -> e.path("type").asText().equals("black"))
                .findFirst()
                .orElseThrow();
        assertThat(ended.path("evidence").path("clip").asText())
                .isEqualTo(black.path("clip").asText());
        assertThat(ended.path("evidence").path("jpeg").asText())
                .isEqualTo(black.path("jpeg").asText());
    }

    @Test
    void theFolderStaysUnderItsCapOldestFirst(@TempDir Path dir) throws IOException {
        CliRun run = monitor(dir, LiveClip.get(), "--evidence-max-mb", "1");

        long total;
        List<String> names;
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.toList();
            total = all.stream().mapToLong(EvidenceClipTest::size).sum();
            names = all.stream().map(f -> f.getFileName().toString()).toList();
        }
        assertThat(total).isLessThanOrEqualTo(1L << 20);
        assertThat(names)
                .as("the newest clip stays")
                .contains(evidenceOf(run, "silence").path("mp4").asText());
        assertThat(names)
                .as("the oldest went")
                .doesNotContain(evidenceOf(run, "black").path("clip").asText());
    }

    /**
     * The JPEG of a corruption defect is the first damaged picture, though the detector's verdict comes
     * {@value dev.monoscope.worker.detect.CorruptionDetector#LOOKAHEAD} pictures later: the writer holds the
     * lookahead while damage waits. Which picture it is: the nearest, by the sum of absolute differences at 64 × 36,
     * among the pictures FFmpeg decodes from the same damaged clip within a second of the defect's start. A concealed
     * picture is mostly the one before it, so that one may be nearest; a picture the verdict came with is 8 later.
     */
    @Test
    void aCorruptionJpegShowsTheFirstDamagedPicture(@TempDir Path dir) throws Exception {
        LabelledClip clip = LabelledClip.corpus().get(0);
        CliRun run = monitor(dir, clip.file());

        JsonNode corruption = startedOf(run, "corruption");
        byte[] shown = thumbnails(
                dir.resolve(evidenceOf(run, "corruption").path("jpeg").asText()), dir);
        byte[] decoded = thumbnails(clip.file(), dir);
        double start = corruption.path("start").asDouble() - clip.offsets()[0];
        int first = (int) Math.round(start * clip.fps());
        int nearest = -1;
        long best = Long.MAX_VALUE;
        for (int i = first - clip.fps(); i <= first + clip.fps(); i++) {
            long sad = 0;
            for (int j = 0; j < THUMB; j++) {
                sad += Math.abs((shown[j] & 0xff) - (decoded[i * THUMB + j] & 0xff));
            }
            if (sad < best) {
                best = sad;
                nearest = i;
            }
        }
        assertThat(nearest)
                .as("the JPEG's picture; the defect starts at content time %.3f s, picture %d", start, first)
                .isBetween(first - 1, first);
    }

    private static final int THUMB = 64 * 36;

    /** Every picture of {@code media} (a clip or a JPEG) as FFmpeg decodes it, 64 × 36 grey, one after another. */
    private static byte[] thumbnails(Path media, Path dir) throws IOException, InterruptedException {
        Path out = dir.resolve("thumbs-" + media.getFileName() + ".gray");
        Process p = BundledFfmpeg.processBuilder(List.of(
                        BundledFfmpeg.executable().toString(),
                        "-hide_banner",
                        "-loglevel",
                        "quiet",
                        "-nostdin",
                        "-y",
                        "-i",
                        media.toString(),
                        "-map",
                        "0:v:0",
                        "-fps_mode",
                        "passthrough",
                        "-vf",
                        "scale=64:36,format=gray",
                        "-f",
                        "rawvideo",
                        out.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS))
                .as("ffmpeg decodes " + media)
                .isTrue();
        byte[] all = Files.readAllBytes(out);
        Files.delete(out);
        assertThat(all.length).as("pictures of " + media).isPositive();
        return all;
    }

    /** {@code bin/monoscope monitor --json --evidence-dir dir [extra] media}, which must exit 0. */
    private static CliRun monitor(Path dir, Path media, String... extra) {
        List<String> args = new ArrayList<>(List.of("monitor", "--json", "--evidence-dir", dir.toString()));
        args.addAll(List.of(extra));
        args.add(media.toString());
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        return run;
    }

    /** The first defect_started line of {@code type}. */
    private static JsonNode startedOf(CliRun run, String type) {
        return run.started().stream()
                .filter(e -> e.path("type").asText().equals(type))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " in " + run.stdout()));
    }

    private static JsonNode evidenceOf(CliRun run, String type) {
        long id = startedOf(run, type).path("id").asLong();
        return run.events().stream()
                .filter(e -> e.path("event").asText().equals("evidence")
                        && e.path("id").asLong() == id)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no evidence event for " + type + " in " + run.stdout()));
    }

    /** FFmpeg opens the file and finds a video and an audio stream lasting about {@code seconds}. */
    private static void assertPlays(Path file, double seconds) {
        assertThat(file).isRegularFile();
        AVFormatContext fmt = new AVFormatContext(null);
        assertThat(avformat_open_input(fmt, file.toString(), null, null))
                .as("opens " + file)
                .isZero();
        try {
            assertThat(avformat_find_stream_info(fmt, (AVDictionary) null)).isGreaterThanOrEqualTo(0);
            assertThat(fmt.nb_streams()).as("video and audio").isEqualTo(2);
            assertThat(fmt.duration() / 1e6).as("duration of " + file).isCloseTo(seconds, within(0.5));
        } finally {
            avformat_close_input(fmt);
        }
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
