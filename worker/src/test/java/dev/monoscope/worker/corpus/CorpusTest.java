package dev.monoscope.worker.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.monoscope.worker.cli.CliRun;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tier 2: every labelled clip, through the real command line ({@code monitor --json}): each injected defect is
 * found, at the right time (video within 2 frames, audio within 50 ms), and nothing else is reported.
 */
class CorpusTest {

    static List<LabelledClip> corpus() {
        return LabelledClip.corpus();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void findsEveryInjectedDefectAtItsTimeAndNothingElse(LabelledClip clip) {
        String file = clip.file().toString();
        double[] offsets = clip.offsets();
        double v = offsets[0];
        double a = offsets[1];
        double frame = 1.0 / clip.fps();

        CliRun run = CliRun.of("monitor", "--json", file);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        List<JsonNode> ended = run.ended();
        assertThat(ended)
                .extracting(e -> e.path("type").asText())
                .as("defects in %s: %s", clip, ended)
                .containsExactly("black", "freeze", "silence", "corruption");

        JsonNode black = ended.get(0);
        assertThat(black.path("start").asDouble()).isCloseTo(LabelledClip.BLACK_START + v, within(2 * frame));
        assertThat(black.path("end").asDouble()).isCloseTo(LabelledClip.BLACK_END + v, within(2 * frame));

        JsonNode freeze = ended.get(1);
        assertThat(freeze.path("start").asDouble()).isCloseTo(LabelledClip.FREEZE_START + v, within(2 * frame));
        assertThat(freeze.path("end").asDouble()).isCloseTo(LabelledClip.FREEZE_END + v, within(2 * frame));

        JsonNode silence = ended.get(2);
        assertThat(silence.path("start").asDouble()).isCloseTo(LabelledClip.SILENCE_START + a, within(0.050));
        assertThat(silence.path("end").asDouble()).isCloseTo(LabelledClip.SILENCE_END + a, within(0.050));
        assertThat(silence.path("details").has("channels"))
                .as("all channels silent")
                .isFalse();

        // damage is raised at once at the damaged picture and lasts at most until the next keyframe repairs it
        JsonNode corruption = ended.get(3);
        assertThat(corruption.path("start").asDouble()).isCloseTo(LabelledClip.DAMAGE_AT + v, within(2 * frame));
        assertThat(corruption.path("end").asDouble())
                .isGreaterThan(corruption.path("start").asDouble())
                .isLessThanOrEqualTo(LabelledClip.NEXT_KEYFRAME + v + 2 * frame);

        for (JsonNode e : ended) {
            assertThat(e.path("severity").asText()).isEqualTo("critical");
            assertThat(e.path("duration").asDouble())
                    .isCloseTo(e.path("end").asDouble() - e.path("start").asDouble(), within(0.0015));
            assertThat(e.has("truncated")).isFalse();
            assertThat(e.path("startedAt").asText()).endsWith("Z");
        }
        assertThat(run.started()).hasSize(4);
        JsonNode summary = run.summary();
        assertThat(summary.path("durationSec").asDouble()).isCloseTo(LabelledClip.DURATION, within(0.2));
        // some decoders drop the damaged pictures up to the next keyframe instead of concealing them
        assertThat(summary.path("frames").asLong()).isBetween((long) (clip.fps() * (LabelledClip.DURATION - 2)), (long)
                (clip.fps() * LabelledClip.DURATION));
        assertThat(summary.path("decoder").asText()).isEqualTo("cpu");
        assertThat(summary.path("defects").path("black").asInt()).isEqualTo(1);
        assertThat(summary.path("defects").path("corruption").asInt()).isEqualTo(1);
    }

    private static org.assertj.core.data.Offset<Double> within(double d) {
        return org.assertj.core.data.Offset.offset(d + 1e-6);
    }
}
