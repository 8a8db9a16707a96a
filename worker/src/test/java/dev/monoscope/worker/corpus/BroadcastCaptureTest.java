package dev.monoscope.worker.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.monoscope.worker.cli.CliRun;
import dev.monoscope.worker.media.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real broadcast captures (committed fixtures, src/test/resources/broadcast): each decodes to its end and, on this real content, raises
 * exactly the defects it really has and nothing else: test-072 carries its PAT and PMT once in 12 s (a PAT error and
 * a PMT error, ETSI TR 101 290); test-025's PCRs are up to 46 ms apart in places (a PCR repetition error: DVB allows
 * 40 ms); test-151's third audio track (E-AC-3, hearing impaired) plays at -36 to -42 LUFS from 3 s on, FFmpeg's
 * ebur128 agrees, more than 10 LU under EBU R128's -23 (a quiet loudness defect). They start and end mid-stream: the
 * pictures before the first keyframe and the cut-off last picture are not corruption.
 */
class BroadcastCaptureTest {

    /** @param defects the defects the capture really has, as type or type/subtype, space-separated */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "test-025.ts, 3.3, mpeg2video, transport/pcr_repetition_error",
        "test-026.ts, 1.9, h264, ''",
        "test-072.ts, 12, h264, transport/pat_error transport/pmt_error",
        "test-137.ts, 1.3, hevc, ''",
        "test-151.ts, 10, h264, loudness"
    })
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void decodesToTheEndWithTheDefectsItReallyHas(String file, double seconds, String codec, String defects) {
        Path capture = TestMedia.broadcast(file);
        assertThat(Files.isReadable(capture)).as("capture %s", capture).isTrue();

        CliRun run = CliRun.of("monitor", "--json", capture.toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        List<String> expected = defects.isBlank() ? List.of() : List.of(defects.split(" "));
        assertThat(run.started())
                .extracting(d -> d.path("type").asText()
                        + (d.has("subtype") ? "/" + d.path("subtype").asText() : ""))
                .as("defects on real content")
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(run.ended()).hasSameSizeAs(expected);
        assertThat(run.summary().path("frames").asLong()).isPositive();
        assertThat(run.summary().path("durationSec").asDouble()).isBetween(seconds * 0.5, seconds + 1.0);
        assertThat(run.summary().path("defects").size()).isEqualTo((int)
                expected.stream().map(d -> d.split("/")[0]).distinct().count());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theQuietTrackOfTest151IsTheOneReported() {
        CliRun run = CliRun.of(
                "monitor", "--json", TestMedia.broadcast("test-151.ts").toString());

        JsonNode loudness = run.started().get(0);
        assertThat(loudness.path("details").path("track").asInt()).isEqualTo(3);
        assertThat(loudness.path("details").path("direction").asText()).isEqualTo("quiet");
        assertThat(loudness.path("start").asDouble()).isBetween(2.5, 3.5);
    }
}
