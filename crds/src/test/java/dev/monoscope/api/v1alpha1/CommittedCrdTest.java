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

/** The CRDs committed under crds/ are exactly what the generator produces, and crds/ holds nothing else to apply. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CommittedCrdTest {

    @Test
    void committedCrdsEqualTheGeneratedOnes() throws IOException {
        for (String name : GeneratedCrd.FILE_NAMES) {
            Path committed = Path.of(name);
            assertThat(committed).exists();
            assertThat(Files.readString(committed))
                    .as(
                            "crds/%s differs from the generated CRD: run `make crds` to regenerate and copy it, then commit"
                                    + " it",
                            name)
                    .isEqualTo(GeneratedCrd.text(name));
        }
    }

    @Test
    void kubectlApplyOfTheFolderAppliesOnlyCrds() throws IOException {
        List<Path> manifests;
        try (Stream<Path> files = Files.list(Path.of("."))) {
            manifests = files.filter(p -> p.toString().matches(".*\\.(ya?ml|json)$"))
                    .toList();
        }
        assertThat(manifests)
                .containsExactlyInAnyOrderElementsOf(GeneratedCrd.FILE_NAMES.stream()
                        .map(name -> Path.of(".", name))
                        .toList());
        for (Path manifest : manifests) {
            assertThat(Serialization.unmarshal(Files.newInputStream(manifest), CustomResourceDefinition.class)
                            .getSpec()
                            .getGroup())
                    .isEqualTo(StreamMonitor.GROUP);
        }
    }
}
