package dev.monoscope.worker.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monoscope.api.worker.WorkerReport;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The worker's live, versioned report (docs/architecture.md, "Worker report"). Every reader (report endpoint, metrics,
 * CLI)
 * sees consistent copies; writers say whether their change is a state change (bumps {@code version}, wakes
 * long-polls) or only counters (no version bump, so the operator never writes status for them).
 */
public final class ReportState {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WorkerReport report = new WorkerReport();

    public ReportState() {
        report.instanceId = UUID.randomUUID().toString();
    }

    public String instanceId() {
        return report.instanceId;
    }

    /** Applies a state change: a defect started or ended, the connection, stream format or decoder changed. */
    public synchronized void change(Consumer<WorkerReport> mutation) {
        mutation.accept(report);
        report.version++;
        notifyAll();
    }

    /** Applies a counter update (frames decoded, media time, …): visible to readers, no version bump. */
    public synchronized void counters(Consumer<WorkerReport> mutation) {
        mutation.accept(report);
    }

    /** A deep copy of the current report. */
    public synchronized WorkerReport snapshot() {
        return JSON.convertValue(report, WorkerReport.class);
    }

    /** Reads a few fields without copying the whole report (metrics scrapes, health checks). */
    public synchronized <T> T read(Function<WorkerReport, T> query) {
        return query.apply(report);
    }

    public synchronized long version() {
        return report.version;
    }

    /**
     * Long-poll: returns as soon as {@code version > since}, or the current report after {@code waitMillis}.
     */
    public synchronized WorkerReport awaitVersionAfter(long since, long waitMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + Math.max(0, waitMillis);
        while (report.version <= since) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        return snapshot();
    }
}
