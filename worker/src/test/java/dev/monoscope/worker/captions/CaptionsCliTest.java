package dev.monoscope.worker.captions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.monoscope.worker.cli.CliRun;
import dev.monoscope.worker.media.CaptionedH264;
import dev.monoscope.worker.media.TestMedia;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** CEA-608/708 caption data in H.264 SEI, through the real command line. */
class CaptionsCliTest {

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void captionsThatStopAreMissingFromTheirLastDataUntilTheyComeBack() {
        CliRun run =
                assertMissingFrom6To18(CaptionedH264.clip("captions-gap-6s-18s.ts", 26, true, t -> t < 6 || t >= 18));
        assertThat(run.summary().path("captions").get(0).path("pid").asInt()).isEqualTo(256);
    }

    /** In MP4 the NAL units are length-prefixed (avcC), not separated by start codes; there is no PID. */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void mp4NalUnitsCarryThemToo() {
        Path h264 = CaptionedH264.clip("captions-gap-6s-18s.ts", 26, true, t -> t < 6 || t >= 18);
        CliRun run = assertMissingFrom6To18(
                TestMedia.clip("captions-gap-6s-18s.mp4", List.of("-i", h264.toString(), "-c", "copy")));
        assertThat(run.summary().path("captions").get(0).has("pid")).isFalse();
    }

    /** FFmpeg's MPEG-2 encoder carries the decoded pictures' A/53 data on, in the pictures' user data. */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void mpeg2PictureUserDataCarriesThemToo() {
        Path h264 = CaptionedH264.clip("captions-gap-6s-18s.ts", 26, true, t -> t < 6 || t >= 18);
        assertMissingFrom6To18(TestMedia.clip(
                "captions-gap-6s-18s-mpeg2.ts", List.of("-i", h264.toString(), "-c:v", "mpeg2video", "-b:v", "1M")));
    }

    private static CliRun assertMissingFrom6To18(Path clip) {
        CliRun run = CliRun.of("monitor", "--json", clip.toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        List<JsonNode> captions = ofType(run.ended(), "captions");
        assertThat(captions).as(run.stdout()).hasSize(1);
        JsonNode missing = captions.get(0);
        assertThat(missing.path("subtype").asText()).isEqualTo("missing");
        assertThat(missing.path("severity").asText()).isEqualTo("major");
        assertThat(missing.path("start").asDouble()).isCloseTo(6.0, within(0.25));
        assertThat(missing.path("end").asDouble()).isCloseTo(18.0, within(0.25));
        assertThat(missing.has("truncated"))
                .as("ended when the captions came back")
                .isFalse();
        assertThat(missing.path("details").path("kinds").toString()).contains("cea608", "cea708");
        assertThat(kinds(run.summary())).containsExactly("cea608", "cea708");
        return run;
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void requiredCaptionsThatNeverComeAreMissingFromTheStartAndOthersAreNot() {
        Path clip = CaptionedH264.clip("captions-none-8s.ts", 8, false, t -> false);

        CliRun required =
                CliRun.of("monitor", "--json", "--captions-required", "--captions-min-duration", "3", clip.toString());
        CliRun optional = CliRun.of("monitor", "--json", "--captions-min-duration", "3", clip.toString());

        List<JsonNode> missing = ofType(required.ended(), "captions");
        assertThat(missing).as(required.stdout()).hasSize(1);
        assertThat(missing.get(0).path("start").asDouble()).isCloseTo(0.0, within(0.25));
        assertThat(missing.get(0).path("details").path("required").asBoolean()).isTrue();
        assertThat(missing.get(0).path("truncated").asBoolean()).isTrue();
        assertThat(ofType(optional.ended(), "captions")).as(optional.stdout()).isEmpty();
        assertThat(optional.summary().has("captions")).isFalse();
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void captionsThroughoutAreListedAndNeverMissing() {
        Path clip = CaptionedH264.clip("captions-608-12s.ts", 12, false, t -> true);

        CliRun run = CliRun.of("monitor", "--json", "--captions-required", clip.toString());

        assertThat(ofType(run.ended(), "captions")).as(run.stdout()).isEmpty();
        assertThat(kinds(run.summary())).containsExactly("cea608");
    }

    private static List<JsonNode> ofType(List<JsonNode> events, String type) {
        return events.stream().filter(e -> e.path("type").asText().equals(type)).toList();
    }

    private static List<String> kinds(JsonNode summary) {
        List<String> kinds = new ArrayList<>();
        summary.path("captions").forEach(c -> kinds.add(c.path("kind").asText()));
        return kinds;
    }
}
