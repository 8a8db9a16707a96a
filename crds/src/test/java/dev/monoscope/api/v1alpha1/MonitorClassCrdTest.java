package dev.monoscope.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The generated MonitorClass CRD: cluster-scoped, every admin choice a field, every field described. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MonitorClassCrdTest {

    private final CustomResourceDefinition crd = GeneratedCrd.parse(GeneratedCrd.MONITOR_CLASS_FILE_NAME);
    private final JSONSchemaProps schema =
            crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();

    @Test
    void clusterScopedInTheStreamMonitorsGroupAndVersion() {
        assertThat(crd.getMetadata().getName()).isEqualTo("monitorclasses.monoscope.dev");
        assertThat(crd.getSpec().getGroup()).isEqualTo(StreamMonitor.GROUP);
        assertThat(crd.getSpec().getScope()).isEqualTo("Cluster");
        assertThat(crd.getSpec().getNames().getKind()).isEqualTo("MonitorClass");
        assertThat(crd.getSpec().getVersions()).singleElement().satisfies(v -> {
            assertThat(v.getName()).isEqualTo(StreamMonitor.VERSION);
            assertThat(v.getAdditionalPrinterColumns())
                    .extracting(CustomResourceColumnDefinition::getJsonPath)
                    .contains(".metadata.annotations.monoscope\\.dev/is-default-class");
        });
    }

    @Test
    void everyAdminChoiceIsAField() {
        JSONSchemaProps spec = schema.getProperties().get("spec");
        assertThat(spec.getProperties()).containsOnlyKeys("namespaceSelector", "worker", "allowed");
        assertThat(spec.getProperties().get("worker").getProperties())
                .containsOnlyKeys(
                        "image",
                        "runtimeClassName",
                        "gpuRuntimeClassName",
                        "gpuResourceName",
                        "priorityClassName",
                        "nodeSelector",
                        "tolerations",
                        "affinity");
        assertThat(spec.getProperties().get("allowed").getProperties())
                .containsOnlyKeys(
                        "images",
                        "runtimeClassNames",
                        "priorityClassNames",
                        "hostNetwork",
                        "tolerations",
                        "placement",
                        "maxCpu",
                        "maxMemory");
        assertThat(spec.getProperties().get("namespaceSelector").getProperties())
                .containsOnlyKeys("matchLabels", "matchExpressions");
        assertThat(schema.getProperties()).doesNotContainKey("default");
    }

    @Test
    void everyFieldHasADescriptionAndTheSchemaIsStructural() {
        List<String> undocumented = new ArrayList<>();
        CrdSchemaTest.collectUndocumented(schema.getProperties().get("spec"), "spec", undocumented);
        assertThat(undocumented)
                .as("fields without a description (kubectl explain shows nothing)")
                .isEmpty();
        List<String> problems = new ArrayList<>();
        CrdSchemaTest.collectStructuralProblems(schema, "", problems);
        assertThat(problems).isEmpty();
    }

    @Test
    void theDefaultClassIsMarkedByAnnotation() {
        MonitorClass marked = new MonitorClass();
        marked.getMetadata().setAnnotations(java.util.Map.of(MonitorClass.DEFAULT_CLASS_ANNOTATION, "true"));
        MonitorClass other = new MonitorClass();
        other.getMetadata().setAnnotations(java.util.Map.of(MonitorClass.DEFAULT_CLASS_ANNOTATION, "yes"));
        assertThat(marked.isDefault()).isTrue();
        assertThat(other.isDefault()).isFalse();
        assertThat(new MonitorClass().isDefault()).isFalse();
    }
}
