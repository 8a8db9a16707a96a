package dev.monoscope.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.StreamMonitorValidator;
import dev.monoscope.operator.ApiVerbs;
import dev.monoscope.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The chart, linted and rendered by real Helm; the rendered objects checked as a cluster admin would. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChartTest {

    private static final Path REPOSITORY_CRDS = Path.of("..", "crds");

    @Test
    void lintPassesWithNoWarningButTheIcon() {
        var result = Chart.helm().lint().strict().call();
        assertThat(result.isFailed())
                .as(String.join("\n", result.getMessages()))
                .isFalse();
        assertThat(result.getMessages())
                .allSatisfy(message -> assertThat(message).contains("icon is recommended"));
    }

    @Test
    void chartCrdsAreTheRepositoryCrdsByteForByte() throws IOException {
        List<String> chartCrds = yamlFiles(Chart.DIR.resolve("crds"));
        assertThat(chartCrds).isEqualTo(yamlFiles(REPOSITORY_CRDS)).isNotEmpty();
        for (String name : chartCrds) {
            assertThat(Files.mismatch(Chart.DIR.resolve("crds").resolve(name), REPOSITORY_CRDS.resolve(name)))
                    .as("helm/monoscope/crds/%s differs from crds/%s: run `make crds`", name, name)
                    .isEqualTo(-1L);
        }
    }

    @Test
    void defaultsInstallTheOperatorWithClusterWideRbac() {
        List<HasMetadata> objects = Chart.render();
        assertThat(objects)
                .extracting(HasMetadata::getKind)
                .containsExactlyInAnyOrder(
                        "ServiceAccount",
                        "ClusterRole",
                        "ClusterRoleBinding",
                        "ClusterRole",
                        "ClusterRoleBinding",
                        "MonitorClass",
                        "ValidatingAdmissionPolicy",
                        "ValidatingAdmissionPolicyBinding",
                        "Role",
                        "RoleBinding",
                        "Service",
                        "Deployment",
                        "PodDisruptionBudget",
                        "NetworkPolicy");
        Deployment deployment = Chart.ofType(objects, Deployment.class).get(0);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        Container operator =
                deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(operator.getImage()).isEqualTo("monoscope/operator:0.1.0");
        assertThat(env(operator))
                .containsEntry("MONOSCOPE_WORKER_IMAGE", "monoscope/worker:0.1.0")
                .containsEntry("QUARKUS_OPERATOR_SDK_CONTROLLERS_STREAMMONITOR_NAMESPACES", "JOSDK_ALL_NAMESPACES")
                .containsEntry("QUARKUS_OPERATOR_SDK_ACTIVATE_LEADER_ELECTION_FOR_PROFILES", "prod")
                .containsEntry("MONOSCOPE_LEADER_ELECTION_LEASE_NAME", "monoscope-operator")
                .containsEntry("MONOSCOPE_GPU_RESOURCE_NAME", "nvidia.com/gpu")
                .containsEntry("MONOSCOPE_WORKER_CPU_LIMIT", "2")
                .containsEntry("MONOSCOPE_REPORT_WAIT_SECONDS", "30")
                .doesNotContainKeys("MONOSCOPE_WORKER_NODE_SELECTOR", "MONOSCOPE_WORKER_TOLERATIONS");
        assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(operator.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
        assertThat(operator.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(operator.getResources().getLimits()).containsKeys("cpu", "memory");
        String serviceAccount =
                Chart.ofType(objects, ServiceAccount.class).get(0).getMetadata().getName();
        assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo(serviceAccount);
        assertThat(Chart.ofType(objects, ClusterRoleBinding.class))
                .hasSize(2)
                .allSatisfy(binding -> assertThat(binding.getSubjects())
                        .singleElement()
                        .satisfies(s -> {
                            assertThat(s.getName()).isEqualTo(serviceAccount);
                            assertThat(s.getNamespace()).isEqualTo(Chart.NAMESPACE);
                        }));
        assertThat(env(operator).keySet())
                .filteredOn(name -> name.startsWith("MONOSCOPE_"))
                .as("every monoscope.* setting the chart passes is a key of the operator's OperatorConfig")
                .isSubsetOf(operatorConfigEnvNames());
        assertGrantsExactlyTheOperatorsVerbs(objects);
        assertHardened(objects);
    }

    @Test
    void watchNamespacesGiveARolePerNamespaceAndOnlyClassReadingClusterWide() {
        List<HasMetadata> objects = Chart.render("watch-namespaces.yaml");
        assertThat(Chart.ofType(objects, ClusterRole.class))
                .singleElement()
                .satisfies(role -> assertThat(verbs(role.getRules())).isEqualTo(clusterScopedVerbs()));
        assertThat(Chart.ofType(objects, ClusterRoleBinding.class)).hasSize(1);
        assertThat(Chart.ofType(objects, Role.class))
                .extracting(r -> r.getMetadata().getNamespace())
                .containsExactlyInAnyOrder("broadcast", "news", Chart.NAMESPACE);
        assertThat(Chart.ofType(objects, RoleBinding.class))
                .allSatisfy(binding -> assertThat(objects)
                        .anyMatch(o -> o instanceof Role role
                                && role.getMetadata()
                                        .getName()
                                        .equals(binding.getRoleRef().getName())
                                && role.getMetadata()
                                        .getNamespace()
                                        .equals(binding.getMetadata().getNamespace())));
        assertThat(env(operator(objects)))
                .containsEntry("QUARKUS_OPERATOR_SDK_CONTROLLERS_STREAMMONITOR_NAMESPACES", "broadcast,news");
        for (String namespace : List.of("broadcast", "news")) {
            List<PolicyRule> rules = Chart.ofType(objects, Role.class).stream()
                    .filter(r -> r.getMetadata().getNamespace().equals(namespace))
                    .flatMap(r -> r.getRules().stream())
                    .toList();
            Map<String, Set<String>> namespaced = expectedVerbs(false);
            namespaced.keySet().removeAll(clusterScopedVerbs().keySet());
            assertThat(verbs(rules)).as("namespace %s", namespace).isEqualTo(namespaced);
        }
        assertGrantsExactlyTheOperatorsVerbs(objects);
        assertHardened(objects);
    }

    @Test
    void gpuDefaultsReachTheOperator() {
        List<HasMetadata> objects = Chart.render("gpu.yaml");
        Map<String, String> env = env(operator(objects));
        assertThat(env)
                .containsEntry("MONOSCOPE_GPU_RESOURCE_NAME", "nvidia.com/gpu")
                .containsEntry("MONOSCOPE_GPU_RUNTIME_CLASS_NAME", "nvidia")
                .containsEntry("MONOSCOPE_GPU_UNSCHEDULABLE_AFTER", "90s")
                .containsEntry("MONOSCOPE_WORKER_NODE_SELECTOR", "{\"nvidia.com/gpu.present\":\"true\"}")
                .containsEntry(
                        "MONOSCOPE_WORKER_TOLERATIONS",
                        "[{\"effect\":\"NoSchedule\",\"key\":\"nvidia.com/gpu\",\"operator\":\"Exists\"}]");
        assertThat(env.get("MONOSCOPE_WORKER_AFFINITY")).contains("nvidia.com/gpu.product", "NVIDIA-L4");
        assertThat(env.keySet())
                .filteredOn(name -> name.startsWith("MONOSCOPE_"))
                .as("every monoscope.* setting the chart passes is a key of the operator's OperatorConfig")
                .isSubsetOf(operatorConfigEnvNames());
        assertGrantsExactlyTheOperatorsVerbs(objects);
        assertHardened(objects);
    }

    @Test
    void extraEnvValuesGivenAsNumbersReachTheApiServerAsStrings() {
        // kube-apiserver refuses `value: 18931` ("cannot unmarshal number into ... EnvVar.value of type string")
        String manifests = Chart.helm()
                .template()
                .withName(Chart.RELEASE)
                .withNamespace(Chart.NAMESPACE)
                .withKubeVersion(Chart.KUBE_VERSION)
                .set("extraEnv[0].name", "MONOSCOPE_REPORT_PORT")
                .set("extraEnv[0].value", "18931")
                .set("extraEnv[1].name", "POD_NAME")
                .set("extraEnv[1].valueFrom.fieldRef.fieldPath", "metadata.name")
                .call();
        assertThat(manifests)
                .contains("- name: \"MONOSCOPE_REPORT_PORT\"\n              value: \"18931\"\n")
                .contains("- name: \"POD_NAME\"\n              valueFrom:\n                fieldRef:\n"
                        + "                  fieldPath: metadata.name\n");
    }

    @Test
    void everyOptionalObjectRenders() throws IOException {
        List<HasMetadata> objects = Chart.render("everything-on.yaml");
        assertThat(objects)
                .extracting(HasMetadata::getKind)
                .contains("PodMonitor", "ServiceMonitor", "NetworkPolicy", "ConfigMap", "PrometheusRule", "Ingress");

        Ingress ingress = Chart.ofType(objects, Ingress.class).get(0);
        Service service = Chart.ofType(objects, Service.class).get(0);
        assertThat(ingress.getMetadata().getAnnotations()).containsKey("nginx.ingress.kubernetes.io/auth-url");
        assertThat(ingress.getSpec().getRules()).singleElement().satisfies(r -> {
            assertThat(r.getHost()).isEqualTo("mosaic.example.com");
            assertThat(r.getHttp().getPaths()).singleElement().satisfies(p -> {
                assertThat(p.getPath()).isEqualTo("/");
                assertThat(p.getBackend().getService().getName())
                        .isEqualTo(service.getMetadata().getName());
                assertThat(p.getBackend().getService().getPort().getName()).isEqualTo("http");
            });
        });
        assertThat(service.getSpec().getPorts())
                .anySatisfy(p -> assertThat(p.getName()).isEqualTo("http"));

        GenericKubernetesResource podMonitor =
                Chart.ofKind(objects, "PodMonitor").get(0);
        assertThat(podMonitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(podMonitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
        assertThat(podMonitor.<Object>get("spec", "selector", "matchLabels", "app.kubernetes.io/name"))
                .isEqualTo("monoscope-worker");
        assertThat(podMonitor.<Object>get("spec", "podMetricsEndpoints", 0, "path"))
                .isEqualTo("/q/metrics");

        GenericKubernetesResource serviceMonitor =
                Chart.ofKind(objects, "ServiceMonitor").get(0);
        assertThat(serviceMonitor.<Object>get("spec", "endpoints", 0, "port")).isEqualTo("http");

        NetworkPolicy policy = Chart.ofType(objects, NetworkPolicy.class).get(0);
        assertThat(policy.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
        assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                .containsEntry("app.kubernetes.io/name", "monoscope-worker");
        assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getPorts())
                    .singleElement()
                    .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(8080));
            assertThat(rule.getFrom()).hasSize(2);
            assertThat(rule.getFrom().get(0).getPodSelector().getMatchLabels())
                    .isEqualTo(
                            operatorDeployment(objects).getSpec().getSelector().getMatchLabels());
        });

        ConfigMap dashboard = Chart.ofType(objects, ConfigMap.class).get(0);
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        JsonNode json = new ObjectMapper().readTree(dashboard.getData().get("monoscope.json"));
        List<String> titles = new ArrayList<>();
        json.get("panels").forEach(p -> titles.add(p.get("title").asText()));
        assertThat(titles)
                .contains(
                        "Streams monitored",
                        "Active defects by type",
                        "Decode rate",
                        "Processing lag",
                        "Restarts and reconnects (1 h)");

        GenericKubernetesResource rule = Chart.ofKind(objects, "PrometheusRule").get(0);
        List<Map<String, Object>> rules = rule.get("spec", "groups", 0, "rules");
        assertThat(rules)
                .extracting(r -> r.get("alert"))
                .containsExactly("MonoscopeStreamDown", "MonoscopeDefectActive");
        assertThat(rules).allSatisfy(r -> assertThat((String) r.get("expr")).startsWith("max by"));
        assertThat(rules.get(0).toString()).contains("{{ $labels.namespace }}");

        assertGrantsExactlyTheOperatorsVerbs(objects);
        assertHardened(objects);
    }

    @Test
    void byDefaultOnlyTheOperatorReachesTheWorkers() {
        List<HasMetadata> objects = Chart.render();
        NetworkPolicy policy = Chart.ofType(objects, NetworkPolicy.class).get(0);
        assertThat(policy.getSpec().getPolicyTypes()).as("egress stays open").containsExactly("Ingress");
        assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getPorts())
                    .singleElement()
                    .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(8080));
            assertThat(rule.getFrom())
                    .singleElement()
                    .satisfies(peer -> assertThat(peer.getPodSelector().getMatchLabels())
                            .isEqualTo(operatorDeployment(objects)
                                    .getSpec()
                                    .getSelector()
                                    .getMatchLabels()));
        });
    }

    @Test
    void srtListenerPortsAreOpenToAnySenderOverUdpOnly() {
        List<HasMetadata> objects = Chart.render(
                List.of(),
                Map.of("networkPolicy.srtListenerPorts[0]", 9000, "networkPolicy.srtListenerPorts[1]", 9001));
        NetworkPolicy policy = Chart.ofType(objects, NetworkPolicy.class).get(0);
        assertThat(policy.getSpec().getIngress()).hasSize(2);
        var srt = policy.getSpec().getIngress().get(1);
        assertThat(srt.getFrom()).as("any sender").isNullOrEmpty();
        assertThat(srt.getPorts())
                .extracting(p -> p.getPort().getIntVal() + "/" + p.getProtocol())
                .containsExactly("9000/UDP", "9001/UDP");
    }

    @Test
    void networkPolicyFollowsTheWatchedNamespaces() {
        List<HasMetadata> objects = Chart.render(List.of("watch-namespaces.yaml", "everything-on.yaml"), Map.of());
        assertThat(Chart.ofType(objects, NetworkPolicy.class))
                .extracting(p -> p.getMetadata().getNamespace())
                .containsExactlyInAnyOrder("broadcast", "news");
        assertThat(Chart.ofKind(objects, "PodMonitor")
                        .get(0)
                        .<List<String>>get("spec", "namespaceSelector", "matchNames"))
                .containsExactly("broadcast", "news");
    }

    @Test
    void aWrongValueFailsWithTheSchemasMessage() {
        assertThatThrownBy(() -> Chart.render(List.of(), Map.of("replicas", "two")))
                .hasMessageContaining("replicas")
                .hasMessageContaining("integer");
        assertThatThrownBy(() -> Chart.render(List.of(), Map.of("watchNamespace", "news")))
                .hasMessageContaining("watchNamespace");
        assertThatThrownBy(() -> Chart.render(List.of(), Map.of("worker.gpu.unschedulableAfter", "a minute")))
                .hasMessageContaining("unschedulableAfter");
    }

    @Test
    void severalReplicasWithoutLeaderElectionAreRefused() {
        assertThatThrownBy(() -> Chart.render(List.of(), Map.of("leaderElection.enabled", false)))
                .hasMessageContaining("leaderElection.enabled");
        List<HasMetadata> single = Chart.render(List.of(), Map.of("leaderElection.enabled", false, "replicas", 1));
        assertThat(env(operator(single)))
                .containsEntry("QUARKUS_OPERATOR_SDK_ACTIVATE_LEADER_ELECTION_FOR_PROFILES", "none");
        assertThat(verbs(rules(single))).isEqualTo(expectedVerbs(false));
    }

    @Test
    void notesShowAFirstStreamMonitorThatTheOperatorAccepts() throws IOException {
        String notes = Chart.helm()
                .install()
                .withName(Chart.RELEASE)
                .withNamespace(Chart.NAMESPACE)
                .withKubeVersion(Chart.KUBE_VERSION)
                .withValuesFile(Chart.VALUES.resolve("watch-namespaces.yaml"))
                .dryRun()
                .clientOnly()
                .call()
                .getOutput();
        assertThat(notes).contains("kubectl apply -n broadcast -f -", "kubectl -n broadcast get sm -w");
        int start = notes.indexOf('\n', notes.indexOf("<<'YAML'"));
        String manifest = notes.substring(start, notes.indexOf("\nYAML", start));
        StreamMonitor first = Serialization.unmarshal(manifest, StreamMonitor.class);
        assertThat(first.getMetadata().getName()).isEqualTo("my-first-stream");
        assertThat(StreamMonitorValidator.validate(first)).isEmpty();
    }

    // --- checks shared by every rendering ----------------------------------------------------------------------

    /** RBAC grants exactly ApiVerbs.TABLE: no verb more, none less, no wildcard, nothing on Secrets. */
    private static void assertGrantsExactlyTheOperatorsVerbs(List<HasMetadata> objects) {
        List<PolicyRule> rules = rules(objects);
        assertThat(rules).allSatisfy(rule -> {
            assertThat(rule.getResources()).doesNotContain("secrets", "*");
            assertThat(rule.getVerbs()).doesNotContain("*");
            assertThat(rule.getApiGroups()).doesNotContain("*");
            assertThat(rule.getResourceNames()).isNullOrEmpty();
        });
        assertThat(verbs(rules)).isEqualTo(expectedVerbs(true));
    }

    private static void assertHardened(List<HasMetadata> objects) {
        List<PodSpec> pods = Chart.ofType(objects, Deployment.class).stream()
                .map(d -> d.getSpec().getTemplate().getSpec())
                .toList();
        assertThat(pods).isNotEmpty().allSatisfy(pod -> {
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
            assertThat(Stream.concat(
                            pod.getContainers().stream(),
                            pod.getInitContainers() == null ? Stream.empty() : pod.getInitContainers().stream()))
                    .allSatisfy(c -> {
                        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem())
                                .as(c.getName())
                                .isTrue();
                        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation())
                                .as(c.getName())
                                .isFalse();
                        assertThat(c.getSecurityContext().getCapabilities().getDrop())
                                .as(c.getName())
                                .containsExactly("ALL");
                        assertThat(c.getSecurityContext().getCapabilities().getAdd())
                                .as(c.getName())
                                .isNullOrEmpty();
                        assertThat(c.getSecurityContext().getPrivileged()).isNotEqualTo(Boolean.TRUE);
                    });
        });
    }

    private static List<PolicyRule> rules(List<HasMetadata> objects) {
        return Stream.concat(
                        Chart.ofType(objects, ClusterRole.class).stream().flatMap(r -> r.getRules().stream()),
                        Chart.ofType(objects, Role.class).stream().flatMap(r -> r.getRules().stream()))
                .toList();
    }

    /** "group/resource" → verbs, merged over every rule. */
    private static Map<String, Set<String>> verbs(List<PolicyRule> rules) {
        Map<String, Set<String>> verbs = new HashMap<>();
        for (PolicyRule rule : rules) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    verbs.computeIfAbsent(group + "/" + resource, k -> new HashSet<>())
                            .addAll(rule.getVerbs());
                }
            }
        }
        return verbs;
    }

    private static Map<String, Set<String>> expectedVerbs(boolean withLeases) {
        return ApiVerbs.TABLE.entrySet().stream()
                .filter(e -> withLeases || !e.getKey().equals(ApiVerbs.LEASES))
                .collect(Collectors.toMap(
                        e -> e.getKey().group() + "/" + e.getKey().resource(), e -> new HashSet<>(e.getValue())));
    }

    /** The read-only grants on MonitorClasses and Namespaces, cluster-wide in every rendering. */
    private static Map<String, Set<String>> clusterScopedVerbs() {
        Map<String, Set<String>> verbs = expectedVerbs(false);
        verbs.keySet()
                .retainAll(ApiVerbs.CLUSTER_SCOPED.stream()
                        .map(r -> r.group() + "/" + r.resource())
                        .toList());
        return verbs;
    }

    /** MONOSCOPE_WORKER_CPU_LIMIT and the like: every leaf of OperatorConfig as SmallRye maps it to the environment. */
    private static Set<String> operatorConfigEnvNames() {
        Set<String> names = new HashSet<>();
        collectEnvNames(OperatorConfig.class, "MONOSCOPE", names);
        return names;
    }

    private static void collectEnvNames(Class<?> group, String prefix, Set<String> names) {
        for (Method method : group.getDeclaredMethods()) {
            if (method.isDefault() || java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            String name = prefix + "_"
                    + method.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase();
            if (method.getReturnType().isInterface()
                    && method.getReturnType().getEnclosingClass() == OperatorConfig.class) {
                collectEnvNames(method.getReturnType(), name, names);
            } else {
                names.add(name);
            }
        }
    }

    private static Deployment operatorDeployment(List<HasMetadata> objects) {
        return Chart.ofType(objects, Deployment.class).get(0);
    }

    private static Container operator(List<HasMetadata> objects) {
        return operatorDeployment(objects)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
    }

    private static Map<String, String> env(Container container) {
        Map<String, String> env = new HashMap<>();
        for (EnvVar var : container.getEnv()) {
            env.put(var.getName(), var.getValue());
        }
        return env;
    }

    private static List<String> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches(".*\\.(ya?ml|json)$"))
                    .sorted()
                    .toList();
        }
    }
}
