package dev.monoscope.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.StreamMonitorStatus;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.operator.TestCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {

    @Test
    void statusListsAtMostSixteenActiveDefectsAndCountsThemAll() {
        StreamMonitor sm = TestCluster.monitor("news", "many");
        List<Defect> active = new ArrayList<>();
        for (long id = 1; id <= 40; id++) {
            Defect d = new Defect();
            d.id = id;
            d.instanceId = "i";
            d.type = "transport";
            d.subtype = "pid-" + id;
            d.severity = "major";
            d.startedAt = Instant.ofEpochSecond(id).toString();
            active.add(d);
        }
        DefectLedger.View view = new DefectLedger.View(active, Map.of("transport", 40L), active.get(39), List.of());
        StreamMonitorStatus status = StatusAggregator.aggregate(new StatusAggregator.Inputs(
                sm,
                null,
                List.of(),
                null,
                List.of(),
                Map.of(),
                view,
                Set.of(),
                false,
                List.of(),
                Duration.ofSeconds(60),
                Instant.now()));
        assertThat(status.activeDefects)
                .hasSize(StreamMonitorStatus.MAX_LISTED_DEFECTS)
                .first()
                .satisfies(d -> assertThat(d.id).isEqualTo(1L));
        assertThat(status.activeDefectCount).isEqualTo(40);
        assertThat(status.activeDefectSummary).isEqualTo("transport");
    }
}
