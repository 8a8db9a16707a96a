package dev.monoscope.sandbox;

import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.StreamMonitorStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * When each StreamMonitor of a namespace was first seen Ready, from a watch: listing a thousand StreamMonitors every
 * half second would load the API server the bench measures.
 */
final class ReadyWatch implements AutoCloseable {

    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, Instant> readyAt = new ConcurrentHashMap<>();
    private SharedIndexInformer<StreamMonitor> informer;

    ReadyWatch(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    ReadyWatch start() {
        informer = client.resources(StreamMonitor.class).inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(StreamMonitor sm) {
                seen(sm);
            }

            @Override
            public void onUpdate(StreamMonitor before, StreamMonitor sm) {
                seen(sm);
            }

            @Override
            public void onDelete(StreamMonitor sm, boolean unknownFinalState) {}
        });
        return this;
    }

    private void seen(StreamMonitor sm) {
        if (isReady(sm)) {
            readyAt.putIfAbsent(sm.getMetadata().getName(), Instant.now());
            synchronized (this) {
                notifyAll();
            }
        }
    }

    static boolean isReady(StreamMonitor sm) {
        return sm.getStatus() != null
                && sm.getStatus().conditions != null
                && sm.getStatus().conditions.stream()
                        .anyMatch(c -> StreamMonitorStatus.READY.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    synchronized void awaitAll(int count, Duration limit) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (readyAt.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException(readyAt.size() + " of " + count + " Ready after " + limit);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    Map<String, Instant> readyAt() {
        return readyAt;
    }

    Instant lastReady() {
        return readyAt.values().stream().max(Instant::compareTo).orElseThrow();
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }
}
