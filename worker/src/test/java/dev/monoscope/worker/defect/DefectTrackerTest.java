package dev.monoscope.worker.defect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.api.DefectType;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.api.worker.WorkerReport;
import dev.monoscope.worker.report.ReportDefects;
import dev.monoscope.worker.report.ReportState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tier 1: minimum durations, suppression, merging, ids, truncation and the report the tracker keeps. */
@Timeout(30)
class DefectTrackerTest {

    private final ReportState state = new ReportState();
    private final List<String> events = new ArrayList<>();
    private final List<Defect> ended = new ArrayList<>();
    private final DefectTracker tracker = new DefectTracker(
            state.instanceId(),
            List.of(new ReportDefects(state), new DefectListener() {
                @Override
                public void defectStarted(Defect d) {
                    events.add("start " + d.id + " " + d.type + " " + d.start);
                }

                @Override
                public void defectEnded(Defect d) {
                    events.add("end " + d.id + " " + d.type + " " + d.end
                            + (Boolean.TRUE.equals(d.truncated) ? " truncated" : ""));
                    ended.add(d);
                }
            }),
            Map.of(DefectType.BLACK, 2.0, DefectType.FREEZE, 2.0, DefectType.CORRUPTION, 0.0),
            Map.of(DefectType.CORRUPTION, 1.0));

    /** One picture every 40 ms from {@code from} to {@code to}, black or frozen as given. */
    private void pictures(double from, double to, boolean black, boolean frozen) {
        for (double t = from; t < to - 1e-9; t += 0.04) {
            double rounded = Math.round(t * 1000) / 1000.0;
            tracker.observe("black", DefectType.BLACK, black, rounded, null);
            tracker.observe("freeze", DefectType.FREEZE, frozen, rounded, null);
        }
    }

    @Test
    void aPendingConditionMayStartLaterButARaisedDefectKeepsItsStart() {
        tracker.observe("freeze", DefectType.FREEZE, true, 1.0, 1.5, null);
        tracker.startsLater("freeze", 1.2);
        tracker.observe("freeze", DefectType.FREEZE, true, 1.0, 3.1, null); // 1.9 s from 1.2: not yet
        assertThat(events).isEmpty();
        tracker.observe("freeze", DefectType.FREEZE, true, 1.0, 3.2, null);
        tracker.startsLater("freeze", 2.0);
        tracker.observe("freeze", DefectType.FREEZE, false, 4.0, 4.0, null);
        assertThat(events).containsExactly("start 1 freeze 1.2", "end 1 freeze 4.0");
    }

    @Test
    void raisedAfterTheMinimumDurationFromTheFirstDefectiveFrameToTheFirstGoodOne() {
        pictures(0, 1, false, false);
        pictures(1, 2.96, true, false);
        assertThat(events).isEmpty(); // 1.96 s: not yet
        pictures(2.96, 4, true, false);
        pictures(4, 5, false, false);
        assertThat(events).containsExactly("start 1 black 1.0", "end 1 black 4.0");
    }

    @Test
    void shortConditionsAreNoDefects() {
        pictures(0, 1, true, false);
        pictures(1, 2, false, false);
        pictures(2, 3.9, true, false);
        pictures(3.9, 5, false, false);
        assertThat(events).isEmpty();
        assertThat(state.snapshot().defectSeq).isZero();
    }

    @Test
    void blackHoldsOffFreezeAndAFreezeAfterBlackStartsWhenTheBlackEnds() {
        pictures(0, 3, true, true); // black, and frozen as black pictures are
        pictures(3, 6, false, true); // a still picture after the black
        pictures(6, 7, false, false);
        assertThat(events)
                .containsExactly("start 1 black 0.0", "end 1 black 3.0", "start 2 freeze 3.0", "end 2 freeze 6.0");
    }

    @Test
    void corruptionIsRaisedAtOnceAndMergedWithinItsWindow() {
        tracker.observe("corruption", DefectType.CORRUPTION, true, 1.0, null);
        assertThat(events).containsExactly("start 1 corruption 1.0");
        tracker.observe("corruption", DefectType.CORRUPTION, false, 1.04, null);
        tracker.observe("corruption", DefectType.CORRUPTION, true, 1.5, null); // within 1 s: same defect
        tracker.observe("corruption", DefectType.CORRUPTION, false, 1.54, null);
        tracker.observe("corruption", DefectType.CORRUPTION, false, 2.5, null);
        tracker.observe("corruption", DefectType.CORRUPTION, false, 2.6, null);
        tracker.observe("corruption", DefectType.CORRUPTION, true, 4.0, null);
        tracker.finish(4.04);
        assertThat(events)
                .containsExactly(
                        "start 1 corruption 1.0",
                        "end 1 corruption 1.54",
                        "start 2 corruption 4.0",
                        "end 2 corruption 4.04 truncated");
    }

    @Test
    void signalLossEndsEverythingHoldsOffTheRestAndClearsWhenFramesFlow() {
        pictures(0, 3, true, false);
        tracker.signalLost(3.0, "no data");
        pictures(3, 4, true, false); // ignored: nothing is judged without signal
        tracker.signalRestored(8.0);
        pictures(8, 9, false, false);
        assertThat(events)
                .containsExactly(
                        "start 1 black 0.0", "end 1 black 3.0", "start 2 signal_loss 3.0", "end 2 signal_loss 8.0");
        assertThat(ended.get(1).details).containsEntry("reason", "no data");
    }

    @Test
    void activeDefectsAreTruncatedAtTheEndOfInput() {
        pictures(0, 3, true, false);
        tracker.finish(3.0);
        assertThat(events).containsExactly("start 1 black 0.0", "end 1 black 3.0 truncated");
    }

    @Test
    void theReportHoldsActiveAndRecentDefectsAndBumpsItsVersionOnlyForChanges() {
        long v0 = state.version();
        pictures(0, 2.5, true, false);
        WorkerReport during = state.snapshot();
        assertThat(during.activeDefects).extracting(d -> d.type).containsExactly("black");
        assertThat(during.defectSeq).isEqualTo(1);
        assertThat(during.activeDefects.get(0).instanceId).isEqualTo(state.instanceId());
        assertThat(during.version).isEqualTo(v0 + 1);
        pictures(2.5, 3, false, false);
        WorkerReport after = state.snapshot();
        assertThat(after.activeDefects).isEmpty();
        assertThat(after.recentDefects).extracting(d -> d.end).containsExactly(2.5);
        assertThat(after.version).isEqualTo(v0 + 2);
        for (int i = 0; i < 60; i++) {
            tracker.observe("corruption", DefectType.CORRUPTION, true, 10 + i * 2, null);
            tracker.observe("corruption", DefectType.CORRUPTION, false, 10 + i * 2 + 0.04, null);
            tracker.observe("corruption", DefectType.CORRUPTION, false, 11.5 + i * 2, null);
        }
        WorkerReport many = state.snapshot();
        assertThat(many.recentDefects).hasSize(WorkerReport.RECENT_DEFECTS);
        assertThat(many.defectSeq).isEqualTo(61);
        assertThat(many.recentDefects.get(49).id).isEqualTo(61);
    }
}
