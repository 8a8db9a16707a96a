package dev.monoscope.operator.mosaic;

import dev.monoscope.api.DefectType;
import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.StreamMonitorStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Locale;

/**
 * A tile's health, shown three ways so that colour is never the only signal: the frame's colour, a text badge and an
 * icon. Worst first.
 */
public enum Health {
    SIGNAL_LOSS("Signal loss", "\u26A0"),
    DEFECT("Defect", "\u2716"),
    NOT_READY("Not ready", "\u23F8"),
    HEALTHY("Healthy", "\u2714");

    private final String label;
    private final String icon;

    Health(String label, String icon) {
        this.label = label;
        this.icon = icon;
    }

    public String label() {
        return label;
    }

    public String icon() {
        return icon;
    }

    /** The CSS class and the filter's name: {@code signal-loss}, {@code defect}, {@code not-ready}, {@code healthy}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** From what the operator wrote in status: defects first, then readiness. */
    public static Health of(StreamMonitor monitor) {
        StreamMonitorStatus s = monitor.getStatus();
        if (s == null) {
            return NOT_READY;
        }
        boolean lost = s.activeDefects.stream()
                .anyMatch(d -> DefectType.SIGNAL_LOSS.id().equals(d.type));
        if (lost || "False".equals(condition(s, StreamMonitorStatus.CONNECTED))) {
            return SIGNAL_LOSS;
        }
        if (!s.activeDefects.isEmpty() || (s.activeDefectCount != null && s.activeDefectCount > 0)) {
            return DEFECT;
        }
        return "True".equals(condition(s, StreamMonitorStatus.READY)) ? HEALTHY : NOT_READY;
    }

    static String condition(StreamMonitorStatus s, String type) {
        return s.conditions.stream()
                .filter(c -> type.equals(c.getType()))
                .map(Condition::getStatus)
                .findFirst()
                .orElse(null);
    }
}
