package dev.monoscope.operator.pods;

import io.fabric8.kubernetes.api.model.Pod;

/** The pod one shard should have: {@code hash} names its configuration, {@code gpu} picks the rollout order. */
public record DesiredPod(int shard, String hash, boolean gpu, Pod pod) {

    public String name() {
        return pod.getMetadata().getName();
    }
}
