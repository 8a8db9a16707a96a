package dev.monoscope.worker.report;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;

/**
 * HLS delivery figures as Prometheus metrics, read at scrape time from the report's {@code delivery} (the worker's own
 * playlist and segment fetches): reloads, segments fetched, segment errors and retries, discontinuities, the last
 * segment fetch time and reload interval. 0 for inputs that are not live HLS.
 */
final class DeliveryMetrics {

    private DeliveryMetrics() {}

    static void bind(ReportState state, MeterRegistry registry) {
        counter(state, registry, "monoscope.hls.playlist.reloads", "playlistReloads", "Playlist reloads");
        counter(state, registry, "monoscope.hls.segments.fetched", "segmentsFetched", "Segments fetched in full");
        counter(
                state,
                registry,
                "monoscope.hls.segment.errors",
                "segmentErrors",
                "Segments not fetched, retries spent");
        counter(state, registry, "monoscope.hls.segment.retries", "retries", "Segment fetches tried again");
        counter(state, registry, "monoscope.hls.discontinuities", "discontinuities", "EXT-X-DISCONTINUITY tags seen");
        gauge(state, registry, "monoscope.hls.segment.fetch", "segmentFetchSeconds", "The last segment's fetch time");
        gauge(state, registry, "monoscope.hls.reload.interval", "reloadIntervalSeconds", "The last reload interval");
    }

    private static void counter(ReportState state, MeterRegistry registry, String name, String key, String what) {
        FunctionCounter.builder(name, state, s -> value(s, key))
                .description(what + " (HLS delivery, the worker's own fetches)")
                .register(registry);
    }

    private static void gauge(ReportState state, MeterRegistry registry, String name, String key, String what) {
        Gauge.builder(name, state, s -> value(s, key))
                .baseUnit("seconds")
                .description(what + " (HLS delivery, the worker's own fetches)")
                .register(registry);
    }

    private static double value(ReportState state, String key) {
        return state.read(r -> {
            Map<String, Object> d = r.delivery;
            return d != null && d.get(key) instanceof Number n ? n.doubleValue() : 0.0;
        });
    }
}
