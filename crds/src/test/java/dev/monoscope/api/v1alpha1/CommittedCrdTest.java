package dev.monoscope.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The CRD committed under crds/ is exactly what the generator produces, and crds/ holds nothing else to apply. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CommittedCrdTest {

    @Test
    void committedCrdEqualsTheGeneratedOne() throws IOException {
        assertThat(GeneratedCrd.COMMITTED).exists();
        assertThat(Files.readString(GeneratedCrd.COMMITTED))
                .as(
                        "crds/%s differs from the generated CRD: run `make crds` to regenerate and copy it, then commit it",
                        GeneratedCrd.FILE_NAME)
                .isEqualTo(GeneratedCrd.text());
    }

    @Test
    void kubectlApplyOfTheFolderAppliesOnlyCrds() throws IOException {
        List<Path> manifests;
        try (Stream<Path> files = Files.list(Path.of("."))) {
            manifests = files.filter(p -> p.toString().matches(".*\\.(ya?ml|json)$"))
                    .toList();
        }
        assertThat(manifests).containsExactly(Path.of(".", GeneratedCrd.FILE_NAME));
        for (Path manifest : manifests) {
            assertThat(Serialization.unmarshal(Files.newInputStream(manifest), CustomResourceDefinition.class)
                            .getSpec()
                            .getGroup())
                    .isEqualTo(StreamMonitor.GROUP);
        }
    }
}
