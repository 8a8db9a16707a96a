package dev.monoscope.worker.report;

import dev.monoscope.api.worker.Cue;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.api.worker.WorkerReport;
import dev.monoscope.worker.defect.DefectListener;
import java.util.ArrayList;

/**
 * Keeps the report's defects current: active ones, the most recent {@value WorkerReport#RECENT_DEFECTS} ended ones
 * and the last id; and the last {@value WorkerReport#LAST_CUES} SCTE-35 cues. The tracker's first listener, so that
 * every other output is told after the report changed.
 */
public final class ReportDefects implements DefectListener {

    private final ReportState state;

    public ReportDefects(ReportState state) {
        this.state = state;
    }

    @Override
    public void defectStarted(Defect defect) {
        long id = defect.id;
        state.change(r -> {
            r.activeDefects.add(defect.copy());
            r.defectSeq = id;
        });
    }

    @Override
    public void defectEnded(Defect defect) {
        state.change(r -> {
            r.activeDefects.removeIf(a -> a.id.equals(defect.id));
            r.recentDefects.add(defect.copy());
            while (r.recentDefects.size() > WorkerReport.RECENT_DEFECTS) {
                r.recentDefects.remove(0);
            }
        });
    }

    @Override
    public void cue(Cue cue) {
        state.change(r -> {
            if (r.lastCues == null) {
                r.lastCues = new ArrayList<>();
            }
            r.lastCues.add(cue);
            while (r.lastCues.size() > WorkerReport.LAST_CUES) {
                r.lastCues.remove(0);
            }
        });
    }
}
