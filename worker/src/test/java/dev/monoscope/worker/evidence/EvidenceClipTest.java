package dev.monoscope.worker.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;

import com.fasterxml.jackson.databind.JsonNode;
import dev.monoscope.worker.cli.CliRun;
import dev.monoscope.worker.live.LiveClip;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        CliRun run = CliRun.of(
                "monitor",
                "--json",
                "--evidence-dir",
                dir.toString(),
                LiveClip.get().toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
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
        CliRun run = CliRun.of(
                "monitor",
                "--json",
                "--evidence-dir",
                dir.toString(),
                "--evidence-max-mb",
                "1",
                LiveClip.get().toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
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

    private static JsonNode evidenceOf(CliRun run, String type) {
        long id = run.started().stream()
                .filter(e -> e.path("type").asText().equals(type))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " in " + run.stdout()))
                .path("id")
                .asLong();
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
