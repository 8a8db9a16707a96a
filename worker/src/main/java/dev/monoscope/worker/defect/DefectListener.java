package dev.monoscope.worker.defect;

import dev.monoscope.api.DefectType;
import dev.monoscope.api.worker.Cue;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.api.worker.Evidence;

/**
 * An output of the tracker (report, metrics, webhook, JSON Lines, console, evidence): told when a condition begins,
 * when a defect starts (after the tracker's minimum duration and suppression rules) and when it ends. Every method
 * has a default, so an output implements what it shows and a new kind of event leaves the others unchanged. Called
 * on the pipeline thread, in the order the listeners were given: implementations must not block (queue and return).
 */
public interface DefectListener {

    /** A condition began at media time {@code since} (it may never become a defect). */
    default void conditionStarted(String key, DefectType type, double since) {}

    /** A defect was raised from the condition {@code key}; by default, {@link #defectStarted(Defect)}. */
    default void defectStarted(String key, Defect defect) {
        defectStarted(defect);
    }

    default void defectStarted(Defect defect) {}

    default void defectEnded(Defect defect) {}

    /** An SCTE-35 cue was seen (not a defect). */
    default void cue(Cue cue) {}

    /** The files of defect {@code defectId}'s evidence were written (its clip comes after the defect's start + 5 s). */
    default void evidenceWritten(long defectId, Evidence evidence) {}
}
