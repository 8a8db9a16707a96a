package dev.monoscope.operator.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.api.v1alpha1.SourceSpec;
import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.StreamMonitorSpec;
import dev.monoscope.operator.CrdSetup;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = CrdSetup.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DefectEventRecorderTest {

    @Inject
    KubernetesClient client;

    @Inject
    EventWriter writer;

    private static EventWriter.Key flapping(String type) {
        return new EventWriter.Key("Warning", DefectEventRecorder.REASON_FLAPPING, type);
    }

    @Test
    void aRepeatedKeyBumpsTheCountOfTheFirstEventWhateverItsTextInsteadOfAddingAnother() {
        StreamMonitor sm = new StreamMonitor();
        sm.setMetadata(new ObjectMetaBuilder()
                .withNamespace("events")
                .withName("repeat")
                .build());
        sm.setSpec(new StreamMonitorSpec());
        sm.getSpec().source = new SourceSpec();
        sm.getSpec().source.url = "rtsp://camera.example/stream";
        sm.getSpec().suspend = true;
        StreamMonitor created = client.resource(sm).create();

        writer.emit(created, flapping("black"), "black started 7 times within 60 s");
        writer.emit(created, flapping("black"), "black started more than 6 times within 60 s");
        writer.emit(created, flapping("silence"), "silence started 7 times within 60 s");

        List<Event> events = client.v1().events().inNamespace("events").list().getItems().stream()
                .filter(e -> "repeat".equals(e.getInvolvedObject().getName()))
                .toList();
        assertThat(events).hasSize(2);
        assertThat(events)
                .filteredOn(e -> e.getMessage().startsWith("black"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getCount()).isEqualTo(2);
                    assertThat(e.getMessage()).isEqualTo("black started more than 6 times within 60 s");
                    assertThat(e.getType()).isEqualTo("Warning");
                    assertThat(e.getInvolvedObject().getUid())
                            .isEqualTo(created.getMetadata().getUid());
                    assertThat(e.getInvolvedObject().getKind()).isEqualTo("StreamMonitor");
                });
    }
}
