package dev.monoscope.operator.mosaic;

import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.operator.StreamMonitorReconciler;
import dev.monoscope.operator.pods.WorkerPods;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.inject.Singleton;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The StreamMonitors and worker pods the mosaic shows, read from the operator's own informer caches (no API call per
 * page): every replica has them, the leader or not, so any replica can serve the mosaic.
 */
@Singleton
public class MonitorCache {

    private final Operator operator;

    public MonitorCache(Operator operator) {
        this.operator = operator;
    }

    /** Every watched StreamMonitor, by namespace then name; empty until the informers have started. */
    public List<StreamMonitor> monitors() {
        return controller()
                .map(c -> c.getEventSourceManager()
                        .getControllerEventSource()
                        .list(m -> true)
                        .sorted(Comparator.comparing(
                                        (StreamMonitor m) -> m.getMetadata().getNamespace())
                                .thenComparing(m -> m.getMetadata().getName()))
                        .toList())
                .orElse(List.of());
    }

    public Optional<StreamMonitor> monitor(String namespace, String name) {
        return controller()
                .flatMap(c ->
                        c.getEventSourceManager().getControllerEventSource().get(new ResourceID(name, namespace)));
    }

    /** The worker pods of a StreamMonitor, by shard. */
    public List<Pod> pods(StreamMonitor monitor) {
        return controller()
                .map(c -> ((InformerEventSource<Pod, StreamMonitor>) c.getEventSourceManager()
                                .getEventSourceFor(Pod.class, StreamMonitorReconciler.POD_SOURCE))
                        .getSecondaryResources(monitor).stream()
                                .sorted(Comparator.comparingInt(WorkerPods::shard)
                                        .thenComparing(p -> p.getMetadata().getName()))
                                .toList())
                .orElse(List.of());
    }

    /** A pod that answers for the stream's pictures and levels: a reportable one, the lowest shard first. */
    public Optional<Pod> reportingPod(StreamMonitor monitor) {
        return pods(monitor).stream().filter(WorkerPods::isReportable).findFirst();
    }

    @SuppressWarnings("unchecked")
    private Optional<Controller<StreamMonitor>> controller() {
        return operator.getRegisteredController(StreamMonitorReconciler.NAME).map(c -> (Controller<StreamMonitor>) c);
    }
}
