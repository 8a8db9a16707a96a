package dev.monoscope.operator;

import dev.monoscope.api.v1alpha1.StreamMonitor;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Sees a StreamMonitor leave the controller's informer (deleted, or no longer watched) and hands it to
 * {@code onDeleted}, which drops the operator's in-memory state for it. There is no finalizer on purpose (the
 * pods go with the garbage collector through their owner references), so JOSDK never calls a cleanup: JOSDK
 * tells every event source that is {@link ResourceEventAware} about the primary informer's events instead.
 * This source produces no events of its own.
 */
class MonitorDeletions extends AbstractEventSource<Void, StreamMonitor> implements ResourceEventAware<StreamMonitor> {

    private final Consumer<StreamMonitor> onDeleted;

    MonitorDeletions(Consumer<StreamMonitor> onDeleted) {
        super(Void.class, "streammonitor-deletions");
        this.onDeleted = onDeleted;
    }

    @Override
    public void onResourceDeleted(StreamMonitor monitor) {
        onDeleted.accept(monitor);
    }

    @Override
    public Set<Void> getSecondaryResources(StreamMonitor primary) {
        return Set.of();
    }
}
