package dev.monoscope.worker.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.monoscope.api.worker.Cue;
import dev.monoscope.api.worker.DecoderInfo;
import dev.monoscope.api.worker.Defect;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class WorkerMetricsTest {

    private final ReportState state = new ReportState();
    private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
    private final WorkerMetrics metrics = new WorkerMetrics(state, clock::get);

    @Test
    void countersFollowTheReport() {
        state.counters(r -> {
            r.counters.put("framesDecoded", 3000L);
            r.counters.put("videoFrames", 1000L);
            r.counters.put("audioFrames", 2000L);
            r.counters.put("decodeErrors", 7L);
            r.counters.put("reconnects", 2L);
        });
        state.change(r -> r.connected = true);

        String text = metrics.scrape();

        assertThat(text)
                .contains(
                        "monoscope_frames_decoded_total 3000.0",
                        "monoscope_video_frames_decoded_total 1000.0",
                        "monoscope_audio_frames_decoded_total 2000.0",
                        "monoscope_decode_errors_total 7.0",
                        "monoscope_reconnects_total 2.0",
                        "monoscope_stream_up 1.0");
        state.change(r -> r.connected = false);
        assertThat(metrics.scrape()).contains("monoscope_stream_up 0.0");
    }

    @Test
    void hlsDeliveryFiguresComeFromTheReport() {
        assertThat(metrics.scrape()).contains("monoscope_hls_playlist_reloads_total 0.0");
        state.counters(r -> r.delivery = java.util.Map.of(
                "playlistReloads", 12L, "segmentErrors", 1L, "discontinuities", 2L, "segmentFetchSeconds", 0.25));

        assertThat(metrics.scrape())
                .contains(
                        "monoscope_hls_playlist_reloads_total 12.0",
                        "monoscope_hls_segment_errors_total 1.0",
                        "monoscope_hls_discontinuities_total 2.0",
                        "monoscope_hls_segment_fetch_seconds 0.25");
    }

    @Test
    void scte35CuesAreCountedByCommand() {
        Cue insert = new Cue();
        insert.command = "splice_insert";
        Cue signal = new Cue();
        signal.command = "time_signal";

        metrics.cue(insert);
        metrics.cue(insert);
        metrics.cue(signal);

        assertThat(metrics.scrape())
                .contains(
                        "monoscope_scte35_cues_total{command=\"splice_insert\"} 2.0",
                        "monoscope_scte35_cues_total{command=\"time_signal\"} 1.0");
    }

    @Test
    void defectsAreCountedAndActiveOnesGaugedByType() {
        assertThat(metrics.scrape())
                .contains(
                        "monoscope_defects_total{type=\"signal_loss\"} 0.0",
                        "monoscope_active_defects{type=\"black\"} 0.0");

        Defect black = defect(1, "black");
        metrics.defectStarted(black);
        metrics.defectStarted(defect(2, "freeze"));
        String during = metrics.scrape();
        assertThat(during)
                .contains(
                        "monoscope_defects_total{type=\"black\"} 1.0",
                        "monoscope_active_defects{type=\"black\"} 1.0",
                        "monoscope_active_defects{type=\"freeze\"} 1.0");

        metrics.defectEnded(black);
        metrics.defectStarted(defect(3, "black"));
        metrics.defectEnded(defect(3, "black"));
        String after = metrics.scrape();
        assertThat(after)
                .contains(
                        "monoscope_defects_total{type=\"black\"} 2.0",
                        "monoscope_active_defects{type=\"black\"} 0.0",
                        "monoscope_active_defects{type=\"freeze\"} 1.0");
    }

    @Test
    void theDecoderIsGaugedAndAFallbackShowsAsDegraded() {
        state.change(r -> r.decoder = new DecoderInfo("cuda", "auto", null));
        assertThat(metrics.scrape()).contains("monoscope_decoder_gpu 1.0", "monoscope_decoder_degraded 0.0");
        state.change(r -> r.decoder = new DecoderInfo("cpu", "gpu", "no usable CUDA device"));
        assertThat(metrics.scrape()).contains("monoscope_decoder_gpu 0.0", "monoscope_decoder_degraded 1.0");
        state.change(r -> r.decoder = new DecoderInfo("cpu", "cpu", null));
        assertThat(metrics.scrape()).contains("monoscope_decoder_gpu 0.0", "monoscope_decoder_degraded 0.0");
    }

    @Test
    void decodeRateIsVideoFramesPerSecondBetweenScrapes() {
        state.counters(r -> r.counters.put("videoFrames", 100L));
        metrics.scrape();
        clock.addAndGet(2_000_000_000L);
        state.counters(r -> r.counters.put("videoFrames", 150L));
        assertThat(value(metrics.scrape(), "monoscope_decode_fps")).isEqualTo(25.0);
        // scrapes closer than a second apart keep the last rate
        clock.addAndGet(100_000_000L);
        state.counters(r -> r.counters.put("videoFrames", 152L));
        assertThat(value(metrics.scrape(), "monoscope_decode_fps")).isEqualTo(25.0);
    }

    @Test
    void lagGrowsWhenTheMediaClockFallsBehindWallTime() {
        state.change(r -> r.connected = true);
        state.counters(r -> r.mediaTime = 10.0);
        assertThat(value(metrics.scrape(), "monoscope_processing_lag_seconds")).isZero();
        clock.addAndGet(600_000_000L);
        state.counters(r -> r.mediaTime = 10.6); // keeping real time: no lag
        assertThat(value(metrics.scrape(), "monoscope_processing_lag_seconds")).isCloseTo(0.0, within(1e-6));
        clock.addAndGet(1_000_000_000L);
        state.counters(r -> r.mediaTime = 10.8); // a second of wall time, 0.2 s of media
        assertThat(value(metrics.scrape(), "monoscope_processing_lag_seconds")).isCloseTo(0.8, within(1e-6));
        assertThat(value(metrics.scrape(), "monoscope_media_time_seconds")).isEqualTo(10.8);
        state.change(r -> r.connected = false); // an outage is not lag
        assertThat(value(metrics.scrape(), "monoscope_processing_lag_seconds")).isZero();
    }

    @Test
    void exposesOtherComponentsCounts() {
        metrics.countOf("monoscope.webhook.dropped", "Webhook messages dropped", () -> 5);
        assertThat(metrics.scrape()).contains("monoscope_webhook_dropped_total 5.0");
    }

    static double value(String text, String metric) {
        return text.lines()
                .filter(l -> l.startsWith(metric + " "))
                .mapToDouble(
                        l -> Double.parseDouble(l.substring(metric.length() + 1).trim()))
                .findFirst()
                .orElseThrow();
    }

    private static Defect defect(long id, String type) {
        Defect d = new Defect();
        d.id = id;
        d.type = type;
        d.start = 1.0;
        return d;
    }
}
