package dev.monoscope.worker.report;

import dev.monoscope.api.worker.Defect;

/**
 * Told when a defect starts and when it ends (after the tracker's minimum duration and suppression rules).
 * Called on the pipeline thread: implementations must not block (queue and return).
 */
public interface DefectListener {

    void defectStarted(Defect defect);

    void defectEnded(Defect defect);
}
