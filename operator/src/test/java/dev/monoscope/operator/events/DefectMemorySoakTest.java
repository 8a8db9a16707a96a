package dev.monoscope.operator.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.api.worker.WorkerReport;
import dev.monoscope.operator.ApiWrites;
import dev.monoscope.operator.TestCluster;
import dev.monoscope.operator.status.DefectLedger;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The operator's memory per StreamMonitor does not grow with the defects it has seen: the ledger, the defect Event
 * recorder and the Event writer keep as many entries after 10,000 defect starts and ends (and a worker restart
 * every 100) as after 1,000; and every defect gets exactly one start and one end Event, also from an operator
 * that restarted and lost what it had not yet written to status.
 */
@EnableKubernetesMockClient(crud = true)
class DefectMemorySoakTest {

    static KubernetesClient client;

    /** A worker's report as its defects start and end; the operator's ledger reads it. */
    private static final class Worker {
        final WorkerReport report = new WorkerReport();

        Worker() {
            restart();
        }

        void restart() {
            report.instanceId = UUID.randomUUID().toString();
            report.defectSeq = 0;
            report.activeDefects.clear();
            report.recentDefects.clear();
        }

        Defect start(String type, Instant at) {
            Defect d = new Defect();
            d.id = ++report.defectSeq;
            d.type = type;
            d.severity = "critical";
            d.start = (double) d.id;
            d.startedAt = at.toString();
            report.activeDefects.add(d);
            return d;
        }

        void end(Defect d, Instant at) {
            report.activeDefects.removeIf(a -> a.id.equals(d.id));
            Defect ended = d.copy();
            ended.end = d.start + 1;
            ended.endedAt = at.toString();
            report.recentDefects.add(ended);
            if (report.recentDefects.size() > WorkerReport.RECENT_DEFECTS) {
                report.recentDefects.remove(0);
            }
        }
    }

    /** A clock the test moves: a defect a minute, so nothing counts as flapping. */
    private static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static StreamMonitor monitor(String name) {
        StreamMonitor sm = TestCluster.monitor("soak", name);
        sm.getMetadata().setUid(UUID.randomUUID().toString());
        return sm;
    }

    @Test
    void memoryPerStreamMonitorIsTheSameAfter10000DefectsAsAfter1000() {
        StreamMonitor sm = monitor("soak");
        String uid = sm.getMetadata().getUid();
        TestClock clock = new TestClock();
        DefectLedger ledger = new DefectLedger();
        MemoryEventStore events = new MemoryEventStore();
        EventWriter writer = new EventWriter(events, new ApiWrites(new SimpleMeterRegistry()));
        DefectEventRecorder recorder = new DefectEventRecorder(writer, 6, Duration.ofSeconds(60), clock);
        Worker worker = new Worker();

        int retainedAt1000 = -1;
        for (int i = 1; i <= 10_000; i++) {
            if (i % 100 == 0) {
                worker.restart();
            }
            clock.now = clock.now.plus(Duration.ofMinutes(1));
            Defect d = worker.start(i % 2 == 0 ? "black" : "silence", clock.now);
            recorder.record(
                    sm,
                    ledger.update(uid, null, List.of(worker.report), true, clock.now)
                            .transitions());
            worker.end(d, clock.now.plusSeconds(1));
            recorder.record(
                    sm,
                    ledger.update(uid, null, List.of(worker.report), true, clock.now.plusSeconds(1))
                            .transitions());
            if (i == 1_000) {
                retainedAt1000 = ledger.retained(uid) + recorder.retained(uid) + writer.retained(uid);
            }
        }
        int retainedAt10000 = ledger.retained(uid) + recorder.retained(uid) + writer.retained(uid);
        assertThat(retainedAt10000)
                .as("entries kept for one StreamMonitor after 10,000 defects, against after 1,000")
                .isEqualTo(retainedAt1000);
        assertThat(ledger.update(uid, null, List.of(worker.report), true, clock.now)
                        .counts())
                .containsEntry("black", 5_000L)
                .containsEntry("silence", 5_000L);
        assertThat(events.byName.values())
                .as("one start and one end Event per defect")
                .hasSize(20_000)
                .allSatisfy(e -> assertThat(e.getCount()).isEqualTo(1));
    }

    @Test
    void anOperatorThatRestartedBeforeItsStatusWriteDoesNotAnnounceADefectTwice() {
        StreamMonitor sm = monitor("restart");
        String uid = sm.getMetadata().getUid();
        Worker worker = new Worker();
        worker.start("freeze", Instant.now());

        for (int process = 0; process < 2; process++) {
            // Each operator process starts from the same status (the first never wrote its own).
            EventWriter writer = new EventWriter(client, new ApiWrites(new SimpleMeterRegistry()));
            DefectEventRecorder recorder =
                    new DefectEventRecorder(writer, 6, Duration.ofSeconds(60), Clock.systemUTC());
            DefectLedger.View view = new DefectLedger().update(uid, null, List.of(worker.report), true, Instant.now());
            assertThat(view.transitions()).hasSize(1);
            recorder.record(sm, view.transitions());
        }
        List<Event> events = client.v1().events().inNamespace("soak").list().getItems().stream()
                .filter(e -> "restart".equals(e.getInvolvedObject().getName()))
                .toList();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getReason()).isEqualTo("FrozenVideo");
            assertThat(e.getCount()).isEqualTo(1);
        });
    }
}
