package dev.monoscope.worker.detect.loudness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.monoscope.worker.decode.DecoderOptions;
import dev.monoscope.worker.decode.StreamDecoder;
import dev.monoscope.worker.defect.DefectTracker;
import dev.monoscope.worker.detect.DetectorReadings;
import dev.monoscope.worker.detect.LoudnessDetector;
import dev.monoscope.worker.report.DetectorMetrics;
import dev.monoscope.worker.source.SourceUrl;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The levels reach Prometheus as gauges per track, for registries bound before and after the track appeared; the
 * scraped integrated loudness and true peak are FFmpeg's (within 0.1 LU and 0.2 dB). Measured with the defect off.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoudnessMetricsTest {

    @Test
    void levelsAreScrapedAsGaugesPerTrack() throws Exception {
        LoudnessDetector detector = new LoudnessDetector(false, -23, 10, 5, 15);
        PrometheusMeterRegistry early = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DetectorMetrics.bind(new DetectorReadings(detector.levels(), null, null), early);
        DefectTracker tracker = new DefectTracker("test", List.of(), Map.of(), Map.of());
        var clip = LoudnessMeterTest.stereo48k();
        try (StreamDecoder d =
                StreamDecoder.open(SourceUrl.parse(clip.toString(), true, null, null), DecoderOptions.cpu(10))) {
            double t = 0;
            StreamDecoder.Kind k;
            while ((k = d.next()) != null) {
                if (k == StreamDecoder.Kind.AUDIO) {
                    detector.audio(d.audioBlock(), t, tracker);
                    t += d.audioBlock().samples() / (double) d.audioBlock().sampleRate();
                }
            }
        }
        PrometheusMeterRegistry late = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DetectorMetrics.bind(new DetectorReadings(detector.levels(), null, null), late);

        String log = LoudnessMeterTest.ffmpegEbur128(clip);
        Matcher i = Pattern.compile("I:\\s+(-?[0-9.]+) LUFS\\s+Threshold").matcher(log);
        Matcher p = Pattern.compile("Peak:\\s+(-?[0-9.]+) dBFS").matcher(log);
        assertThat(i.find() && p.find()).as(log).isTrue();
        for (PrometheusMeterRegistry r : List.of(early, late)) {
            String scrape = r.scrape();
            assertThat(gauge(scrape, "monoscope_loudness_integrated_lufs"))
                    .isCloseTo(Double.parseDouble(i.group(1)), within(0.1));
            assertThat(gauge(scrape, "monoscope_true_peak_dbtp"))
                    .isCloseTo(Double.parseDouble(p.group(1)), within(0.2));
            assertThat(gauge(scrape, "monoscope_loudness_momentary_lufs")).isBetween(-40.0, 0.0);
            assertThat(gauge(scrape, "monoscope_loudness_shortterm_lufs")).isBetween(-40.0, 0.0);
        }
        assertThat(tracker.counts()).isEmpty();

        detector.reset(); // reopened: nothing measured until sound comes again
        assertThat(gauge(late.scrape(), "monoscope_loudness_shortterm_lufs")).isNaN();
    }

    private static double gauge(String scrape, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{track=\"1\"} (\\S+)$").matcher(scrape);
        assertThat(m.find()).as(scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
