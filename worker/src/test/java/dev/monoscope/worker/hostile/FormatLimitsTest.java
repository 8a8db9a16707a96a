package dev.monoscope.worker.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.worker.cli.CliRun;
import dev.monoscope.worker.media.TestMedia;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A picture or sample rate over the limits is refused with the limit named, before any decoder allocates for it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FormatLimitsTest {

    @Test
    void aPictureWiderThan8192IsRefusedNamingTheLimit() {
        // raw video keeps the file small: 8320x16, two pictures
        Path wide = TestMedia.clip(
                "hostile-8320x16.mkv",
                List.of("-f", "lavfi", "-i", "testsrc2=size=8320x16:rate=2:duration=1", "-c:v", "rawvideo"));
        CliRun run = CliRun.of("monitor", "--json", wide.toString());
        assertThat(run.summary().path("error").asText())
                .contains("the picture is 8320x16, over the limit of 8192x4320");
        assertThat(run.exitCode()).isNotZero();
    }

    @Test
    void aSampleRateOver192kHzIsRefusedNamingTheLimit() {
        Path fast = TestMedia.clip(
                "hostile-384k.wav", List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=384000:duration=0.5"));
        CliRun run = CliRun.of("monitor", "--json", fast.toString());
        assertThat(run.summary().path("error").asText())
                .contains("the audio sample rate is 384000 Hz, over the limit of 192000 Hz");
    }
}
