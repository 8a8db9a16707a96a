package dev.monoscope.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The chart under helm/monoscope, rendered by real Helm (helm-java) and parsed with fabric8. */
final class Chart {

    /** Relative to the helm module, where the tests run. */
    static final Path DIR = Path.of("monoscope");

    static final Path VALUES = Path.of("src", "test", "resources", "values");
    static final String RELEASE = "monoscope";
    static final String NAMESPACE = "monoscope-system";
    // helm template assumes Kubernetes 1.20 unless told; the chart needs 1.27+.
    static final String KUBE_VERSION = "v1.30.0";

    private Chart() {}

    static Helm helm() {
        return new Helm(DIR);
    }

    /** helm template with the given values files (from src/test/resources/values) and --set pairs. */
    static List<HasMetadata> render(List<String> valuesFiles, Map<String, Object> set) {
        TemplateCommand template =
                helm().template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION);
        for (String file : valuesFiles) {
            template = template.withValuesFile(VALUES.resolve(file));
        }
        for (Map.Entry<String, Object> entry : set.entrySet()) {
            template = template.set(entry.getKey(), entry.getValue());
        }
        return parse(template.call());
    }

    static List<HasMetadata> render(String... valuesFiles) {
        return render(List.of(valuesFiles), Map.of());
    }

    static List<HasMetadata> parse(String manifests) {
        return Arrays.stream(manifests.split("(?m)^---\\s*$"))
                .filter(doc -> doc.lines().anyMatch(line -> line.startsWith("kind:")))
                .map(doc -> (HasMetadata) Serialization.unmarshal(doc))
                .toList();
    }

    static <T extends HasMetadata> List<T> ofType(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Objects fabric8 has no class for (Prometheus Operator kinds). */
    static List<GenericKubernetesResource> ofKind(List<HasMetadata> objects, String kind) {
        return objects.stream()
                .filter(o -> kind.equals(o.getKind()))
                .map(o -> o instanceof GenericKubernetesResource g
                        ? g
                        : Serialization.unmarshal(Serialization.asJson(o), GenericKubernetesResource.class))
                .toList();
    }
}
