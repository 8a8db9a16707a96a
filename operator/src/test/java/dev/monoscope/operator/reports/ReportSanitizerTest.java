package dev.monoscope.operator.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.api.worker.Cue;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.api.worker.WorkerReport;
import dev.monoscope.operator.status.StatusText;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a worker sends is cut to what status may hold, and FFmpeg's error text becomes a category. */
class ReportSanitizerTest {

    private static Defect defect(long id, String type) {
        Defect d = new Defect();
        d.id = id;
        d.type = type;
        d.severity = "critical";
        return d;
    }

    @Test
    void stringsListsAndUnknownTypesAreCutToWhatStatusMayHold() {
        WorkerReport r = new WorkerReport();
        r.instanceId = "i";
        r.error = "x".repeat(10_000);
        r.activeDefects.add(defect(1, "no-such-type"));
        for (long id = 2; id < 200; id++) {
            r.activeDefects.add(defect(id, "black"));
        }
        Defect loss = defect(200, "signal_loss");
        loss.subtype = "s".repeat(1_000);
        loss.details.put("reason", "Connection to tcp://origin.example:443 failed: Connection refused");
        loss.details.put("huge", "y".repeat(1_000));
        r.activeDefects.add(loss);
        for (int i = 0; i < 1_000; i++) {
            r.counters.put("c" + i, (long) i);
        }

        WorkerReport clean = ReportSanitizer.sanitize(r);
        assertThat(clean.error).hasSize(StatusText.MAX_LENGTH);
        assertThat(clean.activeDefects)
                .hasSize(ReportSanitizer.MAX_DEFECTS)
                .noneSatisfy(d -> assertThat(d.type).isEqualTo("no-such-type"));
        Defect kept = clean.activeDefects.get(clean.activeDefects.size() - 1);
        assertThat(kept.subtype).hasSize(StatusText.MAX_LENGTH);
        assertThat(kept.details).isEqualTo(Map.of("reason", "connection refused"));
        assertThat(clean.counters).isNull();
    }

    @Test
    void theReasonsAWorkerNamesAreShownAsTheyAreNotAsAnError() {
        WorkerReport r = new WorkerReport();
        Defect loss = defect(1, "signal_loss");
        loss.details.put("reason", "scrambled");
        Defect silence = defect(2, "silence");
        silence.details.put("reason", "missing");
        r.activeDefects.add(loss);
        r.activeDefects.add(silence);

        WorkerReport clean = ReportSanitizer.sanitize(r);

        assertThat(clean.activeDefects)
                .extracting(d -> d.details.get("reason"))
                .containsExactly("scrambled", "missing");
    }

    @Test
    void theLastCuesAreKeptBoundedAndDeliveryFiguresDropped() {
        WorkerReport r = new WorkerReport();
        r.lastCues = new java.util.ArrayList<>();
        for (long id = 0; id < 100; id++) {
            Cue c = new Cue();
            c.source = "ts";
            c.command = id == 99 ? "c".repeat(10_000) : "splice_insert";
            c.eventId = id;
            r.lastCues.add(c);
        }
        r.delivery = Map.of("playlistReloads", 3L);

        WorkerReport clean = ReportSanitizer.sanitize(r);
        assertThat(clean.lastCues).hasSize(WorkerReport.LAST_CUES);
        assertThat(clean.lastCues.get(0).eventId).isEqualTo(90);
        assertThat(clean.lastCues.get(WorkerReport.LAST_CUES - 1).command).hasSize(StatusText.MAX_LENGTH);
        assertThat(clean.delivery).isNull();
    }

    @Test
    void errorTextsBecomeCategories() {
        assertThat(StatusText.category("Connection to tcp://10.0.0.1:80 failed: Connection refused"))
                .isEqualTo("connection refused");
        assertThat(StatusText.category("Connection timed out")).isEqualTo("timeout");
        assertThat(StatusText.category("HTTP error 404 Not Found")).isEqualTo("not found");
        assertThat(StatusText.category("Server returned 403 Forbidden (access denied)"))
                .isEqualTo("forbidden");
        assertThat(StatusText.category("error:0A000086:SSL routines::certificate verify failed"))
                .isEqualTo("tls");
        assertThat(StatusText.category("Invalid data found when processing input"))
                .isEqualTo("invalid data");
        assertThat(StatusText.category("something else entirely")).isEqualTo(StatusText.OTHER);
    }
}
