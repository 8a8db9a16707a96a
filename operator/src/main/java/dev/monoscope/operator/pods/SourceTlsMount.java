package dev.monoscope.operator.pods;

import dev.monoscope.api.v1alpha1.CaBundleSpec;
import dev.monoscope.api.v1alpha1.ConfigMapKeyRef;
import dev.monoscope.api.v1alpha1.SourceTlsSpec;
import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.worker.WorkerConfig;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a worker pod needs for its StreamMonitor's {@code spec.source.tls}: the CA bundle's ConfigMap mounted
 * read-only and {@code MONOSCOPE_CA_FILE} pointing at it, or {@code MONOSCOPE_INSECURE_SKIP_TLS_VERIFY=true} for
 * the explicit opt-out. Nothing at all when the CR says nothing: the worker verifies against the system's CAs.
 */
final class SourceTlsMount {

    static final String VOLUME = "source-ca";
    static final String DIRECTORY = "/etc/monoscope/source-ca";
    /** The file name in the mount, whatever the key in the ConfigMap is called. */
    static final String FILE = "ca.crt";

    private SourceTlsMount() {}

    private static Optional<ConfigMapKeyRef> caBundle(StreamMonitor monitor) {
        return tls(monitor).map(t -> t.caBundle).map((CaBundleSpec b) -> b.configMapRef);
    }

    private static Optional<SourceTlsSpec> tls(StreamMonitor monitor) {
        return Optional.ofNullable(monitor.getSpec().source).map(s -> s.tls);
    }

    static List<EnvVar> env(StreamMonitor monitor) {
        List<EnvVar> env = new ArrayList<>();
        if (tls(monitor).map(SourceTlsSpec::skipsVerify).orElse(false)) {
            env.add(new EnvVar(WorkerConfig.ENV_INSECURE_SKIP_TLS_VERIFY, "true", null));
        }
        caBundle(monitor).ifPresent(ref -> env.add(new EnvVar(WorkerConfig.ENV_CA_FILE, DIRECTORY + "/" + FILE, null)));
        return env;
    }

    static List<Volume> volumes(StreamMonitor monitor) {
        return caBundle(monitor)
                .map(ref -> List.of(new VolumeBuilder()
                        .withName(VOLUME)
                        .withNewConfigMap()
                        .withName(ref.name)
                        .addNewItem()
                        .withKey(ref.key == null ? ConfigMapKeyRef.DEFAULT_KEY : ref.key)
                        .withPath(FILE)
                        .endItem()
                        .withDefaultMode(0444)
                        .withOptional(false)
                        .endConfigMap()
                        .build()))
                .orElse(List.of());
    }

    static List<VolumeMount> mounts(StreamMonitor monitor) {
        return caBundle(monitor)
                .map(ref -> List.of(new VolumeMountBuilder()
                        .withName(VOLUME)
                        .withMountPath(DIRECTORY)
                        .withReadOnly(true)
                        .build()))
                .orElse(List.of());
    }
}
