package dev.monoscope.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The generated CRD against the API it must offer: fields, descriptions, validation, subresources, columns. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CrdSchemaTest {

    private final CustomResourceDefinition crd = GeneratedCrd.parse();
    private final CustomResourceDefinitionVersion version =
            crd.getSpec().getVersions().get(0);
    private final JSONSchemaProps schema = version.getSchema().getOpenAPIV3Schema();

    @Test
    void namesAndScope() {
        assertThat(crd.getMetadata().getName()).isEqualTo("streammonitors.monoscope.dev");
        assertThat(crd.getSpec().getGroup()).isEqualTo("monoscope.dev");
        assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
        assertThat(crd.getSpec().getNames().getKind()).isEqualTo("StreamMonitor");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("sm", "smon");
        assertThat(crd.getSpec().getNames().getCategories()).containsExactly("monoscope");
        assertThat(crd.getSpec().getVersions()).singleElement().satisfies(v -> {
            assertThat(v.getName()).isEqualTo("v1alpha1");
            assertThat(v.getServed()).isTrue();
            assertThat(v.getStorage()).isTrue();
        });
    }

    @Test
    void statusAndScaleSubresources() {
        assertThat(version.getSubresources().getStatus()).isNotNull();
        var scale = version.getSubresources().getScale();
        assertThat(scale.getSpecReplicasPath()).isEqualTo(".spec.replicas");
        assertThat(scale.getStatusReplicasPath()).isEqualTo(".status.replicas");
        assertThat(scale.getLabelSelectorPath()).isEqualTo(".status.selector");
        assertThat(at("status.selector").getType()).isEqualTo("string");
    }

    @Test
    void printerColumns() {
        assertThat(version.getAdditionalPrinterColumns())
                .extracting(CustomResourceColumnDefinition::getName)
                .containsExactlyInAnyOrder("Ready", "Healthy", "Active Defects", "Decoder", "FPS", "Age");
        assertThat(version.getAdditionalPrinterColumns()).allSatisfy(column -> {
            String path = column.getJsonPath().replaceAll("\\[.*", "").replaceFirst("^\\.", "");
            if (path.startsWith("status.")) {
                assertThat(at(path))
                        .as("printer column %s points at a field of the schema", column.getName())
                        .isNotNull();
            }
        });
    }

    @Test
    void everyFieldOfTheApiListExists() {
        List<String> paths = List.of(
                "spec.source.url",
                "spec.source.credentialsSecretRef.name",
                "spec.source.credentialsSecretRef.usernameKey",
                "spec.source.credentialsSecretRef.passwordKey",
                "spec.source.program",
                "spec.source.tls.insecureSkipVerify",
                "spec.source.tls.caBundle.configMapRef.name",
                "spec.source.tls.caBundle.configMapRef.key",
                "spec.source.audioTracks",
                "spec.detectors.black.enabled",
                "spec.detectors.black.minDurationSeconds",
                "spec.detectors.freeze",
                "spec.detectors.silence",
                "spec.detectors.corruption",
                "spec.detectors.signalLoss.timeoutSeconds",
                "spec.replicas",
                "spec.decoder",
                "spec.gpu.count",
                "spec.gpu.resourceName",
                "spec.gpu.fallbackToCpu",
                "spec.monitorClassName",
                "spec.worker.image",
                "spec.worker.resources",
                "spec.worker.nodeSelector",
                "spec.worker.tolerations",
                "spec.worker.affinity",
                "spec.worker.runtimeClassName",
                "spec.worker.priorityClassName",
                "spec.worker.hostNetwork",
                "spec.worker.podAnnotations",
                "spec.alerts.webhook.urlSecretRef.name",
                "spec.alerts.webhook.urlSecretRef.key",
                "spec.suspend",
                "status.observedGeneration",
                "status.conditions",
                "status.replicas",
                "status.readyReplicas",
                "status.selector",
                "status.workers[].pod",
                "status.workers[].node",
                "status.workers[].decoder",
                "status.workers[].restarts",
                "status.workers[].detectors",
                "status.stream.videoCodec",
                "status.stream.width",
                "status.stream.frameRate",
                "status.stream.bitrate",
                "status.activeDefects",
                "status.defectCounts",
                "status.lastDefect");
        assertThat(paths).allSatisfy(path -> assertThat(at(path)).as(path).isNotNull());
    }

    @Test
    void everyFieldHasADescription() {
        List<String> undocumented = new ArrayList<>();
        collectUndocumented(schema.getProperties().get("spec"), "spec", undocumented);
        collectUndocumented(schema.getProperties().get("status"), "status", undocumented);
        assertThat(undocumented)
                .as("fields without a description (kubectl explain shows nothing)")
                .isEmpty();
    }

    @Test
    void defaultsAreFilledInByTheSchema() {
        assertThat(at("spec.replicas").getDefault().asInt()).isEqualTo(1);
        assertThat(at("spec.replicas").getMinimum()).isEqualTo(1.0);
        assertThat(at("spec.replicas").getMaximum()).isEqualTo(16.0);
        assertThat(at("spec.decoder").getDefault().asText()).isEqualTo("auto");
        assertThat(at("spec.suspend").getDefault().asBoolean()).isFalse();
        assertThat(at("spec.source.credentialsSecretRef.usernameKey")
                        .getDefault()
                        .asText())
                .isEqualTo("username");
        assertThat(at("spec.detectors.signalLoss.timeoutSeconds").getDefault().asDouble())
                .isEqualTo(3.0);
        for (String detector : new DetectorsSpec().byKey().keySet()) {
            assertThat(at("spec.detectors." + detector + ".enabled")
                            .getDefault()
                            .asBoolean())
                    .as("spec.detectors.%s.enabled defaults to true", detector)
                    .isTrue();
        }
        assertThat(schema.getProperties().get("spec").getRequired()).containsExactly("source");
        assertThat(at("spec.source").getRequired()).containsExactly("url");
    }

    @Test
    void defectDetailsAcceptAnyJsonValue() {
        for (String path : List.of("status.activeDefects[].details", "status.lastDefect.details")) {
            JSONSchemaProps details = at(path);
            assertThat(details.getXKubernetesPreserveUnknownFields()).as(path).isTrue();
            assertThat(details.getType())
                    .as(path + " has no type, so numbers and lists are accepted")
                    .isNull();
            assertThat(details.getAdditionalProperties()).as(path).isNull();
        }
    }

    /** A real API server rejects a CRD whose schema is not structural: every node typed, unless it preserves anything. */
    @Test
    void schemaIsStructural() {
        List<String> problems = new ArrayList<>();
        collectStructuralProblems(schema, "", problems);
        assertThat(problems).isEmpty();
    }

    @Test
    void noGetterLeaksIntoTheSchema() {
        assertThat(at("spec").getProperties()).doesNotContainKey("suspended");
        assertThat(at("status.lastDefect").getProperties()).doesNotContainKey("active");
    }

    @Test
    void statusConditionsHaveTheMetav1Shape() {
        assertThat(at("status.conditions[]").getProperties().keySet())
                .contains("type", "status", "reason", "message", "lastTransitionTime", "observedGeneration");
        assertThat(at("status.conditions[].status").getType()).isEqualTo("string");
    }

    /** The schema at a dotted path; {@code []} steps into array items. */
    private JSONSchemaProps at(String path) {
        JSONSchemaProps node = schema;
        for (String part : path.split("\\.")) {
            boolean items = part.endsWith("[]");
            node = node.getProperties().get(items ? part.substring(0, part.length() - 2) : part);
            if (node != null && items) {
                node = node.getItems().getSchema();
            }
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    static void collectStructuralProblems(JSONSchemaProps node, String path, List<String> problems) {
        boolean anything = Boolean.TRUE.equals(node.getXKubernetesPreserveUnknownFields())
                || Boolean.TRUE.equals(node.getXKubernetesIntOrString());
        if (node.getType() == null && !anything) {
            problems.add(path + ": no type");
        }
        if (node.getProperties() != null && !node.getProperties().isEmpty() && node.getAdditionalProperties() != null) {
            problems.add(path + ": both properties and additionalProperties");
        }
        if (node.getProperties() != null) {
            node.getProperties()
                    .forEach((name, child) -> collectStructuralProblems(child, path + "." + name, problems));
        }
        if (node.getItems() != null && node.getItems().getSchema() != null) {
            collectStructuralProblems(node.getItems().getSchema(), path + "[]", problems);
        }
        if (node.getAdditionalProperties() != null
                && node.getAdditionalProperties().getSchema() != null) {
            collectStructuralProblems(node.getAdditionalProperties().getSchema(), path + "{}", problems);
        }
    }

    static void collectUndocumented(JSONSchemaProps node, String path, List<String> undocumented) {
        if (node.getDescription() == null || node.getDescription().isBlank()) {
            undocumented.add(path);
        }
        Map<String, JSONSchemaProps> properties = node.getProperties();
        if (properties != null) {
            properties.forEach((name, child) -> collectUndocumented(child, path + "." + name, undocumented));
        }
        if (node.getItems() != null
                && node.getItems().getSchema() != null
                && node.getItems().getSchema().getProperties() != null) {
            node.getItems()
                    .getSchema()
                    .getProperties()
                    .forEach((name, child) -> collectUndocumented(child, path + "[]." + name, undocumented));
        }
    }
}
