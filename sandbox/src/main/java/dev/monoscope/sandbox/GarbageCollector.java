package dev.monoscope.sandbox;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The part of Kubernetes' garbage collector that the embedded API lacks: an object whose controller owner is gone
 * (deleted, or replaced by a new object of the same name) is deleted too.
 */
final class GarbageCollector {

    private final KubernetesClient client;

    GarbageCollector(KubernetesClient client) {
        this.client = client;
    }

    /** Deletes the dependents whose controller owner no longer exists; returns how many it deleted. */
    int collect(List<? extends HasMetadata> dependents) {
        Map<String, Optional<String>> ownerUids = new HashMap<>();
        int deleted = 0;
        for (HasMetadata dependent : dependents) {
            Optional<OwnerReference> owner = controller(dependent);
            if (owner.isEmpty()) {
                continue;
            }
            OwnerReference ref = owner.get();
            String namespace = dependent.getMetadata().getNamespace();
            String key = ref.getApiVersion() + "/" + ref.getKind() + "/" + namespace + "/" + ref.getName();
            Optional<String> uid;
            try {
                uid = ownerUids.computeIfAbsent(key, k -> ownerUid(ref, namespace));
            } catch (RuntimeException unknownKindOrApiDown) {
                continue; // never delete on a doubt
            }
            if (uid.isEmpty() || (ref.getUid() != null && !ref.getUid().equals(uid.get()))) {
                client.resource(dependent).inNamespace(namespace).delete();
                deleted++;
            }
        }
        return deleted;
    }

    private Optional<String> ownerUid(OwnerReference ref, String namespace) {
        GenericKubernetesResource owner = client.genericKubernetesResources(ref.getApiVersion(), ref.getKind())
                .inNamespace(namespace)
                .withName(ref.getName())
                .get();
        return owner == null
                ? Optional.empty()
                : Optional.of(String.valueOf(owner.getMetadata().getUid()));
    }

    private static Optional<OwnerReference> controller(HasMetadata object) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        return refs == null
                ? Optional.empty()
                : refs.stream()
                        .filter(r -> Boolean.TRUE.equals(r.getController()))
                        .findFirst();
    }
}
