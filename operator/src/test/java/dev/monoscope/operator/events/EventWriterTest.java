package dev.monoscope.operator.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.operator.ApiWrites;
import dev.monoscope.operator.TestCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class EventWriterTest {

    @Test
    void aRepeatAfterItsEventExpiredStartsANewEventInsteadOfFailingForEver() {
        StreamMonitor sm = TestCluster.monitor("events", "expiry");
        sm.getMetadata().setUid("u-expiry");
        MemoryEventStore store = new MemoryEventStore();
        EventWriter writer = new EventWriter(store, new ApiWrites(new SimpleMeterRegistry()));
        EventWriter.Key key = new EventWriter.Key("Warning", "WorkerPodRestarted", "shard 0: deleted");

        writer.emit(sm, key, "worker pod a was deleted");
        writer.emit(sm, key, "worker pod b was deleted");
        assertThat(store.byName.values()).singleElement().satisfies(e -> {
            assertThat(e.getCount()).isEqualTo(2);
            assertThat(e.getMessage()).isEqualTo("worker pod b was deleted");
        });

        store.byName.clear(); // the API server dropped it after its time to live
        writer.emit(sm, key, "worker pod c was deleted");
        writer.emit(sm, key, "worker pod d was deleted");
        assertThat(store.byName.values()).singleElement().satisfies(e -> {
            assertThat(e.getCount()).isEqualTo(2);
            assertThat(e.getMessage()).isEqualTo("worker pod d was deleted");
        });
    }
}
