package dev.monoscope.operator.mosaic;

import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.StreamMonitorStatus;
import dev.monoscope.api.worker.Defect;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One stream as the mosaic shows it, from the StreamMonitor's metadata and status only: what the page renders and what
 * its script polls ({@code GET /mosaic/api/tiles}).
 */
public record Tile(
        String namespace,
        String name,
        String labels,
        String health,
        String healthLabel,
        String icon,
        List<String> defects,
        String decoder,
        String fps,
        String resolution,
        String source) {

    public static Tile of(StreamMonitor m) {
        StreamMonitorStatus s = m.getStatus();
        Health health = Health.of(m);
        Map<String, String> labels = m.getMetadata().getLabels() == null
                ? Map.of()
                : new TreeMap<>(m.getMetadata().getLabels());
        return new Tile(
                m.getMetadata().getNamespace(),
                m.getMetadata().getName(),
                labels.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(",")),
                health.id(),
                health.label(),
                health.icon(),
                s == null
                        ? List.of()
                        : s.activeDefects.stream().map(Tile::describe).toList(),
                s == null || s.decoder == null ? "–" : s.decoder,
                s == null || s.stream == null || s.stream.frameRate == null
                        ? "–"
                        : String.format(Locale.ROOT, "%.2f", s.stream.frameRate).replaceAll("\\.?0+$", ""),
                s == null || s.stream == null || s.stream.width == null ? "–" : s.stream.width + "×" + s.stream.height,
                m.getSpec() == null || m.getSpec().source == null ? "" : SafeUrl.of(m.getSpec().source.url));
    }

    /** The tile's key in the page and the API: namespace/name. */
    public String key() {
        return namespace + "/" + name;
    }

    private static String describe(Defect d) {
        return d.type + (d.subtype == null ? "" : " (" + d.subtype + ")");
    }
}
