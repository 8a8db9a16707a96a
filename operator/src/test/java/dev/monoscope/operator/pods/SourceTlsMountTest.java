package dev.monoscope.operator.pods;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.api.v1alpha1.CaBundleSpec;
import dev.monoscope.api.v1alpha1.ConfigMapKeyRef;
import dev.monoscope.api.v1alpha1.SourceTlsSpec;
import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.worker.WorkerConfig;
import dev.monoscope.operator.TestCluster;
import dev.monoscope.operator.TestConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** spec.source.tls reaches the worker pod: a CA bundle mounted read-only and named in the env, or the opt-out. */
class SourceTlsMountTest {

    private static StreamMonitor monitor(SourceTlsSpec tls) {
        StreamMonitor sm = TestCluster.monitor("news", "private-origin");
        sm.getMetadata().setUid("u-1");
        sm.getSpec().source.url = "https://origin.internal.example/live.m3u8";
        sm.getSpec().source.tls = tls;
        return sm;
    }

    private static Pod pod(StreamMonitor sm) {
        return WorkerPodFactoryTest.desired(TestConfig.of(Map.of()), sm).get(0).pod();
    }

    private static Map<String, EnvVar> env(Pod pod) {
        return pod.getSpec().getContainers().get(0).getEnv().stream()
                .collect(java.util.stream.Collectors.toMap(EnvVar::getName, e -> e));
    }

    @Test
    void aCaBundleFromAConfigMapIsMountedReadOnlyAndNamedInTheEnvironment() {
        SourceTlsSpec tls = new SourceTlsSpec();
        tls.caBundle = new CaBundleSpec();
        tls.caBundle.configMapRef = new ConfigMapKeyRef();
        tls.caBundle.configMapRef.name = "origin-ca";
        tls.caBundle.configMapRef.key = "bundle.pem";
        Pod pod = pod(monitor(tls));

        Volume volume = pod.getSpec().getVolumes().stream()
                .filter(v -> SourceTlsMount.VOLUME.equals(v.getName()))
                .findFirst()
                .orElseThrow();
        assertThat(volume.getConfigMap().getName()).isEqualTo("origin-ca");
        assertThat(volume.getConfigMap().getItems()).singleElement().satisfies(item -> {
            assertThat(item.getKey()).isEqualTo("bundle.pem");
            assertThat(item.getPath()).isEqualTo("ca.crt");
        });
        assertThat(volume.getConfigMap().getDefaultMode()).isEqualTo(0444);
        Container worker = pod.getSpec().getContainers().get(0);
        assertThat(worker.getVolumeMounts())
                .filteredOn(m -> SourceTlsMount.VOLUME.equals(m.getName()))
                .singleElement()
                .satisfies(m -> {
                    assertThat(m.getReadOnly()).isTrue();
                    assertThat(m.getMountPath()).isEqualTo("/etc/monoscope/source-ca");
                });
        assertThat(env(pod).get(WorkerConfig.ENV_CA_FILE).getValue()).isEqualTo("/etc/monoscope/source-ca/ca.crt");
        assertThat(env(pod)).doesNotContainKey(WorkerConfig.ENV_INSECURE_SKIP_TLS_VERIFY);
    }

    @Test
    void theOptOutIsPassedAsItsEnvironmentVariable() {
        SourceTlsSpec tls = new SourceTlsSpec();
        tls.insecureSkipVerify = true;
        Pod pod = pod(monitor(tls));
        assertThat(env(pod).get(WorkerConfig.ENV_INSECURE_SKIP_TLS_VERIFY).getValue())
                .isEqualTo("true");
        assertThat(env(pod)).doesNotContainKey(WorkerConfig.ENV_CA_FILE);
        assertThat(pod.getSpec().getVolumes()).extracting(Volume::getName).containsExactly("scratch");
    }

    @Test
    void withoutTlsSettingsThePodIsAsBeforeAndVerifiesByDefault() {
        Pod plain = pod(monitor(null));
        assertThat(env(plain)).doesNotContainKeys(WorkerConfig.ENV_CA_FILE, WorkerConfig.ENV_INSECURE_SKIP_TLS_VERIFY);
        assertThat(plain.getSpec().getVolumes()).extracting(Volume::getName).containsExactly("scratch");
        SourceTlsSpec off = new SourceTlsSpec();
        off.insecureSkipVerify = false;
        Pod explicit = pod(monitor(off));
        assertThat(env(explicit)).doesNotContainKey(WorkerConfig.ENV_INSECURE_SKIP_TLS_VERIFY);
        assertThat(WorkerPodFactoryTest.desired(TestConfig.of(Map.of()), monitor(off))
                        .get(0)
                        .hash())
                .as("a spec that says what the default is makes the same pod")
                .isEqualTo(WorkerPodFactoryTest.desired(TestConfig.of(Map.of()), monitor(null))
                        .get(0)
                        .hash());
    }
}
