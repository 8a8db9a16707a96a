package dev.monoscope.worker.detect;

import dev.monoscope.api.DefectType;
import dev.monoscope.api.worker.Cue;
import java.util.Map;

/**
 * Where detectors hand their verdicts: per condition (e.g. {@code black}, {@code silence/2}), defective or not, from
 * when and up to where on the media clock. The defect tracker implements it; detectors know nothing more of it.
 */
public interface DefectSink {

    /** One picture's verdict: it holds from the picture's time. */
    default void observe(String key, DefectType type, boolean defective, double time, Map<String, Object> details) {
        observe(key, type, defective, time, time, details);
    }

    /**
     * A verdict for the condition {@code key}.
     *
     * @param since   when this verdict started to hold, in media seconds (e.g. the first silent sample)
     * @param now     how far the detector has seen, in media seconds
     * @param details measurements to report with the defect when this observation raises it; may be null
     */
    void observe(String key, DefectType type, boolean defective, double since, double now, Map<String, Object> details);

    /**
     * A verdict for a condition with a subtype (e.g. transport's {@code continuity_count_error}), which its defects
     * carry as {@code subtype}. One key, one subtype.
     */
    void observe(
            String key,
            DefectType type,
            String subtype,
            boolean defective,
            double since,
            double now,
            Map<String, Object> details);

    /**
     * The condition {@code key}, pending and not raised yet, began later than first observed: at {@code since} (a
     * detector judged its first pictures again). Once raised, its start has been reported and stays.
     */
    default void startsLater(String key, double since) {}

    /** An SCTE-35 cue was seen: not a defect, an event for the outputs. */
    default void cue(Cue cue) {}

    /** Whether any condition of this type is defective now (pending or raised). */
    boolean anyDefective(DefectType type);
}
