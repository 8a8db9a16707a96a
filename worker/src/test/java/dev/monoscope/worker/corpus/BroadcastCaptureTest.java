package dev.monoscope.worker.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.worker.cli.CliRun;
import dev.monoscope.worker.media.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real broadcast captures (../shared/media/broadcast): each decodes to its end and, on this real content, no defect
 * is reported. They start and end mid-stream: the pictures before the first keyframe and the cut-off last picture
 * are not corruption.
 */
class BroadcastCaptureTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "test-025.ts, 3.3, mpeg2video",
            "test-026.ts, 1.9, h264",
            "test-072.ts, 12, h264",
            "test-137.ts, 1.3, hevc",
            "test-151.ts, 10, h264"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void decodesToTheEndWithNoDefect(String file, double seconds, String codec) {
        Path capture = TestMedia.broadcast(file);
        assertThat(Files.isReadable(capture)).as("capture %s", capture).isTrue();

        CliRun run = CliRun.of("monitor", "--json", capture.toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.started()).as("defects on real content").isEmpty();
        assertThat(run.ended()).isEmpty();
        assertThat(run.summary().path("frames").asLong()).isPositive();
        assertThat(run.summary().path("durationSec").asDouble()).isBetween(seconds * 0.5, seconds + 1.0);
        assertThat(run.summary().path("defects").size()).isZero();
    }
}
