package dev.monoscope.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FFmpeg baseline row applies its loudness rule to {@code ebur128}'s values as they are, not as its log rounds. */
class FfmpegBaselineTest {

    @TempDir
    Path dir;

    @Test
    void aLoudPassageLastsUntilItsShortTermLoudnessIsBackInRangeUnrounded() throws IOException {
        List<String> log = new ArrayList<>();
        for (int block = 0; block < 100; block++) {
            // 2 s in range, 6 s loud, 0.5 s at -17.96 (printed -18.0 by ebur128's own log: still too loud), then back
            double s = block < 20 ? -23 : block < 80 ? -12 : block < 85 ? -17.96 : -18.01;
            log.add(String.format(
                    Locale.ROOT,
                    "[Parsed_ametadata_4 @ 0x5581] frame:%d    pts:%d    pts_time:%.1f",
                    block,
                    block * 4800,
                    block * 0.1));
            log.add(String.format(Locale.ROOT, "[Parsed_ametadata_4 @ 0x5581] lavfi.r128.S=%.3f", s));
        }
        Path file = Files.write(dir.resolve("ffmpeg.log"), log);

        List<Truth> found = Tools.readFilters(file, 10);

        assertThat(found).containsExactly(new Truth(Injected.LOUDNESS, 2.0, 8.5));
    }
}
