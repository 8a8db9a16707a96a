package dev.monoscope.sandbox;

import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.StreamMonitorStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code make run} shows: a table of the StreamMonitors (name, ready, healthy, active defects, decoder, fps,
 * pods), printed again whenever it changes, and every Event as it is recorded.
 */
final class StatusView {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final String ROW = "%-24s %-6s %-8s %-28s %-8s %-6s %s%n";

    private final KubernetesClient client;
    private final PrintStream out;
    private final Map<String, Integer> eventCounts = new HashMap<>();
    private String lastTable = "";

    StatusView(KubernetesClient client, PrintStream out) {
        this.client = client;
        this.out = out;
    }

    /** Refreshes once a second until the thread is interrupted. */
    void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                refresh();
            } catch (RuntimeException e) {
                out.println(time() + "  (API unavailable: " + e.getMessage() + ")");
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void refresh() {
        String table = table();
        if (!table.equals(lastTable)) {
            lastTable = table;
            out.print(stamp(table));
        }
        List<Event> events =
                new ArrayList<>(client.v1().events().inAnyNamespace().list().getItems());
        events.sort(Comparator.comparing(e -> String.valueOf(e.getLastTimestamp())));
        for (Event e : events) {
            int count = e.getCount() == null ? 1 : e.getCount();
            Integer seen = eventCounts.put(e.getMetadata().getUid(), count);
            if (seen == null || seen != count) {
                out.printf(
                        "%s  %-7s %-20s %s/%s: %s%s%n",
                        time(),
                        e.getType(),
                        e.getReason(),
                        e.getInvolvedObject().getKind().toLowerCase(),
                        e.getInvolvedObject().getName(),
                        e.getMessage(),
                        count > 1 ? " (x" + count + ")" : "");
            }
        }
    }

    private String table() {
        List<StreamMonitor> monitors =
                client.resources(StreamMonitor.class).inAnyNamespace().list().getItems();
        StringBuilder table = new StringBuilder();
        table.append(String.format(ROW, "NAME", "READY", "HEALTHY", "ACTIVE DEFECTS", "DECODER", "FPS", "PODS"));
        for (StreamMonitor m : monitors) {
            StreamMonitorStatus s = m.getStatus();
            String pods = s == null || s.replicas == null
                    ? "-"
                    : (s.readyReplicas == null ? 0 : s.readyReplicas) + "/" + s.replicas;
            table.append(String.format(
                    ROW,
                    m.getMetadata().getName(),
                    condition(s, StreamMonitorStatus.READY),
                    condition(s, StreamMonitorStatus.HEALTHY),
                    s == null || s.activeDefectSummary == null || s.activeDefectSummary.isBlank()
                            ? "-"
                            : s.activeDefectSummary,
                    s == null || s.decoder == null ? "-" : s.decoder,
                    s == null || s.stream == null || s.stream.frameRate == null
                            ? "-"
                            : String.format("%.2f", s.stream.frameRate),
                    pods));
        }
        return table.toString();
    }

    private static String stamp(String table) {
        StringBuilder stamped = new StringBuilder("\n");
        table.lines().forEach(l -> stamped.append(time()).append("  ").append(l).append('\n'));
        return stamped.toString();
    }

    private static String condition(StreamMonitorStatus status, String type) {
        if (status == null || status.conditions == null) {
            return "-";
        }
        return status.conditions.stream()
                .filter(c -> type.equals(c.getType()))
                .map(Condition::getStatus)
                .findFirst()
                .orElse("-");
    }

    private static String time() {
        return LocalTime.now().format(TIME);
    }
}
