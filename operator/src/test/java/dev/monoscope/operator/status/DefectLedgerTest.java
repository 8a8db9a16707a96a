package dev.monoscope.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.api.worker.Defect;
import dev.monoscope.api.worker.WorkerReport;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefectLedgerTest {

    private static Defect defect(long id, String startedAt) {
        Defect d = new Defect();
        d.id = id;
        d.type = "freeze";
        d.severity = "critical";
        d.start = (double) id;
        d.startedAt = startedAt;
        return d;
    }

    @Test
    void aDefectThatFollowsAnEndedOneOfTheSameTypeWithinOneUpdateIsADefectOfItsOwn() {
        DefectLedger ledger = new DefectLedger();
        WorkerReport r = new WorkerReport();
        r.instanceId = "worker-1";
        Defect first = defect(1, "2026-01-01T00:00:01Z");
        r.activeDefects.add(first);
        r.defectSeq = 1;
        assertThat(ledger.update("uid", null, List.of(r), true, Instant.now()).transitions())
                .hasSize(1);

        // The worker ended the first and started a second before the operator looked again.
        r.activeDefects.clear();
        Defect ended = first.copy();
        ended.endedAt = "2026-01-01T00:00:02Z";
        r.recentDefects.add(ended);
        r.activeDefects.add(defect(2, "2026-01-01T00:00:03Z"));
        r.defectSeq = 2;
        DefectLedger.View view = ledger.update("uid", null, List.of(r), true, Instant.now());
        assertThat(view.transitions())
                .extracting(t -> t.started() + " " + t.defect().id)
                .containsExactly("false 1", "true 2");
        assertThat(view.counts()).containsEntry("freeze", 2L);
        assertThat(view.active())
                .singleElement()
                .satisfies(d -> assertThat(d.id).isEqualTo(2L));

        // And one that came and went between two looks starts and ends in the same update.
        r.activeDefects.clear();
        Defect third = defect(3, "2026-01-01T00:00:04Z");
        third.endedAt = "2026-01-01T00:00:05Z";
        r.recentDefects.add(third);
        r.defectSeq = 3;
        view = ledger.update("uid", null, List.of(r), true, Instant.now());
        assertThat(view.transitions())
                .extracting(t -> t.started() + " " + t.defect().id)
                .containsExactly("false 2", "true 3", "false 3");
        assertThat(view.active()).isEmpty();
    }
}
